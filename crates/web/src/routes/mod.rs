//! The routes. Paths are Dutch, like the interface; the language switch changes the
//! words on the page, not the addresses.

mod a11y;
mod account;
mod admin;
mod ops;
pub(crate) mod org;
mod reset;

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

const PASSWORD_RESET: Access = Access::Secret {
    reason: "a one-time password reset link a beheerder handed over: the unguessable token is the key to setting one account's password, once, within a day",
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
        Route::post("/account/taal", Access::User, account::save_language),
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
        // --- share (issue 9): a beheerder's one-time password reset links ---
        Route::post(
            "/organisaties/{org}/leden/{user}/wachtwoord-herstel",
            Access::Org(Role::Beheerder),
            reset::create,
        ),
        Route::get("/wachtwoord-herstel/{reset}", PASSWORD_RESET, reset::form),
        Route::post("/wachtwoord-herstel/{reset}", PASSWORD_RESET, reset::reset),
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
/// from our login page (or the language switch, or a vote form) to another site.
///
/// Browsers strip tabs and newlines from a `Location` and read `\\` as `/`, so
/// `/\t/evil.example` would land on `//evil.example`; a control character would
/// also make the header itself invalid, after the action was already stored. We
/// therefore accept only what parses as a bare path-and-query (no scheme, no
/// authority) starting with exactly one `/`, with no whitespace, and with no
/// backslash or control character, neither as sent nor after percent-decoding;
/// anything else is `/`.
pub fn safe_return_path(p: &str) -> &str {
    if is_local_path(p) {
        p
    } else {
        "/"
    }
}

fn is_local_path(p: &str) -> bool {
    fn plain(s: &str) -> bool {
        s.starts_with('/')
            && !s.starts_with("//")
            && !s.contains('\\')
            && !s.chars().any(char::is_control)
    }
    // Raw whitespace is never part of a valid URL; an encoded space (`%20`) is.
    plain(p)
        && !p.chars().any(char::is_whitespace)
        && plain(&percent_decode(p))
        && p.parse::<axum::http::uri::PathAndQuery>().is_ok()
        && p.parse::<axum::http::Uri>()
            .is_ok_and(|u| u.scheme().is_none() && u.authority().is_none())
}

/// Percent-decoding for the check above; invalid escapes stay as they are, and bytes
/// that are not UTF-8 become U+FFFD (which the check then sees as harmless text).
fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| char::from(b).to_digit(16);
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            if let (Some(h), Some(l)) = (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                out.push(u8::try_from(h * 16 + l).unwrap_or(b'%'));
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// 303 See Other: after a form post, the browser fetches the target with GET.
pub fn redirect(to: &str) -> axum::response::Response {
    axum::response::IntoResponse::into_response(axum::response::Redirect::to(to))
}
