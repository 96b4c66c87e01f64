//! The accessibility statement: a public page every other page links to, filled in
//! by the organisation that runs this Koers.

use super::redirect;
use crate::ctx::{Ctx, Form};
use crate::error::{AppError, AppResult};
use crate::templates::{choices, render, Choice, FormErrors, Page};
use crate::AppState;
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use koers_core::accessibility::{AccessibilityStatement, ComplianceStatus};
use serde::Deserialize;

const SETTING: &str = "accessibility_statement";

async fn load(state: &AppState) -> AppResult<Option<AccessibilityStatement>> {
    Ok(state
        .store
        .setting(SETTING)
        .await?
        .and_then(|json| serde_json::from_str(&json).ok()))
}

#[derive(Template)]
#[template(path = "a11y.html")]
pub struct StatementTpl {
    pub c: Page,
    pub filled: bool,
    pub organisation: String,
    pub status: String,
    pub date: String,
    pub contact_email: String,
    pub limitations: Vec<String>,
}

pub async fn statement(State(state): State<AppState>, Ctx(ctx): Ctx) -> AppResult<Response> {
    let s = load(&state).await?;
    let c = Page::new(&state, &ctx, "a11y-title");
    let tpl = match s {
        Some(s) => StatementTpl {
            filled: true,
            status: c.t(&format!(
                "a11y-status-{}",
                s.status.as_str().replace('_', "-")
            )),
            organisation: s.organisation,
            date: s.date,
            contact_email: s.contact_email,
            limitations: s
                .known_limitations
                .lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .map(str::to_owned)
                .collect(),
            c,
        },
        None => StatementTpl {
            filled: false,
            organisation: String::new(),
            status: c.t("a11y-status-not-assessed"),
            date: String::new(),
            contact_email: String::new(),
            limitations: vec![],
            c,
        },
    };
    Ok(render(StatusCode::OK, &tpl))
}

#[derive(Template)]
#[template(path = "a11y_edit.html")]
pub struct EditTpl {
    pub c: Page,
    pub errors: FormErrors,
    pub organisation: String,
    pub statuses: Vec<Choice>,
    pub date: String,
    pub contact_email: String,
    pub known_limitations: String,
}

pub async fn edit_form(State(state): State<AppState>, Ctx(ctx): Ctx) -> AppResult<Response> {
    let user = ctx.require_user()?;
    if !user.is_platform_admin {
        return Err(AppError::NotFound);
    }
    let s = load(&state).await?.unwrap_or_default();
    let c = Page::new(&state, &ctx, "a11y-edit-title");
    Ok(render(
        StatusCode::OK,
        &EditTpl {
            statuses: choices(
                &c.tr,
                &ComplianceStatus::ALL,
                ComplianceStatus::as_str,
                "a11y-status-",
                Some(s.status),
            ),
            c,
            errors: FormErrors::default(),
            organisation: s.organisation,
            date: s.date,
            contact_email: s.contact_email,
            known_limitations: s.known_limitations,
        },
    ))
}

#[derive(Deserialize)]
pub struct StatementForm {
    #[serde(default)]
    pub organisation: String,
    #[serde(default)]
    pub status: String,
    #[serde(default)]
    pub date: String,
    #[serde(default)]
    pub contact_email: String,
    #[serde(default)]
    pub known_limitations: String,
}

pub async fn edit(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    Form(f): Form<StatementForm>,
) -> AppResult<Response> {
    let user = ctx.require_user()?.clone();
    if !user.is_platform_admin {
        return Err(AppError::NotFound);
    }
    match AccessibilityStatement::parse(
        &f.organisation,
        &f.status,
        &f.date,
        &f.contact_email,
        &f.known_limitations,
    ) {
        Ok(s) => {
            let json = serde_json::to_string(&s).map_err(|e| AppError::Internal(e.into()))?;
            state.store.put_setting(SETTING, &json).await?;
            super::org::audit(&state, None, user.id, "a11y.updated", &s.date).await?;
            Ok(redirect("/toegankelijkheid?melding=saved"))
        }
        Err(errs) => {
            let tr = ctx.tr();
            let c = Page::new(&state, &ctx, "a11y-edit-title");
            let selected = ComplianceStatus::parse(&f.status).ok();
            Ok(render(
                StatusCode::UNPROCESSABLE_ENTITY,
                &EditTpl {
                    statuses: choices(
                        &c.tr,
                        &ComplianceStatus::ALL,
                        ComplianceStatus::as_str,
                        "a11y-status-",
                        selected,
                    ),
                    c,
                    errors: FormErrors::from_fields(&tr, &errs),
                    organisation: f.organisation,
                    date: f.date,
                    contact_email: f.contact_email,
                    known_limitations: f.known_limitations,
                },
            ))
        }
    }
}
