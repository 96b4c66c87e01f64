//! An organisation's own pages: overview, details, members and invitations, and the
//! invitation link that newcomers follow.
//!
//! Tenant isolation: every handler resolves the organisation through `access`, which
//! answers 404 to anyone who is not a member (or a platform administrator), exactly
//! as for an organisation that does not exist; ids of invitations and members are
//! always looked up within that organisation.

use super::redirect;
use crate::auth;
use crate::ctx::Path;
use crate::ctx::{Ctx, Form, RequestCtx};
use crate::error::{AppError, AppResult};
use crate::i18n::FluentValue;
use crate::mail::{Mail, MailOutcome};
use crate::part::OrgAccess;
use crate::templates::{choices, error_page_with, render, Choice, FormErrors, Page};
use crate::AppState;
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use koers_core::links::invitation_accepts;
use koers_core::membership::{InvitationDates, InvitationNote};
use koers_core::{
    Country, DisplayName, Email, FieldError, InvitationId, MemberChange, OrganisationId,
    OrganisationKind, OrganisationName, Password, Role, SizeClass, UserId,
};
use koers_store::{AuditEntry, NewInvitation, NewOrganisation, OrgScope, Organisation};
use serde::Deserialize;

pub struct MemberView {
    pub user_id: i64,
    pub name: String,
    pub email: String,
    pub role: String,
    pub role_value: String,
    pub is_self: bool,
}

pub struct InvitationView {
    pub id: i64,
    pub role: String,
    pub note: String,
    /// The address it is tied to, or empty.
    pub email: String,
    pub created: String,
    pub expires: String,
    pub status: String,
    pub open: bool,
}

pub struct AuditView {
    pub when: String,
    pub action: String,
    pub detail: String,
}

#[derive(Template)]
#[template(path = "org.html")]
pub struct OrgTpl {
    pub c: Page,
    pub org_id: i64,
    pub org_name: String,
    pub kind: String,
    pub size: String,
    pub country: String,
    pub my_role: String,
    pub can_manage: bool,
    pub members: Vec<MemberView>,
    pub invitations: Vec<InvitationView>,
    pub audit: Vec<AuditView>,
    pub roles: Vec<Choice>,
    pub errors: FormErrors,
    pub note: String,
    /// The loop: meten, samen duiden, koers bepalen, koers bewaken, each with the
    /// cards of the parts at that step.
    pub stages: Vec<StageView>,
    /// (href, label) of each part's pages that this user may open.
    pub nav: Vec<(String, String)>,
}

pub struct StageView {
    pub key: &'static str,
    pub title: String,
    pub text: String,
    pub cards: Vec<crate::part::Card>,
}

/// The cards every part supplies for this organisation, in loop order. A part that
/// is not built into this binary has no card; a part whose card fails is logged and
/// left out, so one part cannot take the organisation's page down.
async fn loop_stages(state: &AppState, a: &OrgAccess, c: &Page) -> Vec<StageView> {
    let mut stages: Vec<StageView> = crate::part::LoopStage::ALL
        .iter()
        .map(|s| StageView {
            key: s.key(),
            title: c.t(s.key()),
            text: c.t(&format!("{}-text", s.key())),
            cards: vec![],
        })
        .collect();
    for part in state.parts.iter() {
        match part.card(state, a, &c.tr).await {
            Ok(Some(card)) => {
                if let Some(stage) = stages.iter_mut().find(|s| s.key == part.stage().key()) {
                    stage.cards.push(card);
                }
            }
            Ok(None) => {}
            Err(e) => tracing::error!(part = part.name(), "card failed: {e:#}"),
        }
    }
    stages
}

