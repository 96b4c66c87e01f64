//! The shell of Koers: what every product part shares. Router assembly from the
//! parts' route lists ([`part`]), the request context (language, user, CSRF),
//! accounts, organisations and sessions, error pages, the i18n machinery, the base
//! layout and assets, metrics and configuration. Pages are server-rendered HTML
//! (askama, embedded in the binary), every action a plain link or form.
//!
//! The shell must not depend on any part (Sessie, Scan, …): parts depend on the
//! shell and register themselves through [`part::Part`]; the binary wires them
//! together. `.ci/run` checks this with `cargo tree`.

pub mod auth;
pub mod config;
pub mod ctx;
pub mod demo;
pub mod error;
pub mod i18n;
pub mod mail;
pub mod markdown;
pub mod metrics;
pub mod part;
mod routes;
pub mod shed;
pub mod templates;

pub use ctx::Empty;
pub use routes::org::audit;
pub use routes::{redirect, safe_return_path};

use axum::extract::DefaultBodyLimit;
use axum::Router;
use config::Config;
use koers_store::Store;
use std::any::TypeId;
use std::collections::HashMap;
use std::future::Future;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

/// Everything a request handler may need, cheap to clone.
#[derive(Clone)]
pub struct AppState {
    pub store: Store,
    pub config: Arc<Config>,
    pub metrics: Arc<metrics::Metrics>,
    pub login_limiter: Arc<auth::RateLimiter>,
    /// Failed logins per (client address, e-mail address).
    pub login_throttle: Arc<auth::LoginThrottle>,
    /// The product parts this binary was built with, in navigation order.
    pub parts: Arc<[Arc<dyn part::Part>]>,
    part_states: Arc<HashMap<TypeId, part::PartState>>,
    /// The one-time code that the first-run setup page asks for; `None` once an
    /// administrator exists. Printed in the server log at start.
    pub setup_code: Arc<Mutex<Option<String>>>,
    /// The NLDS theme stylesheet from config, read once at start.
    pub theme_css: Option<Arc<str>>,
    /// Parsed `server.trusted_proxies`.
    pub trusted_proxies: Arc<[std::net::IpAddr]>,
    /// Parsed `general.time_zone`: the zone every time on a page is shown in.
    pub time_zone: jiff::tz::TimeZone,
    clock: Arc<dyn Fn() -> i64 + Send + Sync>,
    /// Fired when the server starts to shut down; see [`Shutdown`].
    pub shutdown: Shutdown,
    /// Anonymous page requests in flight, for load shedding ([`shed`]).
    pub load: Arc<shed::Load>,
    /// Outgoing e-mail, when `[mail]` is configured; see [`mail`].
    mailer: Option<Arc<mail::Mailer>>,
}

/// Fired when the server starts to shut down, before it waits for open
/// connections to finish. A graceful shutdown waits for every response in
/// flight, and a long-lived one (an event stream) never finishes by itself; so
/// every such response ends on this signal, or one open browser tab would keep
/// the server from stopping.
#[derive(Clone)]
pub struct Shutdown(Arc<tokio::sync::watch::Sender<bool>>);

impl Shutdown {
    fn new() -> Self {
        Self(Arc::new(tokio::sync::watch::channel(false).0))
    }

    pub fn fire(&self) {
        self.0.send_replace(true);
    }

    pub fn is_fired(&self) -> bool {
        *self.0.borrow()
    }

    /// Resolves once the signal has fired (at once if it has already), without
    /// borrowing `self`, so a response stream can own it.
    pub fn fired(&self) -> impl Future<Output = ()> + Send + 'static {
        let mut rx = self.0.subscribe();
        async move {
            // An error means the sender is gone, which is as final as firing.
            let _ = rx.wait_for(|fired| *fired).await;
        }
    }
}

impl AppState {
    /// Builds the state and starts each part. Reads the theme file named in
    /// config, if any, and installs the parts' locale files.
    pub async fn new(
        store: Store,
        config: Config,
        parts: Vec<Arc<dyn part::Part>>,
    ) -> anyhow::Result<Self> {
        i18n::Translations::install(&parts).map_err(|e| anyhow::anyhow!(e))?;
        let theme_css = if config.theme.stylesheet.is_empty() {
            None
        } else {
            let text = std::fs::read_to_string(&config.theme.stylesheet).map_err(|e| {
                anyhow::anyhow!(
                    "thema-bestand / theme stylesheet {} niet te lezen / cannot be read: {e}",
                    config.theme.stylesheet
                )
            })?;
            Some(Arc::from(text))
        };
        let setup_code = if store.has_platform_admin().await? {
            None
        } else {
            Some(auth::new_token()[..12].to_owned())
        };
        let limiter = auth::RateLimiter::new(300, config.security.login_attempts_per_address);
        let throttle = auth::LoginThrottle::new(koers_core::account::LockoutPolicy {
            max_failures: config.security.login_max_failures,
            lockout_secs: i64::from(config.security.lockout_minutes) * 60,
        });
        let trusted_proxies: Arc<[std::net::IpAddr]> = config.trusted_proxy_addrs().into();
        let time_zone = config.time_zone().map_err(|e| anyhow::anyhow!(e))?;
        let mailer = mail::Mailer::from_config(&config.mail)
            .map_err(|e| anyhow::anyhow!(e))?
            .map(Arc::new);
        let mut state = Self {
            time_zone,
            store,
            config: Arc::new(config),
            metrics: Arc::new(metrics::Metrics::default()),
            login_limiter: Arc::new(limiter),
            login_throttle: Arc::new(throttle),
            parts: parts.into(),
            part_states: Arc::default(),
            setup_code: Arc::new(Mutex::new(setup_code)),
            theme_css,
            trusted_proxies,
            clock: Arc::new(unix_now),
            shutdown: Shutdown::new(),
            load: Arc::default(),
            mailer,
        };
        // Parts do not see each other's state, so each starts from the shell alone.
        let mut states = HashMap::new();
        for p in state.parts.iter() {
            if let Some(s) = p.start_checked(&state).await? {
                states.insert((*s).type_id(), s);
            }
        }
        state.part_states = Arc::new(states);
        Ok(state)
    }

