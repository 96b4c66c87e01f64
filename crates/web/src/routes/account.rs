//! Home, login and logout, first-run setup, language switch, own account.

use super::{redirect, safe_return_path};
use crate::auth;
use crate::ctx::Path;
use crate::ctx::{set_cookie, Ctx, Form, RequestCtx, LANG_COOKIE, SESSION_COOKIE};
use crate::error::{AppError, AppResult};
use crate::i18n::Locale;
use crate::templates::{render, Choice, FormErrors, Page};
use crate::AppState;
use askama::Template;
use axum::extract::{ConnectInfo, Query, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::Response;
use koers_core::{DisplayName, Email, FieldError, Password};
use serde::Deserialize;
use std::net::SocketAddr;
use std::sync::atomic::Ordering;

pub struct OrgLink {
    pub id: i64,
    pub name: String,
    pub kind: String,
    pub role: String,
}

#[derive(Template)]
#[template(path = "home.html")]
pub struct HomeTpl {
    pub c: Page,
    pub orgs: Vec<OrgLink>,
    /// The parts' home panels, rendered by each part.
    pub panels: Vec<String>,
}

pub async fn home(State(state): State<AppState>, Ctx(ctx): Ctx) -> AppResult<Response> {
    if ctx.user.is_none() && !state.store.has_platform_admin().await? {
        return Ok(redirect("/installatie"));
    }
    let c = Page::new(&state, &ctx, "home-title");
    let mut orgs = vec![];
    if let Some(user) = &ctx.user {
        for (org, role) in state.store.memberships_of(user.id).await? {
            orgs.push(OrgLink {
                id: org.id.0,
                name: org.name,
                kind: c.t(&format!("org-kind-{}", org.kind.as_str())),
                role: c.t(&format!("role-{}", role.as_str())),
            });
        }
    }
    let home = crate::part::HomeContext {
        tr: &c.tr,
        csrf: &c.csrf,
        logged_in: c.logged_in(),
    };
    let panels = state
        .parts
        .iter()
        .filter_map(|p| p.home_panel(&home))
        .collect();
    Ok(render(StatusCode::OK, &HomeTpl { c, orgs, panels }))
}

#[derive(Template)]
#[template(path = "login.html")]
pub struct LoginTpl {
    pub c: Page,
    pub errors: FormErrors,
    pub email: String,
    pub next: String,
}

#[derive(Deserialize, Default)]
pub struct LoginQuery {
    #[serde(default)]
    pub terug: String,
}

pub async fn login_form(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    Query(q): Query<LoginQuery>,
) -> AppResult<Response> {
    if !state.store.has_platform_admin().await? {
        return Ok(redirect("/installatie"));
    }
    if ctx.user.is_some() {
        return Ok(redirect(safe_return_path(&q.terug)));
    }
    let c = Page::new(&state, &ctx, "login-title");
    Ok(render(
        StatusCode::OK,
        &LoginTpl {
            c,
            errors: FormErrors::default(),
            email: String::new(),
            next: safe_return_path(&q.terug).to_owned(),
        },
    ))
}

#[derive(Deserialize)]
pub struct LoginForm {
    #[serde(default)]
    pub email: String,
    #[serde(default)]
    pub password: String,
    #[serde(default)]
    pub next: String,
}

pub async fn login(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: axum::http::HeaderMap,
    Form(form): Form<LoginForm>,
) -> AppResult<Response> {
    let now = state.now();
    let tr = ctx.tr();
    let next = safe_return_path(&form.next).to_owned();
    let fail = |key: &str, status: StatusCode| {
        let mut errors = FormErrors::default();
        errors.add(&tr, "email", key);
        let c = Page::new(&state, &ctx, "login-title");
        render(
            status,
            &LoginTpl {
                c,
                errors,
                email: form.email.clone(),
                next: next.clone(),
            },
        )
    };
    let client = auth::client_addr(peer.ip(), &headers, &state.trusted_proxies);
    // Per client address, whatever the account: says nothing about any account.
    if !state.login_limiter.allow(client, now) {
        return Ok(fail("error-login-rate", StatusCode::TOO_MANY_REQUESTS));
    }
    // From here on every failure gets the same status, page and (one Argon2
    // verification) the same time: unknown address, wrong password, or this
    // client held back for this address after repeated failures.
    let held_back = state.login_throttle.is_blocked(client, &form.email, now);
    let user = match Email::parse(&form.email) {
        Ok(email) => state.store.user_by_email(&email).await?,
        Err(_) => None,
    };
    let user = match user {
        Some(user) if !held_back => {
            auth::verify_password(form.password.clone(), user.password_hash.clone())
                .await
                .then_some(user)
        }
        _ => {
            auth::verify_password(form.password.clone(), auth::dummy_hash().await).await;
            None
        }
    };
    let Some(user) = user else {
        state.metrics.logins_failed.fetch_add(1, Ordering::Relaxed);
        if !held_back
            && state
                .login_throttle
                .record_failure(client, &form.email, now)
        {
            tracing::warn!("login held back for one client and address after repeated failures");
        }
        return Ok(fail("error-login-failed", StatusCode::UNPROCESSABLE_ENTITY));
    };
    state.login_throttle.record_success(client, &form.email);
    state.store.record_successful_login(user.id).await?;
    state
        .metrics
        .logins_succeeded
        .fetch_add(1, Ordering::Relaxed);
    start_session(&state, &ctx, user.id, &next).await
}

/// Creates a login session and redirects with its cookie. Any previous session of
/// this browser is ended first (no session fixation).
pub(crate) async fn start_session(
    state: &AppState,
    ctx: &RequestCtx,
    user: koers_core::UserId,
    to: &str,
) -> AppResult<Response> {
    if let Some(old) = &ctx.session_hash {
        state.store.delete_login_session(old).await?;
    }
    let now = state.now();
    let days = i64::from(state.config.security.session_days);
    let token = auth::new_token();
    state
        .store
        .create_login_session(&auth::token_hash(&token), user, now, now + days * 86_400)
        .await?;
    let mut res = redirect(safe_return_path(to));
    res.headers_mut().append(
        header::SET_COOKIE,
        set_cookie(
            SESSION_COOKIE,
            &token,
            Some(days * 86_400),
            state.config.secure_cookies(),
        ),
    );
    Ok(res)
}

pub use crate::ctx::Empty;

pub async fn logout(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    Form(_): Form<Empty>,
) -> AppResult<Response> {
    if let Some(hash) = &ctx.session_hash {
        state.store.delete_login_session(hash).await?;
    }
    let mut res = redirect("/?melding=logged-out");
    res.headers_mut().append(
        header::SET_COOKIE,
        set_cookie(SESSION_COOKIE, "", Some(0), state.config.secure_cookies()),
    );
    Ok(res)
}

#[derive(Template)]
#[template(path = "setup.html")]
pub struct SetupTpl {
    pub c: Page,
    pub errors: FormErrors,
    pub name: String,
    pub email: String,
}

pub async fn setup_form(State(state): State<AppState>, Ctx(ctx): Ctx) -> AppResult<Response> {
    if state.store.has_platform_admin().await? {
        return Ok(redirect("/inloggen"));
    }
    let c = Page::new(&state, &ctx, "setup-title");
    Ok(render(
        StatusCode::OK,
        &SetupTpl {
            c,
            errors: FormErrors::default(),
            name: String::new(),
            email: String::new(),
        },
    ))
}

#[derive(Deserialize)]
pub struct SetupForm {
    #[serde(default)]
    pub setup_code: String,
    #[serde(default)]
    pub display_name: String,
    #[serde(default)]
    pub email: String,
    #[serde(default)]
    pub password: String,
    #[serde(default)]
    pub password_again: String,
}

pub async fn setup(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    Form(form): Form<SetupForm>,
) -> AppResult<Response> {
    if state.store.has_platform_admin().await? {
        return Ok(redirect("/inloggen"));
    }
    let tr = ctx.tr();
    let mut errs: Vec<FieldError> = vec![];
    let code_ok = state
        .setup_code()
        .is_some_and(|code| auth::tokens_equal(code.as_str(), form.setup_code.trim()));
    if !code_ok {
        errs.push(FieldError::new("setup_code", "error-setup-code"));
    }
    let name = DisplayName::parse(&form.display_name)
        .map_err(|e| errs.push(e))
        .ok();
    let email = Email::parse(&form.email).map_err(|e| errs.push(e)).ok();
    let password = Password::parse_confirmed(&form.password, &form.password_again, email.as_ref())
        .map_err(|e| errs.push(e))
        .ok();
    let (Some(name), Some(email), Some(password), true) = (name, email, password, errs.is_empty())
    else {
        let c = Page::new(&state, &ctx, "setup-title");
        return Ok(render(
            StatusCode::UNPROCESSABLE_ENTITY,
            &SetupTpl {
                c,
                errors: FormErrors::from_fields(&tr, &errs),
                name: form.display_name,
                email: form.email,
            },
        ));
    };
    let hash = auth::hash_password(password.expose().to_owned()).await?;
    let now = state.now();
    let user = state
        .store
        .create_user(
            koers_store::NewUser {
                email: &email,
                display_name: &name,
                password_hash: &hash,
                is_platform_admin: true,
            },
            now,
        )
        .await?;
    if let Ok(mut code) = state.setup_code.lock() {
        *code = None;
    }
    state
        .store
        .audit(&koers_store::AuditEntry {
            organisation_id: None,
            actor: Some(user.id),
            action: "setup.admin_created".into(),
            detail: email.as_str().into(),
            created_at: now,
        })
        .await?;
    start_session(&state, &ctx, user.id, "/beheer").await
}

#[derive(Deserialize, Default)]
pub struct LangQuery {
    #[serde(default)]
    pub terug: String,
}

/// A plain link switches language (no JavaScript, no form); the choice is kept in a
/// cookie only. A GET changes nothing stored: following a link, or a prefetch, must
/// not write to anyone's account. The account page saves a preference with a POST
/// ([`save_language`]).
pub async fn switch_language(
    State(state): State<AppState>,
    Path(code): Path<String>,
    Query(q): Query<LangQuery>,
) -> AppResult<Response> {
    let locale = Locale::parse(&code).ok_or(AppError::NotFound)?;
    let mut res = redirect(safe_return_path(&q.terug));
    res.headers_mut()
        .append(header::SET_COOKIE, lang_cookie(&state, locale));
    res.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(res)
}

fn lang_cookie(state: &AppState, locale: Locale) -> HeaderValue {
    set_cookie(
        LANG_COOKIE,
        locale.code(),
        Some(365 * 86_400),
        state.config.secure_cookies(),
    )
}

#[derive(Deserialize)]
pub struct LanguageForm {
    #[serde(default)]
    pub locale: String,
}

/// Saves the account's language, used on any browser without a language cookie,
/// and sets this browser's cookie to it so the choice shows at once.
pub async fn save_language(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    Form(form): Form<LanguageForm>,
) -> AppResult<Response> {
    let user = ctx.require_user()?;
    let locale = Locale::parse(&form.locale).ok_or(AppError::BadRequest)?;
    state.store.set_locale(user.id, locale.code()).await?;
    let mut res = redirect("/account?melding=language-saved");
    res.headers_mut()
        .append(header::SET_COOKIE, lang_cookie(&state, locale));
    Ok(res)
}

/// The languages for the account page's form, the account's own selected (or the
/// page's language when it has none).
fn language_choices(ctx: &RequestCtx) -> Vec<Choice> {
    let saved = ctx
        .user
        .as_ref()
        .and_then(|u| u.locale.as_deref())
        .and_then(Locale::parse)
        .unwrap_or(ctx.locale);
    Locale::ALL
        .iter()
        .map(|l| Choice {
            value: l.code().to_owned(),
            label: match l {
                Locale::Nl => "Nederlands".to_owned(),
                Locale::En => "English".to_owned(),
            },
            selected: *l == saved,
        })
        .collect()
}

#[derive(Template)]
#[template(path = "account.html")]
pub struct AccountTpl {
    pub c: Page,
    pub errors: FormErrors,
    pub email: String,
    pub languages: Vec<Choice>,
}

pub async fn account_page(State(state): State<AppState>, Ctx(ctx): Ctx) -> AppResult<Response> {
    let Some(user) = &ctx.user else {
        return Ok(redirect("/inloggen?terug=/account"));
    };
    let email = user.email.clone();
    let c = Page::new(&state, &ctx, "account-title");
    Ok(render(
        StatusCode::OK,
        &AccountTpl {
            c,
            errors: FormErrors::default(),
            email,
            languages: language_choices(&ctx),
        },
    ))
}

#[derive(Deserialize)]
pub struct PasswordForm {
    #[serde(default)]
    pub current_password: String,
    #[serde(default)]
    pub password: String,
    #[serde(default)]
    pub password_again: String,
}

pub async fn change_password(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    Form(form): Form<PasswordForm>,
) -> AppResult<Response> {
    let user = ctx.require_user()?.clone();
    let tr = ctx.tr();
    let mut errs = vec![];
    if !auth::verify_password(form.current_password.clone(), user.password_hash.clone()).await {
        errs.push(FieldError::new(
            "current_password",
            "error-current-password",
        ));
    }
    let own = Email::parse(&user.email).ok();
    let password = Password::parse_confirmed(&form.password, &form.password_again, own.as_ref())
        .map_err(|e| errs.push(e))
        .ok();
    let (Some(password), true) = (password, errs.is_empty()) else {
        let c = Page::new(&state, &ctx, "account-title");
        return Ok(render(
            StatusCode::UNPROCESSABLE_ENTITY,
            &AccountTpl {
                c,
                errors: FormErrors::from_fields(&tr, &errs),
                email: user.email,
                languages: language_choices(&ctx),
            },
        ));
    };
    let hash = auth::hash_password(password.expose().to_owned()).await?;
    state.store.set_password_hash(user.id, &hash).await?;
    // Other browsers logged in as this user lose their session; this one gets a new one.
    state.store.delete_login_sessions_of(user.id).await?;
    let ctx = RequestCtx {
        session_hash: None,
        ..ctx
    };
    start_session(&state, &ctx, user.id, "/account?melding=password-changed").await
}
