//! Per-request context: language, logged-in user, CSRF token. One middleware works it
//! out once per request, checks the origin of state-changing requests, and renders
//! error responses as friendly pages in the user's language.

use crate::error::{AppError, ErrorPage};
use crate::i18n::{Locale, Tr};
use crate::{templates, AppState};
use axum::extract::{FromRequest, FromRequestParts, Request, State};
use axum::http::header::{self, HeaderMap, HeaderValue};
use axum::http::request::Parts;
use axum::http::{Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use koers_store::User;
use serde::de::DeserializeOwned;

pub const SESSION_COOKIE: &str = "koers_session";
pub const CSRF_COOKIE: &str = "koers_csrf";
pub const LANG_COOKIE: &str = "koers_lang";

#[derive(Clone, Debug)]
pub struct RequestCtx {
    pub locale: Locale,
    pub user: Option<User>,
    pub csrf: String,
    /// Path and query of this request, to come back to after a language switch.
    pub path: String,
    pub session_hash: Option<String>,
    /// The client's address for rate limits (behind a trusted proxy, the one it
    /// names). Never stored with anything a user sends.
    pub client: std::net::IpAddr,
    /// The installation's time zone, for every time shown on the page.
    pub time_zone: jiff::tz::TimeZone,
}

impl RequestCtx {
    pub fn tr(&self) -> Tr {
        Tr::new(self.locale).with_time_zone(self.time_zone.clone())
    }

    pub fn require_user(&self) -> Result<&User, AppError> {
        self.user
            .as_ref()
            .ok_or_else(|| AppError::LoginRequired(self.path.clone()))
    }
}

/// Extracts the context the middleware stored. Handlers take `Ctx` as an argument.
pub struct Ctx(pub RequestCtx);

impl<S: Send + Sync> FromRequestParts<S> for Ctx {
    type Rejection = AppError;
    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        parts
            .extensions
            .get::<RequestCtx>()
            .cloned()
            .map(Ctx)
            .ok_or_else(|| AppError::Internal(anyhow::anyhow!("request context missing")))
    }
}

/// The value of the cookie `name` in a request, parsed by the `cookie` crate (every
/// `Cookie` header, `;`-separated pairs, quoted values); `None` if absent.
pub fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(::cookie::Cookie::split_parse)
        .filter_map(Result::ok)
        .find(|c| c.name() == name)
        .map(|c| c.value().to_owned())
}

/// A `Set-Cookie` value: path `/`, HttpOnly, SameSite=Lax, Secure behind TLS, and a
/// max age when given (0 deletes). Built by the `cookie` crate, which refuses nothing
/// we give it: names are our constants and values are tokens or language codes.
pub fn set_cookie(name: &str, value: &str, max_age: Option<i64>, secure: bool) -> HeaderValue {
    let mut c = ::cookie::Cookie::build((name.to_owned(), value.to_owned()))
        .path("/")
        .http_only(true)
        .same_site(::cookie::SameSite::Lax)
        .secure(secure);
    if let Some(age) = max_age {
        c = c.max_age(::cookie::time::Duration::seconds(age));
    }
    HeaderValue::from_str(&c.build().to_string())
        .unwrap_or_else(|_| HeaderValue::from_static("koers_invalid=1"))
}

fn is_safe(method: &Method) -> bool {
    matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS)
}

/// The browser's own word on where a request came from. `Sec-Fetch-Site` where sent
/// (all current browsers), else `Origin` against `Host` or the configured public URL.
/// Requests with neither header (scripts, old browsers) fall through to the form token.
fn same_origin(headers: &HeaderMap, public_url: &str) -> bool {
    if let Some(site) = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok()) {
        return site == "same-origin" || site == "none";
    }
    let Some(origin) = headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()) else {
        return true;
    };
    if origin == "null" {
        return false;
    }
    if !public_url.is_empty() && origin.trim_end_matches('/') == public_url.trim_end_matches('/') {
        return true;
    }
    let host = headers
        .get(header::HOST)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let origin_host = origin.split_once("://").map(|(_, h)| h).unwrap_or("");
    !host.is_empty() && origin_host == host
}

fn skips_user_lookup(path: &str) -> bool {
    path.starts_with("/static/")
        || matches!(
            path,
            "/healthz" | "/readyz" | "/metrics" | "/theme.css" | "/favicon.ico"
        )
}

