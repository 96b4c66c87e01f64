//! The organisation's benchmark settings (`/organisaties/{org}/scans/instellingen`,
//! beheerder): which organisations it is compared with (matched by kind, size
//! class and country, or a chosen set picked from a list of names), and whether
//! other organisations may see it in their "leren van" list, with which contact
//! line.

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use koers_core::{FieldError, OrganisationId};
use koers_store::BenchmarkSettings;
use koers_web::ctx::{Ctx, Form};
use koers_web::error::AppResult;
use koers_web::part::OrgAccess;
use koers_web::templates::{render, FormErrors, Page};
use koers_web::{audit, redirect, AppState};

/// The least number of organisations a chosen peer set needs: fewer could never
/// show a benchmark (the core's benchmark rule).
use koers_core::scan::MIN_PEERS;
/// The longest contact line.
const MAX_CONTACT_CHARS: usize = 300;

pub struct PeerChoice {
    pub id: i64,
    pub name: String,
    pub checked: bool,
}

#[derive(Template)]
#[template(path = "results_settings.html")]
pub struct SettingsTpl {
    pub c: Page,
    pub org_id: i64,
    pub errors: FormErrors,
    pub chosen: bool,
    pub peers: Vec<PeerChoice>,
    pub learn_from: bool,
    pub contact: String,
    pub listed: bool,
    pub min_peers: u32,
}

async fn peer_choices(
    state: &AppState,
    a: &OrgAccess,
    checked: &[OrganisationId],
) -> AppResult<Vec<PeerChoice>> {
    // Only organisations that agreed to be picked are offered: the names of the
    // other tenants on this server are theirs to disclose, not ours.
    let mut orgs = state.store.scan().listed_organisations(&a.scope).await?;
    orgs.sort_by_key(|(_, name)| name.to_lowercase());
    Ok(orgs
        .into_iter()
        .map(|(id, name)| PeerChoice {
            id: id.0,
            checked: checked.contains(&id),
            name,
        })
        .collect())
}

pub(crate) async fn settings_page(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    a: OrgAccess,
) -> AppResult<Response> {
    let s = state.store.scan().benchmark_settings(&a.scope).await?;
    let checked = s.peer_set.clone().unwrap_or_default();
    let peers = peer_choices(&state, &a, &checked).await?;
    Ok(render(
        StatusCode::OK,
        &SettingsTpl {
            c: Page::new(&state, &ctx, "scan-settings-title"),
            org_id: a.org.id.0,
            errors: FormErrors::default(),
            chosen: s.peer_set.is_some(),
            peers,
            learn_from: s.learn_from,
            contact: s.contact,
            listed: s.listed,
            min_peers: MIN_PEERS as u32,
        },
    ))
}

/// What the form sent, checked: the settings, or the fields in error.
pub(crate) fn parse_settings(
    pairs: &[(String, String)],
    known: &[OrganisationId],
    own: OrganisationId,
) -> Result<BenchmarkSettings, (Vec<FieldError>, BenchmarkSettings)> {
    let get = |k: &str| {
        pairs
            .iter()
            .find(|(key, _)| key == k)
            .map(|(_, v)| v.as_str())
    };
    let mut errors = Vec::new();
    let chosen = match get("peers").unwrap_or("match") {
        "match" => false,
        "chosen" => true,
        _ => {
            errors.push(FieldError::new("peers-match", "scan-settings-error-mode"));
            false
        }
    };
    let mut ids: Vec<OrganisationId> = Vec::new();
    for (k, v) in pairs {
        let Some(id) = k.strip_prefix("peer-") else {
            continue;
        };
        if v != "1" {
            continue;
        }
        match id.parse::<i64>().ok().map(OrganisationId) {
            Some(id) if id != own && known.contains(&id) => {
                if !ids.contains(&id) {
                    ids.push(id);
                }
            }
            _ => errors.push(FieldError::new("peer-list", "scan-settings-error-peer")),
        }
    }
    ids.sort_by_key(|o| o.0);
    if chosen && ids.len() < MIN_PEERS {
        errors.push(FieldError::new("peer-list", "scan-settings-error-few"));
    }
    let learn_from = get("learn_from") == Some("1");
    let contact: String = get("contact")
        .unwrap_or("")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    if contact.chars().count() > MAX_CONTACT_CHARS || contact.chars().any(char::is_control) {
        errors.push(FieldError::new(
            "contact",
            "scan-settings-error-contact-long",
        ));
    }
    if learn_from && contact.is_empty() {
        errors.push(FieldError::new("contact", "scan-settings-error-contact"));
    }
    let listed = get("listed") == Some("1");
    let settings = BenchmarkSettings {
        learn_from,
        contact,
        listed,
        peer_set: chosen.then_some(ids),
    };
    if errors.is_empty() {
        Ok(settings)
    } else {
        errors.dedup();
        Err((errors, settings))
    }
}