pub(crate) async fn org_page(
    state: &AppState,
    ctx: &RequestCtx,
    a: OrgAccess,
    errors: FormErrors,
    note: String,
) -> AppResult<Response> {
    let c = Page::new(state, ctx, "org-title").with_title(a.org.name.clone());
    let now = state.now();
    let can_manage = a.can(Role::Beheerder);
    let members = state
        .store
        .members(&a.scope)
        .await?
        .into_iter()
        .map(|m| MemberView {
            user_id: m.user_id.0,
            is_self: m.user_id == a.user.id,
            name: m.display_name,
            email: m.email,
            role: c.t(&format!("role-{}", m.role.as_str())),
            role_value: m.role.as_str().to_owned(),
        })
        .collect();
    let (invitations, audit) = if can_manage {
        let inv = state
            .store
            .invitations(&a.scope)
            .await?
            .into_iter()
            .map(|i| {
                let status = InvitationDates {
                    expires_at: i.expires_at,
                    accepted_at: i.accepted_at,
                    revoked_at: i.revoked_at,
                }
                .status(now);
                InvitationView {
                    id: i.id.0,
                    role: c.t(&format!("role-{}", i.role.as_str())),
                    note: i.note.clone(),
                    email: i
                        .email
                        .as_ref()
                        .map(|e| e.as_str().to_owned())
                        .unwrap_or_default(),
                    created: c.tr.date(i.created_at),
                    expires: c.tr.date(i.expires_at),
                    status: c.t(status.message_key()),
                    open: status.is_open(),
                }
            })
            .collect();
        let audit = state
            .store
            .audit_log(&a.scope, 20)
            .await?
            .into_iter()
            .map(|e| AuditView {
                when: c.tr.date_time(e.created_at),
                action: c.t(&format!("audit-{}", e.action.replace(['.', '_'], "-"))),
                detail: e.detail,
            })
            .collect();
        (inv, audit)
    } else {
        (vec![], vec![])
    };
    let stages = loop_stages(state, &a, &c).await;
    let nav = state
        .parts
        .iter()
        .filter_map(|p| p.nav())
        .filter(|n| a.can(n.role))
        .map(|n| {
            (
                format!("/organisaties/{}/{}", a.org.id, n.path),
                c.t(n.label_key),
            )
        })
        .collect();
    let tpl = OrgTpl {
        stages,
        nav,
        org_id: a.org.id.0,
        org_name: a.org.name.clone(),
        kind: c.t(&format!("org-kind-{}", a.org.kind.as_str())),
        size: c.t(&format!("org-size-{}", a.org.size_class.as_str())),
        country: c.t(&format!(
            "country-{}",
            a.org.country.as_str().to_lowercase()
        )),
        my_role: match a.role {
            Some(r) => c.t(&format!("role-{}", r.as_str())),
            None => c.t("role-platform-admin"),
        },
        roles: choices(&c.tr, &Role::ALL, Role::as_str, "role-", Some(Role::Lid)),
        can_manage,
        members,
        invitations,
        audit,
        errors,
        note,
        c,
    };
    let status = if tpl.errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    Ok(render(status, &tpl))
}

pub async fn overview(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    a: OrgAccess,
) -> AppResult<Response> {
    org_page(&state, &ctx, a, FormErrors::default(), String::new()).await
}

#[derive(Template)]
#[template(path = "org_edit.html")]
pub struct OrgEditTpl {
    pub c: Page,
    pub org_id: i64,
    pub errors: FormErrors,
    pub name: String,
    pub kinds: Vec<Choice>,
    pub sizes: Vec<Choice>,
    pub countries: Vec<Choice>,
}

pub(crate) fn org_choices(
    c: &Page,
    org: Option<&Organisation>,
) -> (Vec<Choice>, Vec<Choice>, Vec<Choice>) {
    (
        choices(
            &c.tr,
            &OrganisationKind::ALL,
            OrganisationKind::as_str,
            "org-kind-",
            org.map(|o| o.kind),
        ),
        choices(
            &c.tr,
            &SizeClass::ALL,
            SizeClass::as_str,
            "org-size-",
            org.map(|o| o.size_class),
        ),
        choices(
            &c.tr,
            &Country::ALL,
            |x| match x {
                Country::Nederland => "nl",
                Country::Belgie => "be",
            },
            "country-",
            Some(org.map_or(Country::Nederland, |o| o.country)),
        ),
    )
}

pub async fn edit_form(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    a: OrgAccess,
) -> AppResult<Response> {
    let c = Page::new(&state, &ctx, "org-edit-title");
    let (kinds, sizes, countries) = org_choices(&c, Some(&a.org));
    Ok(render(
        StatusCode::OK,
        &OrgEditTpl {
            c,
            org_id: a.org.id.0,
            errors: FormErrors::default(),
            name: a.org.name,
            kinds,
            sizes,
            countries,
        },
    ))
}

