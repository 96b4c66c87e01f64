//! A beheerder resets a member's password: the organisation page makes a
//! one-time reset link (shown once, hashed in the store, valid for a day), the
//! beheerder hands it over, and the member chooses a new password through it.
//! The old password keeps working until then; the new one passes the same
//! password policy as everywhere, and setting it ends every login session of the
//! account. A beheerder cannot reset a platform administrator's account, nor one
//! that is also a member of another organisation (`koers_core::links::may_reset`).

use super::org::audit;
use super::redirect;
use crate::auth;
use crate::ctx::{Ctx, Form, Path, RequestCtx};
use crate::error::{AppError, AppResult};
use crate::i18n::FluentValue;
use crate::mail::{Mail, MailOutcome};
use crate::part::OrgAccess;
use crate::templates::{error_page_with, render, FormErrors, Page};
use crate::AppState;
use askama::Template;
use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::Response;
use koers_core::links::{LinkStatus, PASSWORD_RESET_SECS};
use koers_core::{Email, FieldError, Password, UserId};
use koers_store::{NewPasswordReset, PasswordReset, StoreError};
use serde::Deserialize;

#[derive(Template)]
#[template(path = "password_reset_created.html")]
pub struct ResetCreatedTpl {
    pub c: Page,
    pub org_id: i64,
    pub member: String,
    pub link: String,
    pub expires: String,
    /// The link went to the member by e-mail: the page shows no link.
    pub mailed: bool,
    /// Sending the e-mail failed: the page says so and shows the link.
    pub mail_failed: bool,
    /// "Sent by e-mail to …", when mailed.
    pub sent_to: String,
}

/// The page that holds the only copy of a token is never cached.
fn no_store(mut res: Response) -> Response {
    res.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    res
}

pub async fn create(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    a: OrgAccess,
    headers: HeaderMap,
    Path((_, user)): Path<(i64, i64)>,
    Form(_): Form<crate::ctx::Empty>,
) -> AppResult<Response> {
    let now = state.now();
    let token = auth::new_token();
    let made = state
        .store
        .create_password_reset(
            &a.scope,
            NewPasswordReset {
                user: UserId(user),
                token_hash: &auth::token_hash(&token),
                created_by: a.user.id,
                now,
                expires_at: now + PASSWORD_RESET_SECS,
            },
        )
        .await?;
    let member = match made {
        Ok(member) => member,
        Err(refusal) => {
            let errors = FormErrors::from_fields(
                &ctx.tr(),
                &[FieldError::new("members", refusal.message_key())],
            );
            return super::org::org_page(&state, &ctx, a, errors, String::new()).await;
        }
    };
    audit(
        &state,
        Some(a.org.id),
        a.user.id,
        "member.password_reset_created",
        &member.email,
    )
    .await?;
    let link = format!("{}/wachtwoord-herstel/{token}", state.base_url(&headers));
    // Stored and committed above; only now the e-mail, whose failure changes nothing.
    let outcome = match Email::parse(&member.email) {
        Ok(to) => {
            let mail = Mail::bilingual_with(
                to,
                &state.time_zone,
                "mail-reset-subject",
                "mail-reset-body",
                |tr| {
                    vec![
                        ("by", FluentValue::from(a.user.display_name.clone())),
                        ("email", FluentValue::from(member.email.clone())),
                        ("org", FluentValue::from(a.org.name.clone())),
                        (
                            "expires",
                            FluentValue::from(tr.date_time(now + PASSWORD_RESET_SECS)),
                        ),
                        ("link", FluentValue::from(link.clone())),
                    ]
                },
            );
            state.send_mail(mail).await
        }
        // An address stored before today's rules: the link to copy, as without mail.
        Err(_) => MailOutcome::NotConfigured,
    };
    let c = Page::new(&state, &ctx, "reset-created-title");
    Ok(no_store(render(
        StatusCode::CREATED,
        &ResetCreatedTpl {
            org_id: a.org.id.0,
            member: format!("{} ({})", member.display_name, member.email),
            link,
            expires: c.tr.date_time(now + PASSWORD_RESET_SECS),
            mailed: outcome == MailOutcome::Sent,
            mail_failed: outcome == MailOutcome::Failed,
            sent_to: c.tr.t_with(
                "mail-sent-to",
                &[("email", FluentValue::from(member.email.clone()))],
            ),
            c,
        },
    )))
}

#[derive(Template)]
#[template(path = "password_reset.html")]
pub struct ResetTpl {
    pub c: Page,
    pub token: String,
    pub email: String,
    pub errors: FormErrors,
}

/// The reset behind a token if it can still be used; otherwise the page that
/// says why (404 for a token that never existed, 410 for a used or expired one).
async fn open_reset(
    state: &AppState,
    ctx: &RequestCtx,
    token: &str,
) -> AppResult<Result<(PasswordReset, koers_store::User), Response>> {
    let found = if token.len() > 100 {
        None
    } else {
        state
            .store
            .password_reset_by_token_hash(&auth::token_hash(token))
            .await?
    };
    let Some(reset) = found else {
        return Err(AppError::NotFound);
    };
    if reset.dates().status(state.now()) != LinkStatus::Open {
        return Ok(Err(error_page_with(
            state,
            ctx,
            StatusCode::GONE,
            "reset-invalid-title",
            "reset-invalid",
        )));
    }
    let user = state.store.user(reset.user_id).await?;
    Ok(Ok((reset, user)))
}

pub async fn form(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    Path(token): Path<String>,
) -> AppResult<Response> {
    let (_, user) = match open_reset(&state, &ctx, &token).await? {
        Ok(found) => found,
        Err(page) => return Ok(no_store(page)),
    };
    let c = Page::new(&state, &ctx, "reset-title");
    Ok(no_store(render(
        StatusCode::OK,
        &ResetTpl {
            c,
            token,
            email: user.email,
            errors: FormErrors::default(),
        },
    )))
}

#[derive(Deserialize)]
pub struct ResetForm {
    #[serde(default)]
    pub password: String,
    #[serde(default)]
    pub password_again: String,
}

pub async fn reset(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    Path(token): Path<String>,
    Form(form): Form<ResetForm>,
) -> AppResult<Response> {
    let (_, user) = match open_reset(&state, &ctx, &token).await? {
        Ok(found) => found,
        Err(page) => return Ok(no_store(page)),
    };
    let email = Email::parse(&user.email).ok();
    let password =
        match Password::parse_confirmed(&form.password, &form.password_again, email.as_ref()) {
            Ok(p) => p,
            Err(e) => {
                let c = Page::new(&state, &ctx, "reset-title");
                return Ok(no_store(render(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    &ResetTpl {
                        errors: FormErrors::from_fields(&c.tr, &[e]),
                        c,
                        token,
                        email: user.email,
                    },
                )));
            }
        };
    let hash = auth::hash_password(password.expose().to_owned()).await?;
    // The store claims the link in the same transaction that sets the password,
    // so two tabs sending the form at once reset it once.
    let used = match state
        .store
        .use_password_reset(&auth::token_hash(&token), &hash, state.now())
        .await
    {
        Ok(used) => used,
        Err(StoreError::NotFound) => {
            return Ok(no_store(error_page_with(
                &state,
                &ctx,
                StatusCode::GONE,
                "reset-invalid-title",
                "reset-invalid",
            )))
        }
        Err(e) => return Err(e.into()),
    };
    audit(
        &state,
        Some(used.organisation_id),
        used.user_id,
        "account.password_reset",
        &user.email,
    )
    .await?;
    Ok(redirect("/inloggen?melding=password-reset"))
}