pub async fn context_middleware(
    State(state): State<AppState>,
    mut req: Request,
    next: Next,
) -> Response {
    let headers = req.headers().clone();
    let path = req
        .uri()
        .path_and_query()
        .map(|p| p.as_str().to_owned())
        .unwrap_or_else(|| "/".into());
    let now = state.now();

    let (csrf, new_csrf) = match cookie(&headers, CSRF_COOKIE) {
        Some(t) if t.len() >= 32 && t.len() <= 64 => (t, false),
        _ => (crate::auth::new_token(), true),
    };

    let mut user = None;
    let mut session_hash = None;
    if !skips_user_lookup(req.uri().path()) {
        if let Some(token) = cookie(&headers, SESSION_COOKIE) {
            let hash = crate::auth::token_hash(&token);
            match state.store.login_session_user(&hash, now).await {
                Ok(u) => {
                    user = u;
                    session_hash = Some(hash);
                }
                Err(e) => tracing::warn!("session lookup failed: {e}"),
            }
        }
    }

    let locale = cookie(&headers, LANG_COOKIE)
        .as_deref()
        .and_then(Locale::parse)
        .or_else(|| {
            user.as_ref()
                .and_then(|u| u.locale.as_deref())
                .and_then(Locale::parse)
        })
        .or_else(|| {
            headers
                .get(header::ACCEPT_LANGUAGE)
                .and_then(|v| v.to_str().ok())
                .and_then(Locale::from_accept_language)
        })
        .unwrap_or_default();

    let peer = req
        .extensions()
        .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
        .map_or(std::net::IpAddr::from([0, 0, 0, 0]), |c| c.0.ip());
    let ctx = RequestCtx {
        locale,
        user,
        csrf: csrf.clone(),
        path,
        session_hash,
        client: crate::auth::client_addr(peer, &headers, &state.trusted_proxies),
        time_zone: state.time_zone.clone(),
    };
    let mut response =
        if !is_safe(req.method()) && !same_origin(&headers, &state.config.server.public_url) {
            tracing::warn!(path = %req.uri().path(), "cross-origin state-changing request refused");
            AppError::Csrf.into_response()
        } else {
            req.extensions_mut().insert(ctx.clone());
            let sheddable = crate::shed::sheddable(&req, ctx.user.is_some());
            let admitted = if sheddable {
                state.load.admit(state.config.server.max_requests_in_flight)
            } else {
                None
            };
            if sheddable && admitted.is_none() {
                AppError::Busy.into_response()
            } else {
                let response = next.run(req).await;
                drop(admitted);
                response
            }
        };

    // axum's own rejections (a query or path that does not parse, a method the
    // route lacks) are plain-text client errors without the marker; they get the
    // friendly page too, with their status.
    let plain_rejection = response.status().is_client_error()
        && response
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|t| t.starts_with("text/plain"));
    let marked = response.extensions().get::<ErrorPage>().copied();
    // 401 is only ever /metrics asking a scraper for its token: not a page.
    let plain_rejection = plain_rejection && response.status() != StatusCode::UNAUTHORIZED;
    if let Some(page) = marked.or(plain_rejection.then(ErrorPage::default)) {
        let status = response.status();
        let retry = response.headers().get(header::RETRY_AFTER).cloned();
        response = match page.message {
            Some(key) => {
                templates::error_page_with(&state, &ctx, status, &format!("{}-title", key), key)
            }
            None => templates::error_page(&state, &ctx, status),
        };
        if let Some(r) = retry {
            response.headers_mut().insert(header::RETRY_AFTER, r);
        }
    }
    if new_csrf {
        response.headers_mut().append(
            header::SET_COOKIE,
            set_cookie(CSRF_COOKIE, &csrf, None, state.config.secure_cookies()),
        );
    }
    let h = response.headers_mut();
    // A page for a logged-in user holds their organisation's data: no browser
    // or proxy cache keeps it (a shared computer's back button after logout).
    // Static files skip the user lookup, so they stay cacheable.
    if ctx.user.is_some() {
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    h.entry(header::CONTENT_LANGUAGE)
        .or_insert(HeaderValue::from_static(locale.code()));
    h.insert(
        "x-content-type-options",
        HeaderValue::from_static("nosniff"),
    );
    h.insert("referrer-policy", HeaderValue::from_static("same-origin"));
    h.insert("x-frame-options", HeaderValue::from_static("DENY"));
    h.entry("content-security-policy").or_insert(HeaderValue::from_static(
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'; form-action 'self'",
    ));
    response
}

/// A URL-encoded form whose `csrf` field must match the browser's CSRF cookie. Body
/// size limits, malformed bodies and token mismatches all become friendly pages.
pub struct Form<T>(pub T);

impl<T: DeserializeOwned> FromRequest<AppState> for Form<T> {
    type Rejection = AppError;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, Self::Rejection> {
        let expected = req.extensions().get::<RequestCtx>().map(|c| c.csrf.clone());
        let body = axum::body::Bytes::from_request(req, state)
            .await
            .map_err(|rejection| {
                if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
                    AppError::PayloadTooLarge
                } else {
                    AppError::BadRequest
                }
            })?;
        let pairs: Vec<(String, String)> =
            serde_urlencoded::from_bytes(&body).map_err(|_| AppError::BadRequest)?;
        let sent = pairs
            .iter()
            .find(|(k, _)| k == "csrf")
            .map(|(_, v)| v.as_str());
        match (expected, sent) {
            (Some(e), Some(s)) if crate::auth::tokens_equal(&e, s) => {}
            _ => return Err(AppError::Csrf),
        }
        serde_urlencoded::from_bytes(&body).map(Form).map_err(|e| {
            tracing::debug!("form did not parse: {e}");
            AppError::BadRequest
        })
    }
}

/// Path parameters, as axum's `Path`, but a parameter that does not parse (an id
/// beyond `i64`, letters where a number belongs) is the friendly 404 page: such a
/// path names nothing that exists, and axum's own rejection is a plain-text 400.
/// Every handler of the shell and the parts takes this one.
pub struct Path<T>(pub T);

impl<T, S> FromRequestParts<S> for Path<T>
where
    T: DeserializeOwned + Send,
    S: Send + Sync,
{
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        axum::extract::Path::<T>::from_request_parts(parts, state)
            .await
            .map(|axum::extract::Path(v)| Path(v))
            .map_err(|rejection| {
                tracing::debug!("path did not parse: {rejection}");
                AppError::NotFound
            })
    }
}

/// A form with no fields but the CSRF token (a button that does one thing).
#[derive(serde::Deserialize)]
pub struct Empty {}