#[derive(Deserialize)]
pub struct OrgForm {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub size_class: String,
    #[serde(default)]
    pub country: String,
}

pub(crate) struct ParsedOrg {
    pub name: OrganisationName,
    pub kind: OrganisationKind,
    pub size_class: SizeClass,
    pub country: Country,
}

pub(crate) fn parse_org(form: &OrgForm) -> Result<ParsedOrg, Vec<FieldError>> {
    let mut errs = vec![];
    let name = OrganisationName::parse(&form.name)
        .map_err(|e| errs.push(e))
        .ok();
    let kind = OrganisationKind::parse(&form.kind)
        .map_err(|e| errs.push(e))
        .ok();
    let size_class = SizeClass::parse(&form.size_class)
        .map_err(|e| errs.push(e))
        .ok();
    let country = Country::parse(&form.country).map_err(|e| errs.push(e)).ok();
    match (name, kind, size_class, country) {
        (Some(name), Some(kind), Some(size_class), Some(country)) => Ok(ParsedOrg {
            name,
            kind,
            size_class,
            country,
        }),
        _ => Err(errs),
    }
}

pub async fn edit(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    a: OrgAccess,
    Form(form): Form<OrgForm>,
) -> AppResult<Response> {
    let tr = ctx.tr();
    let result = match parse_org(&form) {
        Ok(p) => state
            .store
            .update_organisation(
                a.org.id,
                NewOrganisation {
                    name: &p.name,
                    kind: p.kind,
                    size_class: p.size_class,
                    country: p.country,
                },
            )
            .await
            .map_err(|e| match e {
                koers_store::StoreError::Conflict(_) => {
                    Ok(vec![FieldError::new("name", "error-org-name-taken")])
                }
                other => Err(other),
            }),
        Err(errs) => Err(Ok(errs)),
    };
    match result {
        Ok(()) => {
            audit(
                &state,
                Some(a.org.id),
                a.user.id,
                "org.updated",
                form.name.trim(),
            )
            .await?;
            Ok(redirect(&format!(
                "/organisaties/{}?melding=saved",
                a.org.id
            )))
        }
        Err(Err(e)) => Err(e.into()),
        Err(Ok(errs)) => {
            let c = Page::new(&state, &ctx, "org-edit-title");
            let (mut kinds, mut sizes, mut countries) = org_choices(&c, None);
            for (list, v) in [
                (&mut kinds, &form.kind),
                (&mut sizes, &form.size_class),
                (&mut countries, &form.country.to_lowercase()),
            ] {
                list.iter_mut().for_each(|ch| ch.selected = &ch.value == v);
            }
            Ok(render(
                StatusCode::UNPROCESSABLE_ENTITY,
                &OrgEditTpl {
                    c,
                    org_id: a.org.id.0,
                    errors: FormErrors::from_fields(&tr, &errs),
                    name: form.name,
                    kinds,
                    sizes,
                    countries,
                },
            ))
        }
    }
}

pub async fn audit(
    state: &AppState,
    org: Option<OrganisationId>,
    actor: UserId,
    action: &str,
    detail: &str,
) -> AppResult<()> {
    state
        .store
        .audit(&AuditEntry {
            organisation_id: org,
            actor: Some(actor),
            action: action.to_owned(),
            detail: detail.to_owned(),
            created_at: state.now(),
        })
        .await?;
    Ok(())
}

#[derive(Deserialize)]
pub struct InviteForm {
    #[serde(default)]
    pub role: String,
    #[serde(default)]
    pub note: String,
    /// Optional: only this address may accept the invitation.
    #[serde(default)]
    pub email: String,
}

#[derive(Template)]
#[template(path = "invitation_created.html")]
pub struct InvitationCreatedTpl {
    pub c: Page,
    pub org_id: i64,
    pub org_name: String,
    pub link: String,
    pub role: String,
    pub expires: String,
    /// The address it is tied to, or empty.
    pub email: String,
    /// The invitation went out by e-mail: the page shows no link.
    pub mailed: bool,
    /// Sending the e-mail failed: the page says so and shows the link.
    pub mail_failed: bool,
    /// "Sent by e-mail to …", when mailed.
    pub sent_to: String,
}