    /// A part's own state, by its type (e.g. Sessie's live rooms).
    pub fn part_state<T: Send + Sync + 'static>(&self) -> Option<Arc<T>> {
        self.part_states
            .get(&TypeId::of::<T>())
            .cloned()
            .and_then(|s| s.downcast::<T>().ok())
    }

    /// Replaces the clock, for tests of expiry and lockout.
    pub fn with_clock(mut self, clock: impl Fn() -> i64 + Send + Sync + 'static) -> Self {
        self.clock = Arc::new(clock);
        self
    }

    /// The address people reach this server at, for links that leave the browser
    /// (invitations, join links, QR codes): `server.public_url`; or else the
    /// request's `Host` when config allows that host
    /// ([`config::Config::host_allowed`]), since the header is the client's to
    /// choose and a forged one would put another site into an invitation; or else
    /// the listen address.
    pub fn base_url(&self, headers: &axum::http::HeaderMap) -> String {
        let public = self.config.server.public_url.trim_end_matches('/');
        if !public.is_empty() {
            return public.to_owned();
        }
        let host = headers
            .get(axum::http::header::HOST)
            .and_then(|h| h.to_str().ok())
            .filter(|h| self.config.host_allowed(h));
        match host {
            Some(host) => format!("http://{host}"),
            None => format!("http://{}", self.config.server.listen),
        }
    }

    pub fn now(&self) -> i64 {
        (self.clock)()
    }

    /// The mailer, or `None` when `[mail]` is not configured (see [`mail`]).
    pub fn mailer(&self) -> Option<&mail::Mailer> {
        self.mailer.as_deref()
    }

    /// Sends `mail` if e-mail is configured. Call it only after the change the mail
    /// is about has been committed. A failure is logged here (recipient's domain
    /// and the error, never the text, which holds a secret link) and comes back as
    /// [`mail::MailOutcome::Failed`] for the page to say so.
    pub async fn send_mail(&self, mail: mail::Mail) -> mail::MailOutcome {
        let Some(mailer) = self.mailer() else {
            return mail::MailOutcome::NotConfigured;
        };
        let domain = mail
            .to
            .as_str()
            .rsplit_once('@')
            .map(|(_, d)| d.to_owned())
            .unwrap_or_default();
        match mailer.send(mail).await {
            Ok(()) => {
                tracing::info!(to_domain = %domain, "e-mail sent");
                mail::MailOutcome::Sent
            }
            Err(e) => {
                tracing::warn!(to_domain = %domain, error = %e, "e-mail not sent");
                mail::MailOutcome::Failed
            }
        }
    }

    pub fn setup_code(&self) -> Option<String> {
        self.setup_code.lock().ok().and_then(|c| c.clone())
    }
}

pub fn unix_now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64)
}

/// The router: every route of the shell and the parts, each behind the access
/// check it declares, and nothing else.
pub fn router(state: AppState) -> Router {
    let limit = state.config.server.max_body_bytes;
    let mut router = Router::new();
    for route in part::registry(&state.parts) {
        let path = route.path;
        router = router.route(path, route.into_method_router(&state));
    }
    router
        .fallback(routes::not_found)
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            ctx::context_middleware,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            metrics::track,
        ))
        .layer(DefaultBodyLimit::max(limit))
        .with_state(state)
}

/// Serves until `shutdown` resolves, then fires [`AppState::shutdown`] (which
/// ends the event streams) and finishes in-flight requests. Takes a bound
/// listener so tests can use port 0 and learn the address before serving.
pub async fn serve(
    listener: tokio::net::TcpListener,
    state: AppState,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let signal = state.shutdown.clone();
    let app = router(state).into_make_service_with_connect_info::<SocketAddr>();
    axum::serve(listener, app)
        .with_graceful_shutdown(async move {
            shutdown.await;
            // Before axum waits for connections: the event streams end on this.
            signal.fire();
        })
        .await
}