pub(crate) async fn settings_save(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    a: OrgAccess,
    Form(pairs): Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    let known: Vec<OrganisationId> = state
        .store
        .scan()
        .listed_organisations(&a.scope)
        .await?
        .into_iter()
        .map(|(id, _)| id)
        .collect();
    match parse_settings(&pairs, &known, a.org.id) {
        Ok(settings) => {
            state
                .store
                .scan()
                .put_benchmark_settings(&a.scope, &settings)
                .await?;
            audit(
                &state,
                Some(a.org.id),
                a.user.id,
                "scan.benchmark_settings",
                &format!(
                    "learn_from={} listed={} peers={}",
                    u8::from(settings.learn_from),
                    u8::from(settings.listed),
                    if settings.peer_set.is_some() {
                        "chosen"
                    } else {
                        "match"
                    }
                ),
            )
            .await?;
            Ok(redirect(&format!(
                "/organisaties/{}/scans/instellingen?melding=scan-settings-saved",
                a.org.id.0
            )))
        }
        Err((errs, s)) => {
            let checked = s.peer_set.clone().unwrap_or_default();
            let peers = peer_choices(&state, &a, &checked).await?;
            let tr = ctx.tr();
            Ok(render(
                StatusCode::UNPROCESSABLE_ENTITY,
                &SettingsTpl {
                    c: Page::new(&state, &ctx, "scan-settings-title"),
                    org_id: a.org.id.0,
                    errors: FormErrors::from_fields(&tr, &errs),
                    chosen: s.peer_set.is_some(),
                    peers,
                    learn_from: s.learn_from,
                    contact: s.contact,
                    listed: s.listed,
                    min_peers: MIN_PEERS as u32,
                },
            ))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(p: &[(&str, &str)]) -> Vec<(String, String)> {
        p.iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    #[test]
    fn chosen_set_needs_five_known_others() {
        let known: Vec<OrganisationId> = (1..=8).map(OrganisationId).collect();
        let own = OrganisationId(1);
        let few = pairs(&[("peers", "chosen"), ("peer-2", "1"), ("peer-3", "1")]);
        assert!(parse_settings(&few, &known, own).is_err());
        let own_in = pairs(&[
            ("peers", "chosen"),
            ("peer-1", "1"),
            ("peer-2", "1"),
            ("peer-3", "1"),
            ("peer-4", "1"),
            ("peer-5", "1"),
        ]);
        assert!(parse_settings(&own_in, &known, own).is_err());
        let ok = pairs(&[
            ("peers", "chosen"),
            ("peer-6", "1"),
            ("peer-2", "1"),
            ("peer-3", "1"),
            ("peer-4", "1"),
            ("peer-5", "1"),
        ]);
        let s = parse_settings(&ok, &known, own).ok();
        assert_eq!(
            s.and_then(|s| s.peer_set),
            Some((2..=6).map(OrganisationId).collect())
        );
    }

    #[test]
    fn learn_from_needs_a_contact_line() {
        let known = vec![OrganisationId(1)];
        let p = pairs(&[("peers", "match"), ("learn_from", "1"), ("contact", "  ")]);
        assert!(parse_settings(&p, &known, OrganisationId(1)).is_err());
        let p = pairs(&[
            ("peers", "match"),
            ("learn_from", "1"),
            ("contact", " Team   I-visie,\n i@example.nl "),
        ]);
        let s = parse_settings(&p, &known, OrganisationId(1)).ok();
        assert_eq!(
            s.map(|s| (s.learn_from, s.contact, s.peer_set)),
            Some((true, "Team I-visie, i@example.nl".to_owned(), None))
        );
    }
}