pub async fn invite(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    a: OrgAccess,
    headers: axum::http::HeaderMap,
    Form(form): Form<InviteForm>,
) -> AppResult<Response> {
    let tr = ctx.tr();
    let mut errs = vec![];
    let role = Role::parse(&form.role).map_err(|e| errs.push(e)).ok();
    let note = InvitationNote::parse(&form.note)
        .map_err(|e| errs.push(e))
        .ok();
    // Empty: anyone with the link; otherwise only this address may accept.
    let email = if form.email.trim().is_empty() {
        Some(None)
    } else {
        Email::parse(&form.email)
            .map(Some)
            .map_err(|e| errs.push(e))
            .ok()
    };
    let (Some(role), Some(note), Some(email), true) = (role, note, email, errs.is_empty()) else {
        return org_page(
            &state,
            &ctx,
            a,
            FormErrors::from_fields(&tr, &errs),
            form.note,
        )
        .await;
    };
    let now = state.now();
    let token = auth::new_token();
    let inv = state
        .store
        .create_invitation(NewInvitation {
            organisation_id: a.org.id,
            token_hash: &auth::token_hash(&token),
            role,
            note: note.as_str(),
            email: email.as_ref(),
            created_by: a.user.id,
            now,
            expires_at: now + i64::from(state.config.security.invitation_days) * 86_400,
        })
        .await?;
    audit(
        &state,
        Some(a.org.id),
        a.user.id,
        "invitation.created",
        role.as_str(),
    )
    .await?;
    let base = state.base_url(&headers);
    let link = format!("{base}/uitnodiging/{token}");
    // Stored and committed above; only now the e-mail, whose failure changes nothing.
    let outcome = match &email {
        Some(to) => {
            let mail = Mail::bilingual_with(
                to.clone(),
                &state.time_zone,
                "mail-invitation-subject",
                "mail-invitation-body",
                |tr| {
                    vec![
                        ("org", FluentValue::from(a.org.name.clone())),
                        ("inviter", FluentValue::from(a.user.display_name.clone())),
                        (
                            "role",
                            FluentValue::from(tr.t(&format!("role-{}", role.as_str()))),
                        ),
                        ("expires", FluentValue::from(tr.date(inv.expires_at))),
                        ("link", FluentValue::from(link.clone())),
                    ]
                },
            );
            state.send_mail(mail).await
        }
        None => MailOutcome::NotConfigured,
    };
    let c = Page::new(&state, &ctx, "invitation-created-title");
    let email = email.map(|e| e.as_str().to_owned()).unwrap_or_default();
    Ok(render(
        StatusCode::CREATED,
        &InvitationCreatedTpl {
            org_id: a.org.id.0,
            org_name: a.org.name,
            link,
            role: c.t(&format!("role-{}", role.as_str())),
            expires: c.tr.date(inv.expires_at),
            mailed: outcome == MailOutcome::Sent,
            mail_failed: outcome == MailOutcome::Failed,
            sent_to: c.tr.t_with(
                "mail-sent-to",
                &[("email", FluentValue::from(email.clone()))],
            ),
            email,
            c,
        },
    ))
}

pub async fn revoke_invitation(
    State(state): State<AppState>,
    Ctx(_ctx): Ctx,
    a: OrgAccess,
    Path((_, invitation)): Path<(i64, i64)>,
    Form(_): Form<super::account::Empty>,
) -> AppResult<Response> {
    state
        .store
        .revoke_invitation(&a.scope, InvitationId(invitation), state.now())
        .await?;
    audit(
        &state,
        Some(a.org.id),
        a.user.id,
        "invitation.revoked",
        &invitation.to_string(),
    )
    .await?;
    Ok(redirect(&format!(
        "/organisaties/{}?melding=invitation-revoked",
        a.org.id
    )))
}

/// The organisation must keep at least one beheerder, or nobody could manage it:
/// the core's rule, checked by the store in the same transaction as the change, so
/// that two changes at once cannot both pass. `Ok(Err)` holds the message for the
/// member list.
async fn change_member(
    state: &AppState,
    scope: &OrgScope,
    user: UserId,
    change: MemberChange,
) -> AppResult<Result<(), FieldError>> {
    Ok(state
        .store
        .change_member(scope, user, change)
        .await?
        .map_err(|e| e.field_error()))
}

