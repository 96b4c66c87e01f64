//! Read-only results links: the facilitator makes a link to a session's results
//! that participants and management can open without an account, for a chosen
//! time (`ShareExpiry`), and can revoke it. The link's token is the key to that
//! one session's results page and to nothing else; only its SHA-256 is stored.
//!
//! The shared page shows what the facilitator's results page shows of the
//! results themselves (`console::results_data`, the same view code and the same
//! anonymity rule), and nothing of the facilitator's: no moderation queue, no
//! rejected or pending statements, no display names and no downloads of the raw
//! data (votes per participant). It links to no console page.

use crate::console::{self, results_data, ResultStatement, ResultsData};
use askama::Template;
use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::Response;
use koers_core::links::{LinkStatus, ShareExpiry};
use koers_store::SessionScope;
use koers_web::ctx::{Ctx, Form, Path};
use koers_web::error::{AppError, AppResult};
use koers_web::part::OrgAccess;
use koers_web::templates::{error_page_with, render, Choice, Page};
use koers_web::{audit, auth, redirect, AppState};
use serde::Deserialize;

/// One results link in the console's list.
pub struct ShareLinkView {
    pub id: i64,
    pub created: String,
    pub expires: String,
    pub status: String,
    pub open: bool,
}

/// The console's "results to share" panel (`console_share.html`).
pub struct ShareView {
    pub links: Vec<ShareLinkView>,
    /// How long a new link lasts.
    pub choices: Vec<Choice>,
}

pub(crate) async fn share_view(
    state: &AppState,
    c: &Page,
    scope: SessionScope,
) -> AppResult<ShareView> {
    let now = state.now();
    let links = state
        .store
        .sessie()
        .share_links(scope)
        .await?
        .into_iter()
        .map(|l| {
            let status = l.dates().status(now);
            ShareLinkView {
                id: l.id,
                created: c.tr.date_time(l.created_at),
                expires: c.tr.date_time(l.expires_at),
                status: c.t(status.message_key()),
                open: status.is_open(),
            }
        })
        .collect();
    let choices = ShareExpiry::CHOICES
        .iter()
        .map(|d| Choice {
            value: d.to_string(),
            label: c.tr.t_with(
                "share-days",
                &[("n", koers_web::i18n::FluentValue::from(*d))],
            ),
            selected: *d == ShareExpiry::DEFAULT.days(),
        })
        .collect();
    Ok(ShareView { links, choices })
}

#[derive(Deserialize)]
pub struct ShareForm {
    #[serde(default)]
    pub days: String,
}

#[derive(Template)]
#[template(path = "share_created.html")]
pub struct ShareCreatedTpl {
    pub c: Page,
    pub org_id: i64,
    pub id: i64,
    pub title: String,
    pub link: String,
    pub expires: String,
}

pub async fn create(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    a: OrgAccess,
    headers: HeaderMap,
    Path((org, id)): Path<(i64, i64)>,
    Form(f): Form<ShareForm>,
) -> AppResult<Response> {
    let (a, session) = console::session_of(&state, &a, id).await?;
    let expiry = match ShareExpiry::parse(&f.days) {
        Ok(e) => e,
        Err(e) => {
            return console::console_with_error(&state, &ctx, &a, &headers, org, id, e).await;
        }
    };
    let now = state.now();
    let token = auth::new_token();
    let link = state
        .store
        .sessie()
        .create_share_link(
            session.scope,
            &auth::token_hash(&token),
            a.user.id,
            now,
            expiry.expires_at(now),
        )
        .await?;
    audit(
        &state,
        Some(a.org.id),
        a.user.id,
        "session.share_created",
        &session.title,
    )
    .await?;
    let c = Page::new(&state, &ctx, "share-created-title");
    let mut res = render(
        StatusCode::CREATED,
        &ShareCreatedTpl {
            org_id: a.org.id.0,
            id,
            title: session.title,
            link: format!("{}/uitslag/{token}", state.base_url(&headers)),
            expires: c.tr.date_time(link.expires_at),
            c,
        },
    );
    // The page holds the only copy of the token.
    res.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(res)
}

pub async fn revoke(
    State(state): State<AppState>,
    Ctx(_ctx): Ctx,
    a: OrgAccess,
    Path((org, id, link)): Path<(i64, i64, i64)>,
    Form(_): Form<koers_web::Empty>,
) -> AppResult<Response> {
    let (a, session) = console::session_of(&state, &a, id).await?;
    state
        .store
        .sessie()
        .revoke_share_link(session.scope, link, state.now())
        .await?;
    audit(
        &state,
        Some(a.org.id),
        a.user.id,
        "session.share_revoked",
        &session.title,
    )
    .await?;
    Ok(redirect(&format!(
        "/organisaties/{org}/sessies/{id}?melding=share-revoked#delen"
    )))
}

#[derive(Template)]
#[template(path = "shared_results.html")]
pub struct SharedResultsTpl {
    pub c: Page,
    pub title: String,
    pub description: String,
    pub attribution: String,
    pub expires: String,
    pub v: console::LiveView,
    pub statements: Vec<ResultStatement>,
    pub steps: Vec<koers_store::NextStep>,
    /// The least votes for a statement to be ranked by its share.
    pub min_votes: u32,
}

/// The results behind a link, for anyone who has it. An unknown token is 404,
/// exactly like a page that does not exist; a revoked or expired link says so
/// (410), because whoever follows it was once given it.
pub async fn shared(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    Path(token): Path<String>,
) -> AppResult<Response> {
    // Tokens are 43 characters; anything far longer is not worth hashing.
    if token.len() > 100 {
        return Err(AppError::NotFound);
    }
    let found = state
        .store
        .sessie()
        .share_link_by_token_hash(&auth::token_hash(&token))
        .await?;
    let Some((link, session)) = found else {
        return Err(AppError::NotFound);
    };
    let mut res = match link.dates().status(state.now()) {
        LinkStatus::Open => {
            let c = Page::new(&state, &ctx, "results-title").with_title(session.title.clone());
            let ResultsData {
                v,
                statements,
                steps,
            } = results_data(&state, &c, &session).await?;
            render(
                StatusCode::OK,
                &SharedResultsTpl {
                    title: session.title.clone(),
                    description: session.description.clone(),
                    attribution: session.attribution.clone(),
                    expires: c.tr.date_time(link.expires_at),
                    v,
                    statements,
                    steps,
                    min_votes: koers_core::sessie::tally::MIN_VOTES_TO_RANK,
                    c,
                },
            )
        }
        LinkStatus::Revoked => error_page_with(
            &state,
            &ctx,
            StatusCode::GONE,
            "share-gone-title",
            "share-revoked",
        ),
        LinkStatus::Expired | LinkStatus::Used => error_page_with(
            &state,
            &ctx,
            StatusCode::GONE,
            "share-gone-title",
            "share-expired",
        ),
    };
    let h = res.headers_mut();
    // Revocation must take effect at once, also behind a proxy or the back button,
    // and the page is not for search engines. (The shell's `Referrer-Policy:
    // same-origin` already keeps the token from travelling to linked sites.)
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    h.insert("x-robots-tag", HeaderValue::from_static("noindex"));
    Ok(res)
}
