//! How a product part (Sessie, and next Scan, Signalen, Agenda, Ecosysteem)
//! plugs into the shell. A part is a crate of its own that hands the shell one
//! value implementing [`Part`]: its routes with the access each needs, its locale
//! files, its navigation entry, its card on the organisation's page and its demo
//! seed. The binary lists the parts; the shell never names one.
//!
//! The router and the tenant-isolation test are built from the same list of
//! [`Route`]s, so a route that is not in a part's list cannot be served, and a
//! route that is in it is requested by the test.

use crate::ctx::RequestCtx;
use crate::error::{AppError, AppResult};
use crate::i18n::Tr;
use crate::AppState;
use axum::extract::{FromRequestParts, RawPathParams, Request, State};
use axum::http::request::Parts;
use axum::http::Method;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::MethodRouter;
use futures_util::future::BoxFuture;
use koers_core::{OrganisationId, Role};
use koers_store::{Membership, OrgScope, Organisation, Store, User};
use std::any::Any;
use std::sync::Arc;

/// Who may use a route. The router enforces it before the handler runs, and the
/// tenant-isolation test reads it to know what to try.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Anyone, logged in or not. The reason is written down in the registry.
    Public { reason: &'static str },
    /// Anyone who holds a secret in the path (a join code, an invitation link):
    /// the secret is the key, so it must be unguessable and the handler looks
    /// everything up through it.
    Secret { reason: &'static str },
    /// A logged-in user; nothing organisation-specific.
    User,
    /// A member of the organisation in the path's `{org}` with at least this
    /// role (or a platform administrator). Others get 404, as if the
    /// organisation did not exist; members with a lower role get 403. The
    /// handler receives the [`OrgAccess`] the check produced.
    Org(Role),
    /// A platform administrator.
    PlatformAdmin,
}

/// One route of a part: method, path pattern (axum syntax, `{name}` for a
/// parameter), access, and the handler.
pub struct Route {
    pub method: Method,
    pub path: &'static str,
    pub access: Access,
    /// Values a path parameter takes that the tenant test must try one by one
    /// (e.g. every download format), as `(parameter, values)`.
    pub values: Vec<(&'static str, &'static [&'static str])>,
    handler: MethodRouter<AppState>,
}

impl Route {
    pub fn get<H, T>(path: &'static str, access: Access, handler: H) -> Self
    where
        H: axum::handler::Handler<T, AppState>,
        T: 'static,
    {
        Self::new(Method::GET, path, access, axum::routing::get(handler))
    }

    pub fn post<H, T>(path: &'static str, access: Access, handler: H) -> Self
    where
        H: axum::handler::Handler<T, AppState>,
        T: 'static,
    {
        Self::new(Method::POST, path, access, axum::routing::post(handler))
    }

    fn new(
        method: Method,
        path: &'static str,
        access: Access,
        handler: MethodRouter<AppState>,
    ) -> Self {
        Self {
            method,
            path,
            access,
            values: Vec::new(),
            handler,
        }
    }

    /// Names the values a path parameter takes, for the tenant test.
    pub fn with_values(mut self, param: &'static str, values: &'static [&'static str]) -> Self {
        self.values.push((param, values));
        self
    }

    /// The handler wrapped in the access check it declares.
    pub(crate) fn into_method_router(self, state: &AppState) -> MethodRouter<AppState> {
        let access = self.access;
        self.handler
            .route_layer(axum::middleware::from_fn_with_state(
                (state.clone(), access),
                check_access,
            ))
    }
}

/// What the access check found for an organisation route: the user, the
/// organisation, the user's role, and the scope that every organisation-scoped
/// store read needs. Handlers take it as an extractor; it exists only on routes
/// registered with [`Access::Org`].
#[derive(Clone, Debug)]
pub struct OrgAccess {
    pub user: User,
    pub org: Organisation,
    pub role: Option<Role>,
    pub scope: OrgScope,
}

impl OrgAccess {
    pub fn can(&self, needed: Role) -> bool {
        self.user.is_platform_admin || self.role.is_some_and(|r| r.allows(needed))
    }

    pub fn org_id(&self) -> OrganisationId {
        self.org.id
    }
}

impl<S: Send + Sync> FromRequestParts<S> for OrgAccess {
    type Rejection = AppError;
    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        parts.extensions.get::<OrgAccess>().cloned().ok_or_else(|| {
            AppError::Internal(anyhow::anyhow!(
                "OrgAccess asked for on a route not registered with Access::Org"
            ))
        })
    }
}

/// The access check of a user for an organisation: 404 for non-members, 403 for a
/// role too low. Exposed for the rare page that checks more than one organisation.
pub async fn org_access(
    store: &Store,
    ctx: &RequestCtx,
    org: OrganisationId,
    needed: Role,
) -> AppResult<OrgAccess> {
    let user = ctx.require_user()?.clone();
    let Membership {
        organisation,
        role,
        scope,
    } = store.authorise(&user, org).await?;
    let access = OrgAccess {
        user,
        org: organisation,
        role,
        scope,
    };
    if !access.can(needed) {
        return Err(AppError::Forbidden);
    }
    Ok(access)
}

async fn check_access(
    State((state, access)): State<(AppState, Access)>,
    params: RawPathParams,
    mut req: Request,
    next: Next,
) -> Response {
    let Some(ctx) = req.extensions().get::<RequestCtx>().cloned() else {
        return AppError::Internal(anyhow::anyhow!("request context missing")).into_response();
    };
    match access {
        Access::Public { .. } | Access::Secret { .. } => {}
        Access::User => {
            if let Err(e) = ctx.require_user() {
                return e.into_response();
            }
        }
        Access::PlatformAdmin => match ctx.require_user() {
            Err(e) => return e.into_response(),
            // Not 403: the administration pages do not exist for anyone else.
            Ok(u) if !u.is_platform_admin => return AppError::NotFound.into_response(),
            Ok(_) => {}
        },
        Access::Org(role) => {
            let org = params
                .iter()
                .find(|(k, _)| *k == "org")
                .and_then(|(_, v)| v.parse::<i64>().ok());
            let Some(org) = org else {
                return AppError::NotFound.into_response();
            };
            match org_access(&state.store, &ctx, OrganisationId(org), role).await {
                Ok(a) => {
                    req.extensions_mut().insert(a);
                }
                Err(e) => return e.into_response(),
            }
        }
    }
    next.run(req).await
}

/// A step of the loop the organisation's page is built around.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum LoopStage {
    /// Meten: the Scan.
    Meten,
    /// Samen duiden: Sessie.
    Duiden,
    /// Koers bepalen: the Agenda.
    Bepalen,
    /// Koers bewaken: Signalen.
    Bewaken,
}

impl LoopStage {
    pub const ALL: [LoopStage; 4] = [Self::Meten, Self::Duiden, Self::Bepalen, Self::Bewaken];

    pub fn key(self) -> &'static str {
        match self {
            Self::Meten => "loop-meten",
            Self::Duiden => "loop-duiden",
            Self::Bepalen => "loop-bepalen",
            Self::Bewaken => "loop-bewaken",
        }
    }
}

/// A part's entry in an organisation's navigation.
#[derive(Debug, Clone, Copy)]
pub struct NavEntry {
    /// Locale key of the link text.
    pub label_key: &'static str,
    /// Path below `/organisaties/{org}/`.
    pub path: &'static str,
    /// The role needed to see the link (the same as the route's).
    pub role: Role,
}

/// A part's card on the organisation's page: its latest state in a few lines,
/// already translated, and links onward.
#[derive(Debug, Clone, Default)]
pub struct Card {
    pub title: String,
    pub lines: Vec<String>,
    /// (href, text)
    pub links: Vec<(String, String)>,
}

/// A part's Fluent files, embedded in the part crate.
#[derive(Debug, Clone, Copy)]
pub struct Locales {
    pub nl: &'static str,
    pub en: &'static str,
}

/// What a part's demo seed gets: the demo organisations made by the shell and
/// the clock.
pub struct DemoContext<'a> {
    pub store: &'a Store,
    /// The fictional municipality the demo logins belong to.
    pub home: &'a Organisation,
    /// Its peers, for benchmarks.
    pub peers: &'a [Organisation],
    /// A facilitator of `home`, as the author of seeded content.
    pub facilitator: &'a User,
    pub now: i64,
}

/// What a part's home panel may use: the language, the form token, and whether
/// someone is logged in.
pub struct HomeContext<'a> {
    pub tr: &'a Tr,
    pub csrf: &'a str,
    pub logged_in: bool,
}

/// What a part reports after seeding: lines the `koers demo` banner prints.
pub type DemoReport = Vec<String>;

/// Per-part state (background tasks, caches) created at start, kept in the
/// [`AppState`] and found again by type.
pub type PartState = Arc<dyn Any + Send + Sync>;

/// A product part, as the shell sees it.
pub trait Part: Send + Sync + 'static {
    /// Short, stable name: `sessie`, `scan`, …
    fn name(&self) -> &'static str;

    /// Every route of the part. The router serves these and nothing else.
    fn routes(&self) -> Vec<Route>;

    /// The part's strings; keys must not clash with the shell's or another part's.
    fn locales(&self) -> Locales;

    /// The part's step in the loop and its navigation entry.
    fn stage(&self) -> LoopStage;

    fn nav(&self) -> Option<NavEntry>;

    /// Starts the part's background machinery. Called once by [`AppState::new`].
    fn start(&self, _state: &AppState) -> Option<PartState> {
        None
    }

    /// Starts the part after checking what it needs before the server may serve
    /// (files it reads, and stored data those files must agree with), or refuses
    /// the start with a message that says what is wrong and what to do. Called
    /// once by [`AppState::new`]; the default is [`Part::start`], which cannot fail.
    fn start_checked<'a>(
        &'a self,
        state: &'a AppState,
    ) -> BoxFuture<'a, anyhow::Result<Option<PartState>>> {
        Box::pin(async move { Ok(self.start(state)) })
    }

    /// The card on the organisation's page, or `None` when the user may not see
    /// this part there.
    fn card<'a>(
        &'a self,
        state: &'a AppState,
        access: &'a OrgAccess,
        tr: &'a Tr,
    ) -> BoxFuture<'a, AppResult<Option<Card>>>;

    /// A panel on the home page, as rendered HTML (the part's own template,
    /// escaped by it), or `None`. The shell shows every part's panel without
    /// knowing what is in it or where its links lead (Sessie: "Doe mee met een
    /// code" for people who are not logged in).
    fn home_panel(&self, _home: &HomeContext<'_>) -> Option<String> {
        None
    }

    /// Fills the demo organisation with this part's example content.
    fn seed_demo<'a>(
        &'a self,
        demo: &'a DemoContext<'a>,
    ) -> BoxFuture<'a, anyhow::Result<DemoReport>>;
}

/// Every route of the shell and the given parts, in registry order: what the
/// router serves and what the tenant-isolation test requests.
pub fn registry(parts: &[Arc<dyn Part>]) -> Vec<Route> {
    let mut all = crate::routes::routes();
    for p in parts {
        all.extend(p.routes());
    }
    all
}
