//! Platform administration: organisations and accounts across tenants. Only platform
//! administrators see these pages; everyone else gets 404, as if they did not exist.

use super::org::{audit, org_choices, parse_org, OrgForm};
use super::redirect;
use crate::auth;
use crate::ctx::Path;
use crate::ctx::{Ctx, Form, RequestCtx};
use crate::error::{AppError, AppResult};
use crate::templates::{choices, render, Choice, FormErrors, Page};
use crate::AppState;
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use koers_core::{DisplayName, Email, FieldError, OrganisationId, Password, Role, UserId};
use koers_store::{NewOrganisation, NewUser, StoreError, User};
use serde::Deserialize;

fn require_admin(ctx: &RequestCtx) -> AppResult<User> {
    let user = ctx.require_user()?;
    if !user.is_platform_admin {
        return Err(AppError::NotFound);
    }
    Ok(user.clone())
}

pub struct OrgRowView {
    pub id: i64,
    pub name: String,
    pub kind: String,
    pub size: String,
    pub country: String,
}

pub struct UserRowView {
    pub id: i64,
    pub name: String,
    pub email: String,
    pub admin: bool,
    pub locked: bool,
}

#[derive(Template)]
#[template(path = "admin.html")]
pub struct AdminTpl {
    pub c: Page,
    pub orgs: Vec<OrgRowView>,
    pub users: Vec<UserRowView>,
    pub org_errors: FormErrors,
    pub user_errors: FormErrors,
    pub org_name: String,
    pub kinds: Vec<Choice>,
    pub sizes: Vec<Choice>,
    pub countries: Vec<Choice>,
    pub user_name: String,
    pub user_email: String,
    pub user_orgs: Vec<Choice>,
    pub roles: Vec<Choice>,
}

#[derive(Default)]
struct Draft {
    org_errors: FormErrors,
    user_errors: FormErrors,
    org_form: Option<OrgForm>,
    user_form: Option<UserForm>,
}

async fn admin_page(state: &AppState, ctx: &RequestCtx, draft: Draft) -> AppResult<Response> {
    let c = Page::new(state, ctx, "admin-title");
    let now = state.now();
    let all_orgs = state.store.organisations().await?;
    let orgs = all_orgs
        .iter()
        .map(|o| OrgRowView {
            id: o.id.0,
            name: o.name.clone(),
            kind: c.t(&format!("org-kind-{}", o.kind.as_str())),
            size: c.t(&format!("org-size-{}", o.size_class.as_str())),
            country: c.t(&format!("country-{}", o.country.as_str().to_lowercase())),
        })
        .collect();
    let users = state
        .store
        .users()
        .await?
        .into_iter()
        .map(|u| UserRowView {
            id: u.id.0,
            locked: u.locked_until.is_some_and(|t| t > now),
            name: u.display_name,
            email: u.email,
            admin: u.is_platform_admin,
        })
        .collect();
    let (mut kinds, mut sizes, mut countries) = org_choices(&c, None);
    if let Some(f) = &draft.org_form {
        for (list, v) in [
            (&mut kinds, &f.kind),
            (&mut sizes, &f.size_class),
            (&mut countries, &f.country.to_lowercase()),
        ] {
            list.iter_mut().for_each(|ch| ch.selected = &ch.value == v);
        }
    }
    let chosen_org = draft
        .user_form
        .as_ref()
        .map(|f| f.organisation.clone())
        .unwrap_or_default();
    let mut user_orgs = vec![Choice {
        value: String::new(),
        label: c.t("admin-user-no-org"),
        selected: chosen_org.is_empty(),
    }];
    user_orgs.extend(all_orgs.iter().map(|o| Choice {
        value: o.id.0.to_string(),
        label: o.name.clone(),
        selected: chosen_org == o.id.0.to_string(),
    }));
    let chosen_role = draft
        .user_form
        .as_ref()
        .and_then(|f| Role::parse(&f.role).ok())
        .unwrap_or(Role::Lid);
    let status = if draft.org_errors.is_empty() && draft.user_errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let tpl = AdminTpl {
        roles: choices(&c.tr, &Role::ALL, Role::as_str, "role-", Some(chosen_role)),
        orgs,
        users,
        org_errors: draft.org_errors,
        user_errors: draft.user_errors,
        org_name: draft
            .org_form
            .as_ref()
            .map(|f| f.name.clone())
            .unwrap_or_default(),
        kinds,
        sizes,
        countries,
        user_name: draft
            .user_form
            .as_ref()
            .map(|f| f.display_name.clone())
            .unwrap_or_default(),
        user_email: draft
            .user_form
            .as_ref()
            .map(|f| f.email.clone())
            .unwrap_or_default(),
        user_orgs,
        c,
    };
    Ok(render(status, &tpl))
}

pub async fn overview(State(state): State<AppState>, Ctx(ctx): Ctx) -> AppResult<Response> {
    require_admin(&ctx)?;
    admin_page(&state, &ctx, Draft::default()).await
}

