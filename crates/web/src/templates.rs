//! Askama templates (compile-time checked, auto-escaping) and the view models they
//! render. View models hold display-ready strings so templates stay free of logic.

use crate::ctx::RequestCtx;
use crate::i18n::Tr;
use crate::AppState;
use askama::Template;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use koers_core::FieldError;

/// What every page's layout needs.
pub struct Page {
    pub tr: Tr,
    pub title: String,
    pub user_name: Option<String>,
    pub is_admin: bool,
    pub csrf: String,
    pub path: String,
    pub theme_class: String,
    pub has_theme: bool,
    /// A short confirmation after a redirect ("Opgeslagen"), already translated.
    pub notice: Option<String>,
    /// The header offers no login: the page is for someone who takes part without
    /// an account (a participant in a live session), for whom "Inloggen" is a
    /// dead end. A logged-in user keeps their own header.
    pub hide_login: bool,
}

impl Page {
    pub fn new(state: &AppState, ctx: &RequestCtx, title_key: &str) -> Self {
        let tr = ctx.tr();
        let notice = ctx
            .path
            .split_once('?')
            .and_then(|(_, q)| serde_urlencoded::from_str::<Vec<(String, String)>>(q).ok())
            .and_then(|q| q.into_iter().find(|(k, _)| k == "melding").map(|(_, v)| v))
            // Only a message the locale files define as `notice-…` can be named, so a
            // crafted link cannot put arbitrary text on a page.
            .map(|v| format!("notice-{v}"))
            .filter(|key| key.len() < 64 && tr.has(key))
            .map(|key| tr.t(&key));
        Self {
            title: tr.t(title_key),
            tr,
            user_name: ctx.user.as_ref().map(|u| u.display_name.clone()),
            is_admin: ctx.user.as_ref().is_some_and(|u| u.is_platform_admin),
            csrf: ctx.csrf.clone(),
            path: ctx.path.clone(),
            theme_class: state.config.theme.class.clone(),
            has_theme: state.theme_css.is_some(),
            notice,
            hide_login: false,
        }
    }

    /// A page for someone without an account: no login link in the header.
    pub fn without_login(mut self) -> Self {
        self.hide_login = true;
        self
    }

    pub fn with_title(mut self, title: String) -> Self {
        self.title = title;
        self
    }

    pub fn t(&self, key: &str) -> String {
        self.tr.t(key)
    }

    /// A message with one number `$n`, for Fluent's plural forms
    /// ("1 deelnemer", "5 deelnemers") in templates.
    pub fn t_n(&self, key: &str, n: u32) -> String {
        self.tr
            .t_with(key, &[("n", crate::i18n::FluentValue::from(n))])
    }

    pub fn lang(&self) -> &'static str {
        self.tr.locale.code()
    }

    pub fn other_lang(&self) -> &'static str {
        self.tr.locale.other().code()
    }

    pub fn other_lang_name(&self) -> &'static str {
        match self.tr.locale.other() {
            crate::i18n::Locale::Nl => "Nederlands",
            crate::i18n::Locale::En => "English",
        }
    }

    /// The link that switches language and comes back here.
    pub fn switch_lang_url(&self) -> String {
        let back = self.path.split('?').next().unwrap_or("/");
        format!(
            "/taal/{}?terug={}",
            self.other_lang(),
            serde_urlencoded::to_string([("", back)])
                .unwrap_or_default()
                .trim_start_matches('=')
        )
    }

    pub fn logged_in(&self) -> bool {
        self.user_name.is_some()
    }

    pub fn version(&self) -> &'static str {
        env!("CARGO_PKG_VERSION")
    }
}

/// Validation errors of one form, translated, in field order.
#[derive(Default, Debug, Clone)]
pub struct FormErrors {
    pub items: Vec<(String, String)>,
}

impl FormErrors {
    pub fn from_fields(tr: &Tr, errors: &[FieldError]) -> Self {
        let mut out = Self::default();
        for e in errors {
            out.add(tr, e.field, e.key);
        }
        out
    }

