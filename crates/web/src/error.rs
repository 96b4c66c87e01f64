//! One error type for the web layer. Handlers return `AppError`; it becomes a status
//! code plus a marker, and the context middleware renders the friendly page in the
//! user's language (it knows the language; `IntoResponse` does not). The whole cause
//! chain of unexpected errors is logged, never shown.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use koers_store::StoreError;

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("not found")]
    NotFound,
    /// Not logged in: go to the login page and come back to this path.
    #[error("login required")]
    LoginRequired(String),
    #[error("forbidden")]
    Forbidden,
    #[error("csrf check failed")]
    Csrf,
    #[error("request body too large")]
    PayloadTooLarge,
    #[error("bad request")]
    BadRequest,
    #[error("too many requests")]
    TooManyRequests,
    #[error("service unavailable")]
    Unavailable,
    /// Past capacity: nothing was done; the page says so and tries again itself.
    #[error("busy")]
    Busy,
    /// The disk is full: nothing was stored, and the user is told so.
    #[error("storage full")]
    StorageFull,
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

/// Put on error responses; the context middleware replaces the body with a page.
/// `message` names a more specific text than the status's own, if any.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ErrorPage {
    pub message: Option<&'static str>,
}

impl From<StoreError> for AppError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound => Self::NotFound,
            StoreError::Unreachable(_) => Self::Unavailable,
            StoreError::DiskFull(_) => Self::StorageFull,
            StoreError::Busy(_) => Self::Busy,
            other => Self::Internal(anyhow::Error::new(other)),
        }
    }
}

impl From<askama::Error> for AppError {
    fn from(e: askama::Error) -> Self {
        Self::Internal(anyhow::anyhow!("template: {e}"))
    }
}

impl AppError {
    pub fn status(&self) -> StatusCode {
        match self {
            Self::NotFound => StatusCode::NOT_FOUND,
            Self::LoginRequired(_) => StatusCode::SEE_OTHER,
            Self::Forbidden | Self::Csrf => StatusCode::FORBIDDEN,
            Self::PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            Self::BadRequest => StatusCode::BAD_REQUEST,
            Self::TooManyRequests => StatusCode::TOO_MANY_REQUESTS,
            Self::Unavailable | Self::StorageFull | Self::Busy => StatusCode::SERVICE_UNAVAILABLE,
            Self::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        if let Self::Internal(e) = &self {
            tracing::error!(error = format!("{e:#}"), "internal error");
        }
        if let Self::LoginRequired(back) = &self {
            let to = format!(
                "/inloggen?terug={}",
                serde_urlencoded::to_string([("", back)])
                    .unwrap_or_default()
                    .trim_start_matches('=')
            );
            return axum::response::Redirect::to(&to).into_response();
        }
        if let Self::Unavailable = &self {
            tracing::warn!("database unavailable");
        }
        if let Self::StorageFull = &self {
            tracing::error!("the disk is full: a write was refused and reported to the user");
        }
        let mut res = self.status().into_response();
        res.extensions_mut().insert(ErrorPage {
            message: match self {
                Self::StorageFull => Some("error-storage-full"),
                Self::Busy => Some(BUSY_MESSAGE),
                _ => None,
            },
        });
        if let Self::Busy = &self {
            res.headers_mut().insert(
                axum::http::header::RETRY_AFTER,
                axum::http::HeaderValue::from_static(BUSY_RETRY_SECS),
            );
        }
        if matches!(self, Self::Unavailable | Self::StorageFull) {
            res.headers_mut().insert(
                axum::http::header::RETRY_AFTER,
                axum::http::HeaderValue::from_static("30"),
            );
        }
        res
    }
}

/// The message key of the busy page; its page offers to try again.
pub const BUSY_MESSAGE: &str = "error-busy";
/// Seconds a busy client waits before trying again (`Retry-After`).
pub const BUSY_RETRY_SECS: &str = "2";

pub type AppResult<T> = Result<T, AppError>;