#[derive(Deserialize)]
pub struct RoleForm {
    #[serde(default)]
    pub role: String,
}

pub async fn change_role(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    a: OrgAccess,
    Path((_, user)): Path<(i64, i64)>,
    Form(form): Form<RoleForm>,
) -> AppResult<Response> {
    let role = Role::parse(&form.role).map_err(|_| AppError::BadRequest)?;
    let target = UserId(user);
    if let Err(e) = change_member(&state, &a.scope, target, MemberChange::SetRole(role)).await? {
        let errors = FormErrors::from_fields(&ctx.tr(), &[e]);
        return org_page(&state, &ctx, a, errors, String::new()).await;
    }
    audit(
        &state,
        Some(a.org.id),
        a.user.id,
        "member.role_changed",
        &format!("{user}: {}", role.as_str()),
    )
    .await?;
    Ok(redirect(&format!(
        "/organisaties/{}?melding=role-changed",
        a.org.id
    )))
}

pub async fn remove_member(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    a: OrgAccess,
    Path((_, user)): Path<(i64, i64)>,
    Form(_): Form<super::account::Empty>,
) -> AppResult<Response> {
    let target = UserId(user);
    if let Err(e) = change_member(&state, &a.scope, target, MemberChange::Remove).await? {
        let errors = FormErrors::from_fields(&ctx.tr(), &[e]);
        return org_page(&state, &ctx, a, errors, String::new()).await;
    }
    audit(
        &state,
        Some(a.org.id),
        a.user.id,
        "member.removed",
        &user.to_string(),
    )
    .await?;
    Ok(redirect(&format!(
        "/organisaties/{}?melding=member-removed",
        a.org.id
    )))
}

#[derive(Template)]
#[template(path = "invitation.html")]
pub struct InvitationTpl {
    pub c: Page,
    pub token: String,
    pub org_name: String,
    pub role: String,
    pub errors: FormErrors,
    pub name: String,
    pub email: String,
    /// The address the invitation is tied to, or empty.
    pub tied_email: String,
}

fn tied_email(inv: &koers_store::Invitation) -> String {
    inv.email
        .as_ref()
        .map(|e| e.as_str().to_owned())
        .unwrap_or_default()
}

async fn open_invitation(
    state: &AppState,
    token: &str,
) -> AppResult<Option<(koers_store::Invitation, Organisation)>> {
    if token.len() > 100 {
        return Ok(None);
    }
    let Some(inv) = state
        .store
        .invitation_by_token_hash(&auth::token_hash(token))
        .await?
    else {
        return Ok(None);
    };
    if !inv.is_open(state.now()) {
        return Ok(None);
    }
    let org = state.store.organisation(inv.organisation_id).await?;
    Ok(Some((inv, org)))
}

fn invalid_invitation(state: &AppState, ctx: &RequestCtx) -> Response {
    error_page_with(
        state,
        ctx,
        StatusCode::NOT_FOUND,
        "invitation-invalid-title",
        "invitation-invalid",
    )
}

pub async fn invitation_page(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    Path(token): Path<String>,
) -> AppResult<Response> {
    let Some((inv, org)) = open_invitation(&state, &token).await? else {
        return Ok(invalid_invitation(&state, &ctx));
    };
    let c = Page::new(&state, &ctx, "invitation-title");
    Ok(render(
        StatusCode::OK,
        &InvitationTpl {
            role: c.t(&format!("role-{}", inv.role.as_str())),
            c,
            token,
            org_name: org.name,
            errors: FormErrors::default(),
            name: String::new(),
            email: tied_email(&inv),
            tied_email: tied_email(&inv),
        },
    ))
}

#[derive(Deserialize)]
pub struct AcceptForm {
    #[serde(default)]
    pub display_name: String,
    #[serde(default)]
    pub email: String,
    #[serde(default)]
    pub password: String,
    #[serde(default)]
    pub password_again: String,
}

