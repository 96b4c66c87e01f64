//! Sessie, the "samen duiden" part of Koers: live "whole system in the room"
//! sessions on phones. A facilitator steers four phases (inbreng, stemmen,
//! prioriteren, afronden); participants join with a code, without an account;
//! the consensus engine finds opinion groups and bridging statements as votes
//! come in.
//!
//! The part hands the shell one [`Sessie`] value: its routes with the access each
//! needs ([`routes`]), its locale files, navigation entry, card on the
//! organisation's page and demo seed. Its own machinery: the live rooms and the
//! vote writer ([`live`]), the exports ([`export`], written with the shared
//! `koers-tables` writers) and the Pol.is import ([`import`]).
//!
//! Sessie depends on the shell (`koers-web`), the store, `koers-core` and the
//! consensus engine, and on no other part.

mod console;
mod deelnemer;
pub mod demo;
pub mod export;
pub mod import;
pub mod live;
mod room;
mod share;

use futures_util::future::BoxFuture;
use koers_core::Role;
use koers_web::auth::{ConnectionLimiter, RateLimiter};
use koers_web::error::AppResult;
use koers_web::i18n::Tr;
use koers_web::part::{
    Access, Card, DemoContext, DemoReport, Locales, LoopStage, NavEntry, OrgAccess, Part,
    PartState, Route,
};
use koers_web::AppState;
use std::sync::Arc;

/// Sessie's state in the running server: the live rooms and the limits that
/// keep one client from taking more than its share.
pub struct SessieState {
    pub live: Arc<live::LiveHub>,
    /// Joins per client address per minute.
    pub join_limiter: RateLimiter,
    /// Join codes that lead to no session, per client address per minute, so
    /// the code space cannot be walked.
    pub unknown_code_limiter: RateLimiter,
    /// Joins per session per minute, from all addresses together.
    pub session_join_limiter: RateLimiter<koers_core::LiveSessionId>,
    /// Statements per participant per minute.
    pub statement_limiter: RateLimiter<koers_core::ParticipantId>,
    /// Event streams open at once per client address.
    pub streams: ConnectionLimiter,
}

/// Sessie's state; present whenever the part is registered.
pub(crate) fn sessie_state(state: &AppState) -> AppResult<Arc<SessieState>> {
    state.part_state::<SessieState>().ok_or_else(|| {
        koers_web::error::AppError::Internal(anyhow::anyhow!("Sessie is not started"))
    })
}

/// The download formats of a session's results (`…/download/{file}`).
/// The tenant-isolation test requests every one of them.
pub const DOWNLOADS: &[&str] = &[
    "resultaten.csv",
    "resultaten.ods",
    "resultaten.xlsx",
    "polis.zip",
    "votes.csv",
    "comments.csv",
    "participants-votes.csv",
    "summary.csv",
];

const JOIN: Access = Access::Secret {
    reason: "participants join without an account: the join code is the key, and the participant cookie names one participant of that one session",
};
const SCREEN: Access = Access::Secret {
    reason: "the room's PC shows the room screen without a login: the projector link's token is the key; it opens one session, read-only, and the facilitator can revoke it",
};
const JOIN_FORM: Access = Access::Public {
    reason: "the form where a participant types a join code; shows no session data",
};

const SHARED_RESULTS: Access = Access::Secret {
    reason: "a read-only results link: the unguessable token is the key to one session's results, with the same anonymity rule and no raw data; it expires and can be revoked",
};

/// The part, as the binary registers it.
pub struct Sessie;

