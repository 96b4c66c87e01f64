//! The routes. Paths are Dutch, like the interface; the language switch changes the
//! words on the page, not the addresses.

mod a11y;
mod account;
mod admin;
mod ops;
pub(crate) mod org;

use crate::part::{Access, Route};
use koers_core::Role;

const FRONT: Access = Access::Public {
    reason: "the front door: start page, login, language, accessibility statement",
};
const SETUP: Access = Access::Public {
    reason: "first-run set-up; refused once an administrator exists, and guarded by the one-time code printed at start",
};
const OPS: Access = Access::Public {
    reason: "health, metrics and static assets for load balancers, monitoring and browsers; no organisation data",
};
const INVITATION: Access = Access::Secret {
    reason: "an invitation link: the unguessable token is the key, and it names only its own organisation",
};

/// The shell's own routes. Parts add theirs through [`crate::part::Part::routes`].
pub(crate) fn routes() -> Vec<Route> {
    vec![
        Route::get("/", FRONT, account::home),
        Route::get("/inloggen", FRONT, account::login_form),
        Route::post("/inloggen", FRONT, account::login),
        Route::post("/uitloggen", FRONT, account::logout),
        Route::get("/installatie", SETUP, account::setup_form),
        Route::post("/installatie", SETUP, account::setup),
        Route::get("/taal/{code}", FRONT, account::switch_language),
        Route::get("/account", Access::User, account::account_page),
        Route::post(
            "/account/wachtwoord",
            Access::User,
            account::change_password,
        ),
        Route::get("/organisaties/{org}", Access::Org(Role::Lid), org::overview),
        Route::get(
            "/organisaties/{org}/gegevens",
            Access::Org(Role::Beheerder),
            org::edit_form,
        ),
        Route::post(
            "/organisaties/{org}/gegevens",
            Access::Org(Role::Beheerder),
            org::edit,
        ),
        Route::post(
            "/organisaties/{org}/uitnodigingen",
            Access::Org(Role::Beheerder),
            org::invite,
        ),
        Route::post(
            "/organisaties/{org}/uitnodigingen/{invitation}/intrekken",
            Access::Org(Role::Beheerder),
            org::revoke_invitation,
        ),
        Route::post(
            "/organisaties/{org}/leden/{user}/rol",
            Access::Org(Role::Beheerder),
            org::change_role,
        ),
        Route::post(
            "/organisaties/{org}/leden/{user}/verwijderen",
            Access::Org(Role::Beheerder),
            org::remove_member,
        ),
        Route::get("/uitnodiging/{token}", INVITATION, org::invitation_page),
        Route::post("/uitnodiging/{token}", INVITATION, org::accept_invitation),
        Route::get("/beheer", Access::PlatformAdmin, admin::overview),
        Route::post(
            "/beheer/organisaties",
            Access::PlatformAdmin,
            admin::create_organisation,
        ),
        Route::post(
            "/beheer/gebruikers",
            Access::PlatformAdmin,
            admin::create_user,
        ),
        Route::post(
            "/beheer/gebruikers/{user}/wachtwoord",
            Access::PlatformAdmin,
            admin::reset_password,
        ),
        Route::get("/toegankelijkheid", FRONT, a11y::statement),
        Route::get(
            "/toegankelijkheid/bewerken",
            Access::PlatformAdmin,
            a11y::edit_form,
        ),
        Route::post(
            "/toegankelijkheid/bewerken",
            Access::PlatformAdmin,
            a11y::edit,
        ),
        Route::get("/healthz", OPS, ops::healthz),
        Route::get("/readyz", OPS, ops::readyz),
        Route::get("/metrics", OPS, ops::metrics),
        Route::get("/theme.css", OPS, ops::theme_css),
        Route::get("/static/{file}", OPS, ops::asset),
        Route::get("/favicon.ico", OPS, ops::favicon),
    ]
}

pub(crate) use ops::not_found;

/// Only local paths may be redirected to, so a crafted link cannot send someone
/// from our login page to another site.
pub fn safe_return_path(p: &str) -> &str {
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
pub fn redirect(to: &str) -> axum::response::Response {
    axum::response::IntoResponse::into_response(axum::response::Redirect::to(to))
}