pub async fn create_organisation(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    Form(form): Form<OrgForm>,
) -> AppResult<Response> {
    let admin = require_admin(&ctx)?;
    let tr = ctx.tr();
    let errs = match parse_org(&form) {
        Ok(p) => {
            let new = NewOrganisation {
                name: &p.name,
                kind: p.kind,
                size_class: p.size_class,
                country: p.country,
            };
            match state.store.create_organisation(new, state.now()).await {
                Ok(org) => {
                    audit(&state, Some(org.id), admin.id, "org.created", &org.name).await?;
                    return Ok(redirect("/beheer?melding=org-created"));
                }
                Err(StoreError::Conflict(_)) => {
                    vec![FieldError::new("name", "error-org-name-taken")]
                }
                Err(e) => return Err(e.into()),
            }
        }
        Err(errs) => errs,
    };
    let draft = Draft {
        org_errors: FormErrors::from_fields(&tr, &errs),
        org_form: Some(form),
        ..Draft::default()
    };
    admin_page(&state, &ctx, draft).await
}

#[derive(Deserialize, Clone)]
pub struct UserForm {
    #[serde(default)]
    pub display_name: String,
    #[serde(default)]
    pub email: String,
    #[serde(default)]
    pub password: String,
    #[serde(default)]
    pub organisation: String,
    #[serde(default)]
    pub role: String,
    #[serde(default)]
    pub platform_admin: Option<String>,
}

pub async fn create_user(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    Form(form): Form<UserForm>,
) -> AppResult<Response> {
    let admin = require_admin(&ctx)?;
    let tr = ctx.tr();
    let mut errs = vec![];
    let name = DisplayName::parse(&form.display_name)
        .map_err(|e| errs.push(e))
        .ok();
    let email = Email::parse(&form.email).map_err(|e| errs.push(e)).ok();
    let password = Password::parse_for(&form.password, email.as_ref())
        .map_err(|e| errs.push(e))
        .ok();
    let org = if form.organisation.trim().is_empty() {
        None
    } else {
        match form.organisation.trim().parse::<i64>() {
            Ok(id) => match state.store.organisation(OrganisationId(id)).await {
                Ok(o) => Some(o),
                Err(StoreError::NotFound) => {
                    errs.push(FieldError::new("organisation", "error-organisation"));
                    None
                }
                Err(e) => return Err(e.into()),
            },
            Err(_) => {
                errs.push(FieldError::new("organisation", "error-organisation"));
                None
            }
        }
    };
    let role = Role::parse(&form.role).map_err(|e| errs.push(e)).ok();
    if let Some(email) = &email {
        if state.store.user_by_email(email).await?.is_some() {
            errs.push(FieldError::new("email", "error-email-taken"));
        }
    }
    let (Some(name), Some(email), Some(password), Some(role), true) =
        (name, email, password, role, errs.is_empty())
    else {
        let draft = Draft {
            user_errors: FormErrors::from_fields(&tr, &errs),
            user_form: Some(form),
            ..Draft::default()
        };
        return admin_page(&state, &ctx, draft).await;
    };
    let hash = auth::hash_password(password.expose().to_owned()).await?;
    let now = state.now();
    let user = state
        .store
        .create_user(
            NewUser {
                email: &email,
                display_name: &name,
                password_hash: &hash,
                is_platform_admin: form.platform_admin.is_some(),
            },
            now,
        )
        .await?;
    if let Some(org) = org {
        state
            .store
            .set_membership(org.id, user.id, role, now)
            .await?;
        audit(
            &state,
            Some(org.id),
            admin.id,
            "member.added",
            &format!("{}: {}", email.as_str(), role.as_str()),
        )
        .await?;
    }
    audit(&state, None, admin.id, "user.created", email.as_str()).await?;
    Ok(redirect("/beheer?melding=user-created"))
}

#[derive(Deserialize)]
pub struct ResetForm {
    #[serde(default)]
    pub password: String,
}

pub async fn reset_password(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    Path(user): Path<i64>,
    Form(form): Form<ResetForm>,
) -> AppResult<Response> {
    let admin = require_admin(&ctx)?;
    let target = state.store.user(UserId(user)).await?;
    let own = Email::parse(&target.email).ok();
    let password = match Password::parse_for(&form.password, own.as_ref()) {
        Ok(p) => p,
        Err(refusal) => {
            let tr = ctx.tr();
            let mut errors = FormErrors::default();
            errors.add(&tr, &format!("reset-{}", target.id.0), refusal.key);
            return admin_page(
                &state,
                &ctx,
                Draft {
                    user_errors: errors,
                    ..Draft::default()
                },
            )
            .await;
        }
    };
    let hash = auth::hash_password(password.expose().to_owned()).await?;
    state.store.set_password_hash(target.id, &hash).await?;
    state.store.delete_login_sessions_of(target.id).await?;
    audit(&state, None, admin.id, "user.password_reset", &target.email).await?;
    Ok(redirect("/beheer?melding=saved"))
}
