//! Health, readiness, metrics and static assets.

use crate::ctx::Ctx;
use crate::ctx::Path;
use crate::error::{AppError, AppResult};
use crate::AppState;
use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};

pub async fn healthz() -> &'static str {
    "ok"
}

/// Ready only when the database answers: a load balancer should not send traffic to
/// an instance that cannot reach its database.
pub async fn readyz(State(state): State<AppState>) -> Response {
    match state.store.ping().await {
        Ok(()) => (StatusCode::OK, "ready").into_response(),
        Err(e) => {
            tracing::warn!("not ready: {e}");
            (StatusCode::SERVICE_UNAVAILABLE, "database unreachable").into_response()
        }
    }
}

pub async fn metrics(State(state): State<AppState>, headers: axum::http::HeaderMap) -> Response {
    let token = &state.config.server.metrics_token;
    if !token.is_empty() {
        let sent = headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .unwrap_or("");
        if !crate::auth::tokens_equal(sent, token) {
            return (
                axum::http::StatusCode::UNAUTHORIZED,
                [(header::WWW_AUTHENTICATE, "Bearer")],
                "metrics: token required / token vereist\n",
            )
                .into_response();
        }
    }
    (
        [(
            header::CONTENT_TYPE,
            "text/plain; version=0.0.4; charset=utf-8",
        )],
        {
            let mut text = state.metrics.render(state.store.backend_name());
            let _ = std::fmt::Write::write_fmt(
                &mut text,
                format_args!(
                    "# HELP koers_http_requests_shed_total Anonymous page requests answered 503 because the server was busy.\n\
                     # TYPE koers_http_requests_shed_total counter\n\
                     koers_http_requests_shed_total {}\n\
                     # HELP koers_http_requests_in_flight Anonymous page requests being answered now.\n\
                     # TYPE koers_http_requests_in_flight gauge\n\
                     koers_http_requests_in_flight {}\n",
                    state.load.shed_total(),
                    state.load.in_flight()
                ),
            );
            text
        },
    )
        .into_response()
}

const CSS: &str = include_str!("../../assets/koers.css");
const JS: &str = include_str!("../../assets/koers.js");
/// The room screen's script (Sessie's projector and countdown), issue 9.
const ROOM_JS: &str = include_str!("../../assets/room.js");
const LOGO: &str = include_str!("../../assets/favicon.svg");

pub async fn asset(Path(file): Path<String>) -> AppResult<Response> {
    let (body, mime) = match file.as_str() {
        "koers.css" => (CSS, "text/css; charset=utf-8"),
        "koers.js" => (JS, "text/javascript; charset=utf-8"),
        "room.js" => (ROOM_JS, "text/javascript; charset=utf-8"),
        "favicon.svg" => (LOGO, "image/svg+xml"),
        _ => return Err(AppError::NotFound),
    };
    Ok((
        [
            (header::CONTENT_TYPE, mime),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        body,
    )
        .into_response())
}

pub async fn favicon() -> Response {
    (
        [
            (header::CONTENT_TYPE, "image/svg+xml"),
            (header::CACHE_CONTROL, "public, max-age=86400"),
        ],
        LOGO,
    )
        .into_response()
}

pub async fn theme_css(State(state): State<AppState>) -> AppResult<Response> {
    let css = state.theme_css.clone().ok_or(AppError::NotFound)?;
    Ok((
        [(header::CONTENT_TYPE, "text/css; charset=utf-8")],
        css.to_string(),
    )
        .into_response())
}

pub async fn not_found(_ctx: Ctx) -> AppError {
    AppError::NotFound
}