impl Part for Sessie {
    fn name(&self) -> &'static str {
        "sessie"
    }

    fn routes(&self) -> Vec<Route> {
        routes()
    }

    fn locales(&self) -> Locales {
        Locales {
            nl: include_str!("../locales/nl.ftl"),
            en: include_str!("../locales/en.ftl"),
        }
    }

    fn stage(&self) -> LoopStage {
        LoopStage::Duiden
    }

    fn nav(&self) -> Option<NavEntry> {
        Some(NavEntry {
            label_key: "org-sessions-link",
            path: "sessies",
            role: Role::Facilitator,
        })
    }

    fn start(&self, state: &AppState) -> Option<PartState> {
        let hub = live::LiveHub::start_with_queue(
            state.store.clone(),
            state.config.anonymity(),
            state.config.server.vote_queue,
        );
        hub.set_idle_after(std::time::Duration::from_secs(
            state.config.server.live_room_idle_secs,
        ));
        let s = SessieState {
            live: hub,
            join_limiter: RateLimiter::new(60, state.config.security.joins_per_address_per_minute),
            unknown_code_limiter: RateLimiter::new(
                60,
                state.config.security.unknown_codes_per_address_per_minute,
            ),
            session_join_limiter: RateLimiter::new(
                60,
                state.config.security.joins_per_session_per_minute,
            ),
            statement_limiter: RateLimiter::new(
                60,
                state.config.security.statements_per_participant_per_minute,
            ),
            streams: ConnectionLimiter::new(state.config.security.event_streams_per_address),
        };
        Some(Arc::new(s))
    }

    fn card<'a>(
        &'a self,
        state: &'a AppState,
        access: &'a OrgAccess,
        tr: &'a Tr,
    ) -> BoxFuture<'a, AppResult<Option<Card>>> {
        Box::pin(console::card(state, access, tr))
    }

    fn home_panel(&self, home: &koers_web::part::HomeContext<'_>) -> Option<String> {
        deelnemer::home_panel(home)
    }

    fn seed_demo<'a>(
        &'a self,
        demo: &'a DemoContext<'a>,
    ) -> BoxFuture<'a, anyhow::Result<DemoReport>> {
        Box::pin(demo::seed(demo))
    }
}

