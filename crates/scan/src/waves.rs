//! Waves: starting one on a model, perspectives, opening, invitations, reminders.

use koers_web::error::AppResult;
use koers_web::i18n::Tr;
use koers_web::part::{Card, OrgAccess, Route};
use koers_web::AppState;

pub(crate) fn routes() -> Vec<Route> {
    Vec::new()
}

/// The Scan card on the organisation's page.
pub(crate) async fn card(
    _state: &AppState,
    access: &OrgAccess,
    tr: &Tr,
) -> AppResult<Option<Card>> {
    let org = access.org.id;
    Ok(Some(Card {
        title: tr.t("card-scan-title"),
        lines: Vec::new(),
        links: vec![(format!("/organisaties/{org}/scans"), tr.t("org-scan-link"))],
    }))
}
