//! The room screen: what the projector in the room shows, full screen and live.
//!
//! The facilitator makes a projector link in the console (`…/scherm/link`): an
//! unguessable token, of which the store keeps only the SHA-256, that opens
//! `/scherm/{token}` on the room's PC without a login. It is valid for that one
//! session, read-only (there is no POST under `/scherm`), and making a new one or
//! revoking it stops the old one at once. The logged-in projector page
//! (`…/{id}/projectie`) shows the same screen.
//!
//! The screen shows one view per phase (following the open phase, or a phase the
//! facilitator picked), the join code with a QR code while joining works, and a
//! countdown. Results can be hidden per phase until the facilitator reveals them.
//! Everything on it is meant for the room: accepted statements only, no names,
//! no moderation queue, no links into the console; every figure per perspective
//! or opinion group comes from [`LiveView`], which has passed the anonymity rule.

use crate::console::{join_url, live_view, session_of, stream_permit, LiveView};
use crate::live::{live, Room};
use askama::Template;
use axum::extract::{ConnectInfo, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use koers_core::sessie::room::{clock, joining_open, Countdown, CountdownMinutes, ScreenView};
use koers_core::sessie::{dot_totals, top_by_dots, Phase};
use koers_core::{FieldError, StatementId};
use koers_store::{LiveSession, StatementStatus};
use koers_web::ctx::{Ctx, Form, Path, RequestCtx};
use koers_web::error::{AppError, AppResult};
use koers_web::i18n::FluentValue;
use koers_web::part::OrgAccess;
use koers_web::templates::{render, Page};
use koers_web::{audit, redirect, AppState};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::sync::Arc;

/// At most this many items per list, so that a view fits the screen at the
/// type size a room can read (tested at 1920×1080, 1280×720 and 1024×768).
const WALL_MAX: usize = 4;
const BRIDGING_MAX: usize = 3;
const DOTS_MAX: usize = 4;
const TOP_MAX: usize = 3;
const STEPS_MAX: usize = 3;

/// The countdown as the event streams carry it: "phase ends_at" (UTC seconds),
/// or "none". The page knows the server's clock from when it was drawn.
pub(crate) fn countdown_event(c: Option<Countdown>) -> String {
    match c {
        Some(c) => format!("{} {}", c.phase.as_str(), c.ends_at),
        None => "none".to_owned(),
    }
}

/// A countdown as a page draws it: the remaining time rendered on the server
/// (so it shows without JavaScript) and the end time for the script that ticks.
pub struct CountdownView {
    pub on: bool,
    pub ends_at: i64,
    pub now: i64,
    pub clock: String,
    pub done: bool,
    /// "Nog 4:05" for screen readers and the page without JavaScript.
    pub label: String,
}

/// The countdown to show while `current` is open, if one runs for that phase.
pub(crate) fn countdown_view(
    c: &Page,
    room: &Room,
    current: Option<Phase>,
    now: i64,
) -> CountdownView {
    match room.screen().countdown.filter(|cd| cd.applies_to(current)) {
        Some(cd) => {
            let left = cd.remaining(now);
            CountdownView {
                on: true,
                ends_at: cd.ends_at,
                now,
                clock: clock(left),
                done: left == 0,
                label: c.t("countdown-label"),
            }
        }
        None => CountdownView {
            on: false,
            ends_at: 0,
            now,
            clock: String::new(),
            done: false,
            label: c.t("countdown-label"),
        },
    }
}

/// For a participant's page: the countdown of the phase open now.
pub(crate) fn participant_countdown(state: &AppState, c: &Page, room: &Room) -> CountdownView {
    let current = room
        .with_state(|s| s.session.phases.current())
        .unwrap_or(None);
    countdown_view(c, room, current, state.now())
}

// ---- the screen -------------------------------------------------------------

pub struct JoinView {
    pub code: String,
    /// "koers.example.nl/doe-mee", without the scheme: what people type.
    pub address: String,
    pub qr_url: String,
    pub qr_alt: String,
}

/// Everything one view of the room screen shows.
pub struct ScreenData {
    pub title: String,
    /// "inbreng", …, or "" before any phase started.
    pub phase: String,
    pub phase_label: String,
    /// `None`: joining does not work now, the screen says so instead of a code.
    pub join: Option<JoinView>,
    /// This phase's results are hidden until the facilitator reveals them.
    pub hidden: bool,
    pub countdown: CountdownView,
    /// Key numbers with their unit ("1 stelling", "12 stellingen"): the number is
    /// drawn larger than the word.
    pub statements: (usize, String),
    pub wall: Vec<String>,
    pub participants: (usize, String),
    pub votes: (usize, String),
    pub v: LiveView,
    pub bridging: Vec<(String, u32)>,
    pub dots: Vec<(String, i64, u32)>,
    pub dots_placed: (usize, String),
    pub top: Vec<(String, i64)>,
    pub steps: Vec<koers_store::NextStep>,
    pub hidden_note: String,
}

/// A number with its unit in the right plural form.
fn counted(c: &Page, key: &str, n: usize) -> (usize, String) {
    (n, c.tr.t_with(key, &[("n", FluentValue::from(n))]))
}

/// "koers.example.nl/doe-mee" from the base URL.
fn join_address(base: &str) -> String {
    let host = base
        .strip_prefix("https://")
        .or_else(|| base.strip_prefix("http://"))
        .unwrap_or(base);
    format!("{host}/doe-mee")
}

async fn screen_data(
    state: &AppState,
    c: &Page,
    headers: &HeaderMap,
    room: &Room,
    qr_url: String,
) -> AppResult<ScreenData> {
    let now = state.now();
    let (session, accepted): (LiveSession, Vec<(StatementId, String)>) = room
        .with_state(|s| {
            (
                s.session.clone(),
                // Accepted statements only: nothing pending or rejected reaches
                // the room. Newest first for the wall.
                s.statements
                    .iter()
                    .rev()
                    .filter(|st| st.status == StatementStatus::Accepted)
                    .map(|st| (st.id, st.text.clone()))
                    .collect(),
            )
        })
        .ok_or(AppError::BadRequest)?;
    let screen = room.screen();
    let shown = screen.view.shown(&session.phases);
    let current = session.phases.current();
    let join = joining_open(
        session.read_only,
        &session.phases,
        session.join_open_until,
        now,
    )
    .then(|| JoinView {
        code: session.join_code.clone(),
        address: join_address(&state.base_url(headers)),
        qr_alt: c.tr.t_with(
            "room-qr-alt",
            &[(
                "url",
                FluentValue::from(join_url(state, headers, &session.join_code)),
            )],
        ),
        qr_url,
    });
    let snapshot = room.snapshot();
    let v = live_view(c, room, &snapshot, &state.config.anonymity());
    let hidden = shown.is_some_and(|p| screen.hidden.hides(p));
    let texts: BTreeMap<StatementId, String> = accepted.iter().cloned().collect();
    let mut dots = vec![];
    let mut top = vec![];
    let mut steps = vec![];
    let mut dots_total = 0;
    if matches!(shown, Some(Phase::Prioriteren) | Some(Phase::Afronden)) {
        let totals = dot_totals(live(state)?.dot_totals(room).await?.iter().copied());
        dots_total = totals.values().sum::<i64>();
        if shown == Some(Phase::Prioriteren) {
            // The shortlist, in its own order, with the dots so far: the bars
            // grow as dots come in without the list jumping around.
            let max = totals.values().copied().max().unwrap_or(0).max(1);
            dots = snapshot
                .shortlist
                .iter()
                .filter_map(|id| {
                    texts.get(id).map(|t| {
                        let n = totals.get(id).copied().unwrap_or(0);
                        let width = (n * 100 / max).clamp(0, 100) as u32;
                        (t.clone(), n, width)
                    })
                })
                .take(DOTS_MAX)
                .collect();
        } else {
            top = top_by_dots(&totals, TOP_MAX)
                .into_iter()
                .filter_map(|(st, n)| texts.get(&st).map(|t| (t.clone(), n)))
                .collect();
            steps = state.store.sessie().next_steps(session.scope).await?;
            steps.truncate(STEPS_MAX);
        }
    }
    let phase = shown.map(|p| p.as_str().to_owned()).unwrap_or_default();
    let phase_label = match shown {
        Some(p) => c.t(&format!("phase-{}", p.as_str())),
        None => c.t("room-waiting"),
    };
    // A phase picked by hand while another is open: say so, the room should not
    // think it is doing this phase now.
    let phase_label = match (shown, current) {
        (Some(s), Some(cur)) if s != cur => {
            format!("{phase_label} · {}", c.t("room-view-by-hand"))
        }
        _ => phase_label,
    };
    Ok(ScreenData {
        title: session.title.clone(),
        phase,
        phase_label,
        join,
        hidden,
        countdown: countdown_view(c, room, current.filter(|p| Some(*p) == shown), now),
        statements: counted(c, "room-statements-unit", accepted.len()),
        wall: accepted
            .iter()
            .take(WALL_MAX)
            .map(|(_, t)| t.clone())
            .collect(),
        participants: counted(c, "room-participants-unit", v.participants),
        votes: counted(c, "room-votes-unit", v.votes),
        bridging: v.bridging.iter().take(BRIDGING_MAX).cloned().collect(),
        dots,
        dots_placed: counted(
            c,
            "room-dots-unit",
            usize::try_from(dots_total).unwrap_or(0),
        ),
        top,
        steps,
        hidden_note: c.t("room-hidden-note"),
        v,
    })
}

#[derive(Template)]
#[template(path = "room_screen.html")]
pub struct ScreenTpl {
    pub c: Page,
    pub live_url: String,
    pub fragment_url: String,
    pub s: ScreenData,
}

#[derive(Template)]
#[template(path = "room_screen_live.html")]
pub struct ScreenLiveTpl {
    pub c: Page,
    pub s: ScreenData,
}

#[derive(Template)]
#[template(path = "room_missing.html")]
pub struct MissingTpl {
    pub c: Page,
}

/// The friendly page for a wrong or revoked projector link, in the room screen's
/// style: it is what the room's PC shows.
fn missing(state: &AppState, ctx: &RequestCtx) -> Response {
    let c = Page::new(state, ctx, "room-missing-title");
    render(StatusCode::NOT_FOUND, &MissingTpl { c })
}

/// The room behind a projector link, or `None` for a wrong or revoked one.
async fn room_of_link(state: &AppState, screen: &str) -> AppResult<Option<Arc<Room>>> {
    // Our tokens are 43 characters; anything much longer is not one of ours and
    // is not worth hashing.
    if screen.is_empty() || screen.len() > 100 {
        return Ok(None);
    }
    let hash = koers_web::auth::token_hash(screen);
    let Some(session) = state.store.sessie().session_by_room_token(&hash).await? else {
        return Ok(None);
    };
    Ok(Some(live(state)?.room(session.scope).await?))
}

fn no_store(mut res: Response) -> Response {
    res.headers_mut().insert(
        header::CACHE_CONTROL,
        header::HeaderValue::from_static("no-store"),
    );
    // The link is the key: it must not leak to another site through a referrer.
    res.headers_mut().insert(
        header::REFERRER_POLICY,
        header::HeaderValue::from_static("no-referrer"),
    );
    res
}

pub async fn screen_page(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    headers: HeaderMap,
    Path(screen): Path<String>,
) -> AppResult<Response> {
    let Some(room) = room_of_link(&state, &screen).await? else {
        return Ok(missing(&state, &ctx));
    };
    let base = format!("/scherm/{screen}");
    let c = Page::new(&state, &ctx, "room-title");
    let s = screen_data(&state, &c, &headers, &room, format!("{base}/qr.svg")).await?;
    let c = c.with_title(s.title.clone());
    Ok(no_store(render(
        StatusCode::OK,
        &ScreenTpl {
            live_url: format!("{base}/events"),
            fragment_url: format!("{base}/live"),
            c,
            s,
        },
    )))
}

pub async fn screen_fragment(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    headers: HeaderMap,
    Path(screen): Path<String>,
) -> AppResult<Response> {
    let Some(room) = room_of_link(&state, &screen).await? else {
        return Err(AppError::NotFound);
    };
    let c = Page::new(&state, &ctx, "room-title");
    let s = screen_data(
        &state,
        &c,
        &headers,
        &room,
        format!("/scherm/{screen}/qr.svg"),
    )
    .await?;
    Ok(no_store(render(StatusCode::OK, &ScreenLiveTpl { c, s })))
}

pub async fn screen_events(
    State(state): State<AppState>,
    Ctx(_ctx): Ctx,
    headers: HeaderMap,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    Path(screen): Path<String>,
) -> AppResult<Response> {
    let Some(room) = room_of_link(&state, &screen).await? else {
        return Err(AppError::NotFound);
    };
    let permit = stream_permit(&state, peer, &headers)?;
    Ok(crate::console::room_events(&state, room, true, permit).into_response())
}

/// The QR code of the join page with the code filled in (`/s/{CODE}`); only
/// while joining works, so the room is never shown a dead code.
pub async fn screen_qr(
    State(state): State<AppState>,
    Ctx(_ctx): Ctx,
    headers: HeaderMap,
    Path(screen): Path<String>,
) -> AppResult<Response> {
    let Some(room) = room_of_link(&state, &screen).await? else {
        return Err(AppError::NotFound);
    };
    let session = room
        .with_state(|s| s.session.clone())
        .ok_or(AppError::BadRequest)?;
    if !joining_open(
        session.read_only,
        &session.phases,
        session.join_open_until,
        state.now(),
    ) {
        return Err(AppError::NotFound);
    }
    qr_response(&join_url(&state, &headers, &session.join_code))
}

/// An SVG QR code of `url`, black on white, for the console and the room screen.
pub(crate) fn qr_response(url: &str) -> AppResult<Response> {
    let code = qrcode::QrCode::new(url.as_bytes())
        .map_err(|e| AppError::Internal(anyhow::anyhow!("qr: {e}")))?;
    let svg = code
        .render::<qrcode::render::svg::Color>()
        .min_dimensions(320, 320)
        .dark_color(qrcode::render::svg::Color("#000000"))
        .light_color(qrcode::render::svg::Color("#ffffff"))
        .build();
    Ok((
        [
            (header::CONTENT_TYPE, "image/svg+xml"),
            (header::CACHE_CONTROL, "private, max-age=300"),
        ],
        svg,
    )
        .into_response())
}

// ---- the logged-in projector ---------------------------------------------------

/// `…/{id}/projectie`: the same room screen, for a facilitator who projects from
/// their own logged-in browser.
pub(crate) async fn projector_page(
    state: &AppState,
    ctx: &RequestCtx,
    a: &OrgAccess,
    headers: &HeaderMap,
    id: i64,
) -> AppResult<Response> {
    let (a, session) = session_of(state, a, id).await?;
    let room = live(state)?.room(session.scope).await?;
    let base = format!("/organisaties/{}/sessies/{id}", a.org.id);
    let c = Page::new(state, ctx, "projector-title");
    let s = screen_data(state, &c, headers, &room, format!("{base}/qr.svg")).await?;
    let c = c.with_title(s.title.clone());
    Ok(render(
        StatusCode::OK,
        &ScreenTpl {
            live_url: format!("{base}/projectie/events"),
            fragment_url: format!("{base}/projectie/scherm"),
            c,
            s,
        },
    ))
}

pub async fn projector_fragment(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    a: OrgAccess,
    headers: HeaderMap,
    Path((_org, id)): Path<(i64, i64)>,
) -> AppResult<Response> {
    let (a, session) = session_of(&state, &a, id).await?;
    let room = live(&state)?.room(session.scope).await?;
    let c = Page::new(&state, &ctx, "projector-title");
    let qr = format!("/organisaties/{}/sessies/{id}/qr.svg", a.org.id);
    let s = screen_data(&state, &c, &headers, &room, qr).await?;
    Ok(no_store(render(StatusCode::OK, &ScreenLiveTpl { c, s })))
}

// ---- the console's controls ------------------------------------------------------

/// What the console's room-screen panel shows.
pub struct ConsoleRoom {
    pub has_link: bool,
    pub link_since: String,
    /// "" follows the phase, else the phase picked.
    pub view: String,
    pub views: Vec<(String, String)>,
    /// The phase on the screen now, its label, and whether its results are hidden.
    pub shown: String,
    pub shown_label: String,
    pub hidden: bool,
    pub countdown: CountdownView,
    /// A countdown needs an open phase to belong to.
    pub can_count_down: bool,
    /// (minutes, "5 minuten") for the quick buttons.
    pub presets: Vec<(u32, String)>,
    pub minutes_hint: String,
}

pub(crate) fn console_view(state: &AppState, c: &Page, room: &Room) -> ConsoleRoom {
    let screen = room.screen();
    let phases = room.with_state(|s| s.session.phases).unwrap_or_default();
    let shown = screen.view.shown(&phases);
    let current = phases.current();
    let mut views = vec![("volgen".to_owned(), c.t("room-view-follow"))];
    views.extend(
        Phase::ALL
            .iter()
            .map(|p| (p.as_str().to_owned(), c.t(&format!("phase-{}", p.as_str())))),
    );
    ConsoleRoom {
        has_link: screen.link_created_at.is_some(),
        link_since: screen
            .link_created_at
            .map(|t| c.tr.date_time(t))
            .unwrap_or_default(),
        view: match screen.view {
            ScreenView::Follow => "volgen".to_owned(),
            ScreenView::Fixed(p) => p.as_str().to_owned(),
        },
        views,
        shown: shown.map(|p| p.as_str().to_owned()).unwrap_or_default(),
        shown_label: shown
            .map(|p| c.t(&format!("phase-{}", p.as_str())))
            .unwrap_or_default(),
        hidden: shown.is_some_and(|p| screen.hidden.hides(p)),
        countdown: countdown_view(c, room, current, state.now()),
        can_count_down: current.is_some(),
        presets: CountdownMinutes::PRESETS
            .iter()
            .map(|m| (*m, counted(c, "countdown-preset", *m as usize).1))
            .collect(),
        minutes_hint: c.tr.t_with(
            "countdown-minutes-hint",
            &[("max", FluentValue::from(CountdownMinutes::MAX))],
        ),
    }
}

#[derive(Template)]
#[template(path = "room_link_created.html")]
pub struct LinkCreatedTpl {
    pub c: Page,
    pub org_id: i64,
    pub id: i64,
    pub title: String,
    pub link: String,
}

/// Reads the room and tells its browsers after a change of the screen settings.
async fn screen_changed(state: &AppState, session: &LiveSession) -> AppResult<()> {
    let hub = live(state)?;
    let room = hub.room(session.scope).await?;
    hub.screen_changed(&room).await?;
    Ok(())
}

fn back_to_console(org: i64, id: i64) -> Response {
    redirect(&format!("/organisaties/{org}/sessies/{id}#scherm"))
}

/// Makes a new projector link (the old one stops working) and shows it once.
pub async fn make_link(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    a: OrgAccess,
    headers: HeaderMap,
    Path((_org, id)): Path<(i64, i64)>,
    Form(_): Form<koers_web::Empty>,
) -> AppResult<Response> {
    let (a, session) = session_of(&state, &a, id).await?;
    let token = koers_web::auth::new_token();
    state
        .store
        .sessie()
        .set_room_link(
            session.scope,
            Some(&koers_web::auth::token_hash(&token)),
            state.now(),
        )
        .await?;
    // An open room screen of the old link finds out and shows "not found".
    screen_changed(&state, &session).await?;
    audit(
        &state,
        Some(a.org.id),
        a.user.id,
        "session.room_link",
        &session.title,
    )
    .await?;
    let c = Page::new(&state, &ctx, "room-link-title");
    let mut res = render(
        StatusCode::OK,
        &LinkCreatedTpl {
            org_id: a.org.id.0,
            id,
            title: session.title.clone(),
            link: format!("{}/scherm/{token}", state.base_url(&headers)),
            c,
        },
    );
    res.headers_mut().insert(
        header::CACHE_CONTROL,
        header::HeaderValue::from_static("no-store"),
    );
    Ok(res)
}

pub async fn revoke_link(
    State(state): State<AppState>,
    Ctx(_ctx): Ctx,
    a: OrgAccess,
    Path((org, id)): Path<(i64, i64)>,
    Form(_): Form<koers_web::Empty>,
) -> AppResult<Response> {
    let (a, session) = session_of(&state, &a, id).await?;
    state
        .store
        .sessie()
        .set_room_link(session.scope, None, state.now())
        .await?;
    screen_changed(&state, &session).await?;
    audit(
        &state,
        Some(a.org.id),
        a.user.id,
        "session.room_link_revoked",
        &session.title,
    )
    .await?;
    Ok(back_to_console(org, id))
}

#[derive(Deserialize)]
pub struct ViewForm {
    #[serde(default)]
    pub view: String,
}

pub async fn set_view(
    State(state): State<AppState>,
    Ctx(_ctx): Ctx,
    a: OrgAccess,
    Path((org, id)): Path<(i64, i64)>,
    Form(f): Form<ViewForm>,
) -> AppResult<Response> {
    let (_, session) = session_of(&state, &a, id).await?;
    // The form offers only valid views: anything else is a forged request.
    let view = ScreenView::parse(&f.view).map_err(|_| AppError::BadRequest)?;
    state
        .store
        .sessie()
        .set_room_view(session.scope, view, state.now())
        .await?;
    screen_changed(&state, &session).await?;
    Ok(back_to_console(org, id))
}

#[derive(Deserialize)]
pub struct RevealForm {
    #[serde(default)]
    pub phase: String,
    #[serde(default)]
    pub results: String,
}

pub async fn set_reveal(
    State(state): State<AppState>,
    Ctx(_ctx): Ctx,
    a: OrgAccess,
    Path((org, id)): Path<(i64, i64)>,
    Form(f): Form<RevealForm>,
) -> AppResult<Response> {
    let (_, session) = session_of(&state, &a, id).await?;
    let phase = Phase::parse(&f.phase).ok_or(AppError::BadRequest)?;
    let hidden = match f.results.as_str() {
        "hide" => true,
        "show" => false,
        _ => return Err(AppError::BadRequest),
    };
    state
        .store
        .sessie()
        .set_room_hidden(session.scope, phase, hidden, state.now())
        .await?;
    screen_changed(&state, &session).await?;
    Ok(back_to_console(org, id))
}

#[derive(Deserialize)]
pub struct CountdownForm {
    #[serde(default)]
    pub minutes: String,
    #[serde(default)]
    pub countdown: String,
}

pub async fn countdown(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    a: OrgAccess,
    headers: HeaderMap,
    Path((org, id)): Path<(i64, i64)>,
    Form(f): Form<CountdownForm>,
) -> AppResult<Response> {
    let (_, session) = session_of(&state, &a, id).await?;
    let now = state.now();
    let countdown = if f.countdown == "stop" {
        None
    } else {
        // It belongs to the phase open now; with none open there is nothing to
        // count down (the console offers no button then, but a page may be old).
        let parsed = CountdownMinutes::parse(&f.minutes).and_then(|m| {
            session
                .phases
                .current()
                .map(|phase| m.start(phase, now))
                .ok_or(FieldError::new("minutes", "error-countdown-no-phase"))
        });
        match parsed {
            Ok(c) => Some(c),
            Err(e) => {
                return crate::console::console_with_error(&state, &ctx, &a, &headers, org, id, e)
                    .await;
            }
        }
    };
    state
        .store
        .sessie()
        .set_countdown(session.scope, countdown, now)
        .await?;
    screen_changed(&state, &session).await?;
    Ok(back_to_console(org, id))
}

/// Dots or next steps changed: the room screen redraws its lists.
pub(crate) async fn results_changed(state: &AppState, room: &Room) {
    if let Ok(hub) = live(state) {
        hub.results_changed(room).await;
    }
}