/// Every Sessie route. The facilitator's pages need the facilitator role in the
/// organisation of the path; participants' pages go by join code.
pub fn routes() -> Vec<Route> {
    use console as c;
    use deelnemer as d;
    let fac = Access::Org(Role::Facilitator);
    vec![
        Route::get("/organisaties/{org}/sessies", fac, c::list),
        Route::get("/organisaties/{org}/sessies/nieuw", fac, c::new_form),
        Route::post("/organisaties/{org}/sessies/nieuw", fac, c::create),
        Route::get("/organisaties/{org}/sessies/{id}", fac, c::console),
        Route::post(
            "/organisaties/{org}/sessies/{id}/fase",
            fac,
            c::change_phase,
        ),
        Route::post(
            "/organisaties/{org}/sessies/{id}/deelname",
            fac,
            c::join_window,
        ),
        Route::post(
            "/organisaties/{org}/sessies/{id}/stellingen",
            fac,
            c::add_seed,
        ),
        Route::post(
            "/organisaties/{org}/sessies/{id}/stellingen/{statement}/moderatie",
            fac,
            c::moderate,
        ),
        Route::post(
            "/organisaties/{org}/sessies/{id}/afspraken",
            fac,
            c::add_step,
        ),
        Route::post(
            "/organisaties/{org}/sessies/{id}/afspraken/{step}",
            fac,
            c::edit_step,
        ),
        Route::post(
            "/organisaties/{org}/sessies/{id}/afspraken/{step}/verwijderen",
            fac,
            c::delete_step,
        ),
        Route::get("/organisaties/{org}/sessies/{id}/qr.svg", fac, c::qr_svg),
        Route::get(
            "/organisaties/{org}/sessies/{id}/projectie",
            fac,
            c::projector,
        ),
        Route::get(
            "/organisaties/{org}/sessies/{id}/projectie/live",
            fac,
            c::projector_fragment,
        ),
        Route::get(
            "/organisaties/{org}/sessies/{id}/projectie/events",
            fac,
            c::projector_events,
        ),
        Route::get(
            "/organisaties/{org}/sessies/{id}/resultaten",
            fac,
            c::results,
        ),
        Route::get(
            "/organisaties/{org}/sessies/{id}/download/{file}",
            fac,
            c::download,
        )
        .with_values("file", DOWNLOADS),
        // --- console (issue 9): live console, edit/merge, ballot, log, join confirmation
        Route::get(
            "/organisaties/{org}/sessies/{id}/console/live",
            fac,
            c::console_fragment,
        ),
        Route::get(
            "/organisaties/{org}/sessies/{id}/console/events",
            fac,
            c::console_events,
        ),
        Route::get(
            "/organisaties/{org}/sessies/{id}/deelname/sluiten",
            fac,
            c::join_close_confirm,
        ),
        Route::get(
            "/organisaties/{org}/sessies/{id}/stellingen/{statement}/bewerken",
            fac,
            c::statement_edit,
        ),
        Route::post(
            "/organisaties/{org}/sessies/{id}/stellingen/{statement}/bewerken",
            fac,
            c::edit_statement,
        ),
        Route::post(
            "/organisaties/{org}/sessies/{id}/stellingen/{statement}/samenvoegen",
            fac,
            c::merge_statement,
        ),
        Route::post(
            "/organisaties/{org}/sessies/{id}/stemlijst/{statement}",
            fac,
            c::ballot_edit,
        ),
        Route::get(
            "/organisaties/{org}/sessies/{id}/logboek",
            fac,
            c::session_log,
        ),
        // --- share (issue 9): read-only results links ---
        Route::post(
            "/organisaties/{org}/sessies/{id}/resultaatlinks",
            fac,
            share::create,
        ),
        Route::post(
            "/organisaties/{org}/sessies/{id}/resultaatlinks/{link}/intrekken",
            fac,
            share::revoke,
        ),
        Route::get("/uitslag/{share}", SHARED_RESULTS, share::shared),
        Route::get("/doe-mee", JOIN_FORM, d::code_form),
        Route::post("/doe-mee", JOIN_FORM, d::code_submit),
        Route::get("/s/{code}", JOIN, d::join_page),
        Route::post("/s/{code}", JOIN, d::join),
        Route::get("/s/{code}/nu", JOIN, d::now_page),
        Route::post("/s/{code}/inbreng", JOIN, d::submit_statement),
        Route::post("/s/{code}/stem", JOIN, d::vote),
        Route::get("/s/{code}/stemmen", JOIN, d::my_votes),
        Route::post("/s/{code}/stippen", JOIN, d::submit_dots),
        Route::get("/s/{code}/events", JOIN, d::events),
        // The room screen (issue 9 §1): the projector link and its pages, the
        // logged-in projector's fragment, and the console's controls.
        Route::get("/scherm/{screen}", SCREEN, room::screen_page),
        Route::get("/scherm/{screen}/live", SCREEN, room::screen_fragment),
        Route::get("/scherm/{screen}/events", SCREEN, room::screen_events),
        Route::get("/scherm/{screen}/qr.svg", SCREEN, room::screen_qr),
        Route::get(
            "/organisaties/{org}/sessies/{id}/projectie/scherm",
            fac,
            room::projector_fragment,
        ),
        Route::post(
            "/organisaties/{org}/sessies/{id}/scherm/link",
            fac,
            room::make_link,
        ),
        Route::post(
            "/organisaties/{org}/sessies/{id}/scherm/intrekken",
            fac,
            room::revoke_link,
        ),
        Route::post(
            "/organisaties/{org}/sessies/{id}/scherm/weergave",
            fac,
            room::set_view,
        ),
        Route::post(
            "/organisaties/{org}/sessies/{id}/scherm/resultaten",
            fac,
            room::set_reveal,
        ),
        Route::post(
            "/organisaties/{org}/sessies/{id}/scherm/aftellen",
            fac,
            room::countdown,
        ),
    ]
}