    pub fn add(&mut self, tr: &Tr, field: &str, key: &str) {
        if !self.has(field) {
            self.items.push((field.to_owned(), tr.t(key)));
        }
    }

    pub fn has(&self, field: &str) -> bool {
        self.items.iter().any(|(f, _)| f == field)
    }

    pub fn get(&self, field: &str) -> Option<&str> {
        self.items
            .iter()
            .find(|(f, _)| f == field)
            .map(|(_, m)| m.as_str())
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }
}

/// An option of a `<select>` or radio group.
pub struct Choice {
    pub value: String,
    pub label: String,
    pub selected: bool,
}

pub fn choices<T: Copy + PartialEq>(
    tr: &Tr,
    all: &[T],
    value: impl Fn(T) -> &'static str,
    prefix: &str,
    selected: Option<T>,
) -> Vec<Choice> {
    all.iter()
        .map(|&x| Choice {
            value: value(x).to_owned(),
            label: tr.t(&format!("{prefix}{}", value(x).replace('_', "-"))),
            selected: selected == Some(x),
        })
        .collect()
}

/// Renders a template into a response with the given status.
pub fn render(status: StatusCode, t: &impl Template) -> Response {
    match t.render() {
        Ok(html) => (status, Html(html)).into_response(),
        Err(e) => {
            tracing::error!("template failed: {e}");
            (
                StatusCode::INTERNAL_SERVER_ERROR,
                "Internal error / interne fout",
            )
                .into_response()
        }
    }
}

#[derive(Template)]
#[template(path = "error.html")]
pub struct ErrorTpl {
    pub c: Page,
    pub status: u16,
    pub message: String,
    /// Where "try again" leads, on the busy page (which also tries by itself).
    pub retry: Option<String>,
    pub retry_secs: &'static str,
    /// Where the page leads back to instead of the home page, as (href, text):
    /// a participant's error goes back to the session or to the code form.
    pub back: Option<(String, String)>,
}

pub fn error_page(state: &AppState, ctx: &RequestCtx, status: StatusCode) -> Response {
    let key = match status.as_u16() {
        404 => "error-404",
        403 => "error-403",
        413 => "error-413",
        400 => "error-400",
        429 => "error-429",
        503 => "error-503",
        _ => "error-500",
    };
    let c = Page::new(state, ctx, &format!("{key}-title"));
    let message = c.t(key);
    render(
        status,
        &ErrorTpl {
            c,
            status: status.as_u16(),
            message,
            retry: None,
            retry_secs: crate::error::BUSY_RETRY_SECS,
            back: None,
        },
    )
}

/// An error page with a specific message (e.g. an expired invitation).
pub fn error_page_with(
    state: &AppState,
    ctx: &RequestCtx,
    status: StatusCode,
    title_key: &str,
    message_key: &str,
) -> Response {
    let c = Page::new(state, ctx, title_key);
    let message = c.t(message_key);
    // Only page requests are turned away busy, so the page itself is the retry.
    let retry = (message_key == crate::error::BUSY_MESSAGE)
        .then(|| crate::routes::safe_return_path(&ctx.path).to_owned());
    render(
        status,
        &ErrorTpl {
            c,
            status: status.as_u16(),
            message,
            retry,
            retry_secs: crate::error::BUSY_RETRY_SECS,
            back: None,
        },
    )
}

/// An error page on a page of the caller's making (e.g. one without a login link)
/// that leads back to `back` (href, text) rather than to the home page.
pub fn error_page_back(
    c: Page,
    status: StatusCode,
    message_key: &str,
    back: (String, String),
) -> Response {
    let message = c.t(message_key);
    render(
        status,
        &ErrorTpl {
            c,
            status: status.as_u16(),
            message,
            retry: None,
            retry_secs: crate::error::BUSY_RETRY_SECS,
            back: Some(back),
        },
    )
}