/// Accepting: a logged-in user just joins; a newcomer creates an account first. The
/// store marks the invitation used and grants the role in one transaction.
pub async fn accept_invitation(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    Path(token): Path<String>,
    Form(form): Form<AcceptForm>,
) -> AppResult<Response> {
    let Some((inv, org)) = open_invitation(&state, &token).await? else {
        return Ok(invalid_invitation(&state, &ctx));
    };
    let now = state.now();
    let hash = auth::token_hash(&token);
    if let Some(user) = &ctx.user {
        let own = Email::parse(&user.email).ok();
        if !own.is_some_and(|e| invitation_accepts(inv.email.as_ref(), &e)) {
            let c = Page::new(&state, &ctx, "invitation-title");
            let errors = FormErrors::from_fields(
                &ctx.tr(),
                &[FieldError::new("accept", "error-invitation-other-account")],
            );
            return Ok(render(
                StatusCode::FORBIDDEN,
                &InvitationTpl {
                    role: c.t(&format!("role-{}", inv.role.as_str())),
                    c,
                    token,
                    org_name: org.name,
                    errors,
                    name: String::new(),
                    email: String::new(),
                    tied_email: tied_email(&inv),
                },
            ));
        }
        let joined = state.store.accept_invitation(&hash, user.id, now).await;
        return match joined {
            Ok(org_id) => {
                audit(
                    &state,
                    Some(org_id),
                    user.id,
                    "invitation.accepted",
                    &user.email,
                )
                .await?;
                Ok(redirect(&format!("/organisaties/{org_id}?melding=joined")))
            }
            Err(koers_store::StoreError::NotFound) => Ok(invalid_invitation(&state, &ctx)),
            Err(e) => Err(e.into()),
        };
    }
    let tr = ctx.tr();
    let mut errs = vec![];
    let name = DisplayName::parse(&form.display_name)
        .map_err(|e| errs.push(e))
        .ok();
    let email = Email::parse(&form.email).map_err(|e| errs.push(e)).ok();
    let password = Password::parse_confirmed(&form.password, &form.password_again, email.as_ref())
        .map_err(|e| errs.push(e))
        .ok();
    if let Some(email) = &email {
        if !invitation_accepts(inv.email.as_ref(), email) {
            errs.push(FieldError::new("email", "error-invitation-email"));
        } else if state.store.user_by_email(email).await?.is_some() {
            errs.push(FieldError::new("email", "error-email-taken"));
        }
    }
    let (Some(name), Some(email), Some(password), true) = (name, email, password, errs.is_empty())
    else {
        let c = Page::new(&state, &ctx, "invitation-title");
        return Ok(render(
            StatusCode::UNPROCESSABLE_ENTITY,
            &InvitationTpl {
                role: c.t(&format!("role-{}", inv.role.as_str())),
                c,
                token,
                org_name: org.name,
                errors: FormErrors::from_fields(&tr, &errs),
                name: form.display_name,
                email: form.email,
                tied_email: tied_email(&inv),
            },
        ));
    };
    let pw_hash = auth::hash_password(password.expose().to_owned()).await?;
    // One transaction claims the invitation and creates the account, so the same
    // link sent from several browsers at once makes one account.
    let (user, org_id) = match state
        .store
        .accept_invitation_as_new_user(
            &hash,
            koers_store::NewUser {
                email: &email,
                display_name: &name,
                password_hash: &pw_hash,
                is_platform_admin: false,
            },
            now,
        )
        .await
    {
        Ok(done) => done,
        Err(koers_store::StoreError::NotFound) => return Ok(invalid_invitation(&state, &ctx)),
        Err(koers_store::StoreError::Conflict(_)) => {
            let c = Page::new(&state, &ctx, "invitation-title");
            let mut errors = FormErrors::default();
            errors.add(&tr, "email", "error-email-taken");
            return Ok(render(
                StatusCode::UNPROCESSABLE_ENTITY,
                &InvitationTpl {
                    role: c.t(&format!("role-{}", inv.role.as_str())),
                    c,
                    token,
                    org_name: org.name,
                    errors,
                    name: form.display_name,
                    email: form.email,
                    tied_email: tied_email(&inv),
                },
            ));
        }
        Err(e) => return Err(e.into()),
    };
    audit(
        &state,
        Some(org_id),
        user.id,
        "invitation.accepted",
        email.as_str(),
    )
    .await?;
    super::account::start_session(
        &state,
        &ctx,
        user.id,
        &format!("/organisaties/{org_id}?melding=joined"),
    )
    .await
}
