//! The routes. Paths are Dutch, like the interface; the language switch changes the
//! words on the page, not the addresses.

mod a11y;
mod account;
mod admin;
mod deelnemer;
mod ops;
mod org;
mod sessie;

use crate::AppState;
use axum::routing::{get, post};
use axum::Router;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/", get(account::home))
        .route("/inloggen", get(account::login_form).post(account::login))
        .route("/uitloggen", post(account::logout))
        .route(
            "/installatie",
            get(account::setup_form).post(account::setup),
        )
        .route("/taal/{code}", get(account::switch_language))
        .route("/account", get(account::account_page))
        .route("/account/wachtwoord", post(account::change_password))
        .route("/organisaties/{org}", get(org::overview))
        .route(
            "/organisaties/{org}/gegevens",
            get(org::edit_form).post(org::edit),
        )
        .route("/organisaties/{org}/uitnodigingen", post(org::invite))
        .route(
            "/organisaties/{org}/uitnodigingen/{invitation}/intrekken",
            post(org::revoke_invitation),
        )
        .route(
            "/organisaties/{org}/leden/{user}/rol",
            post(org::change_role),
        )
        .route(
            "/organisaties/{org}/leden/{user}/verwijderen",
            post(org::remove_member),
        )
        .route(
            "/uitnodiging/{token}",
            get(org::invitation_page).post(org::accept_invitation),
        )
        .route("/organisaties/{org}/sessies", get(sessie::list))
        .route(
            "/organisaties/{org}/sessies/nieuw",
            get(sessie::new_form).post(sessie::create),
        )
        .route("/organisaties/{org}/sessies/{id}", get(sessie::console))
        .route(
            "/organisaties/{org}/sessies/{id}/fase",
            post(sessie::change_phase),
        )
        .route(
            "/organisaties/{org}/sessies/{id}/deelname",
            post(sessie::join_window),
        )
        .route(
            "/organisaties/{org}/sessies/{id}/stellingen",
            post(sessie::add_seed),
        )
        .route(
            "/organisaties/{org}/sessies/{id}/stellingen/{statement}/moderatie",
            post(sessie::moderate),
        )
        .route(
            "/organisaties/{org}/sessies/{id}/afspraken",
            post(sessie::add_step),
        )
        .route(
            "/organisaties/{org}/sessies/{id}/afspraken/{step}/verwijderen",
            post(sessie::delete_step),
        )
        .route(
            "/organisaties/{org}/sessies/{id}/qr.svg",
            get(sessie::qr_svg),
        )
        .route(
            "/organisaties/{org}/sessies/{id}/projectie",
            get(sessie::projector),
        )
        .route(
            "/organisaties/{org}/sessies/{id}/projectie/live",
            get(sessie::projector_fragment),
        )
        .route(
            "/organisaties/{org}/sessies/{id}/projectie/events",
            get(sessie::projector_events),
        )
        .route(
            "/organisaties/{org}/sessies/{id}/resultaten",
            get(sessie::results),
        )
        .route(
            "/organisaties/{org}/sessies/{id}/download/{file}",
            get(sessie::download),
        )
        .route(
            "/organisaties/{org}/sessies/{id}/afspraken/{step}",
            post(sessie::edit_step),
        )
        .route(
            "/doe-mee",
            get(deelnemer::code_form).post(deelnemer::code_submit),
        )
        .route("/s/{code}", get(deelnemer::join_page).post(deelnemer::join))
        .route("/s/{code}/nu", get(deelnemer::now_page))
        .route("/s/{code}/inbreng", post(deelnemer::submit_statement))
        .route("/s/{code}/stem", post(deelnemer::vote))
        .route("/s/{code}/stemmen", get(deelnemer::my_votes))
        .route("/s/{code}/stippen", post(deelnemer::submit_dots))
        .route("/s/{code}/events", get(deelnemer::events))
        .route("/beheer", get(admin::overview))
        .route("/beheer/organisaties", post(admin::create_organisation))
        .route("/beheer/gebruikers", post(admin::create_user))
        .route(
            "/beheer/gebruikers/{user}/wachtwoord",
            post(admin::reset_password),
        )
        .route("/toegankelijkheid", get(a11y::statement))
        .route(
            "/toegankelijkheid/bewerken",
            get(a11y::edit_form).post(a11y::edit),
        )
        .route("/healthz", get(ops::healthz))
        .route("/readyz", get(ops::readyz))
        .route("/metrics", get(ops::metrics))
        .route("/theme.css", get(ops::theme_css))
        .route("/static/{file}", get(ops::asset))
        .route("/favicon.ico", get(ops::favicon))
        .fallback(ops::not_found)
}

/// Only local paths may be redirected to, so a crafted link cannot send someone
/// from our login page to another site.
pub(crate) fn safe_return_path(p: &str) -> &str {
    if p.starts_with('/')
        && !p.starts_with("//")
        && !p.starts_with("/\\")
        && !p.contains(['\r', '\n'])
    {
        p
    } else {
        "/"
    }
}

/// 303 See Other: after a form post, the browser fetches the target with GET.
pub(crate) fn redirect(to: &str) -> axum::response::Response {
    axum::response::IntoResponse::into_response(axum::response::Redirect::to(to))
}
