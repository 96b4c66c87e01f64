//! The web layer of Koers: an axum router that renders server-side HTML (askama,
//! embedded in the binary), with every action a plain link or form so that nothing
//! needs JavaScript. Handlers parse input into `koers-core` types at the edge, call
//! the store, and render; the clock is read here and passed down.

pub mod auth;
pub mod config;
pub mod ctx;
pub mod demo;
pub mod error;
pub mod export;
pub mod i18n;
pub mod import;
pub mod live;
pub mod metrics;
mod routes;
pub mod templates;

use axum::extract::DefaultBodyLimit;
use axum::Router;
use config::Config;
use koers_store::Store;
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
    pub join_limiter: Arc<auth::RateLimiter>,
    pub live: Arc<live::LiveHub>,
    /// The one-time code that the first-run setup page asks for; `None` once an
    /// administrator exists. Printed in the server log at start.
    pub setup_code: Arc<Mutex<Option<String>>>,
    /// The NLDS theme stylesheet from config, read once at start.
    pub theme_css: Option<Arc<str>>,
    /// Parsed `server.trusted_proxies`.
    pub trusted_proxies: Arc<[std::net::IpAddr]>,
    clock: Arc<dyn Fn() -> i64 + Send + Sync>,
}

impl AppState {
    /// Builds the state. Reads the theme file named in config, if any.
    pub async fn new(store: Store, config: Config) -> anyhow::Result<Self> {
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
        let join_limiter = auth::RateLimiter::new(60, config.security.joins_per_address_per_minute);
        let live = live::LiveHub::start(store.clone());
        let trusted_proxies: Arc<[std::net::IpAddr]> = config.trusted_proxy_addrs().into();
        Ok(Self {
            store,
            config: Arc::new(config),
            metrics: Arc::new(metrics::Metrics::default()),
            login_limiter: Arc::new(limiter),
            join_limiter: Arc::new(join_limiter),
            live,
            setup_code: Arc::new(Mutex::new(setup_code)),
            theme_css,
            trusted_proxies,
            clock: Arc::new(unix_now),
        })
    }

    /// Replaces the clock, for tests of expiry and lockout.
    pub fn with_clock(mut self, clock: impl Fn() -> i64 + Send + Sync + 'static) -> Self {
        self.clock = Arc::new(clock);
        self
    }

    pub fn now(&self) -> i64 {
        (self.clock)()
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

pub fn router(state: AppState) -> Router {
    let limit = state.config.server.max_body_bytes;
    routes::routes()
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

/// Serves until `shutdown` resolves, then finishes in-flight requests. Takes a bound
/// listener so tests can use port 0 and learn the address before serving.
pub async fn serve(
    listener: tokio::net::TcpListener,
    state: AppState,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let app = router(state).into_make_service_with_connect_info::<SocketAddr>();
    axum::serve(listener, app)
        .with_graceful_shutdown(shutdown)
        .await
}
