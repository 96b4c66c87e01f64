//! The participant's side of a live session: join with a code and no account, then
//! follow the phases on a phone. A participant is known by a random token in a
//! cookie scoped to the session's path; only its hash is stored, and no IP address
//! is stored with anything a participant sends.

use crate::live::{live, Room, VoteError};
use crate::sessie_state;
use askama::Template;
use axum::extract::{ConnectInfo, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use koers_core::sessie::participant::{
    accepts_statement, dots_left, my_group, next_card, step_dots, CardCandidate,
};
use koers_core::sessie::{
    check_dots, check_join, dot_totals, profanity_hint, top_by_dots, JoinCode, JoinRefusal,
    ModerationMode, Phase, PhaseState, SessieError, StatementText, VoteChoice,
};
use koers_core::{FieldError, ParticipantId, StatementId};
use koers_store::{NewStatement, StatementStatus};
use koers_web::auth;
use koers_web::ctx::Path;
use koers_web::ctx::{set_cookie, Ctx, Form, RequestCtx};
use koers_web::error::{AppError, AppResult};
use koers_web::i18n::{FluentValue, Tr};
use koers_web::part::HomeContext;
use koers_web::templates::{error_page_back, render, FormErrors, Page};
use koers_web::{redirect, safe_return_path, AppState};
use serde::Deserialize;
use std::collections::{BTreeMap, BTreeSet};
use std::net::SocketAddr;
use std::sync::Arc;

fn participant_cookie(room: &Room) -> String {
    format!("koers_p{}", room.id.0)
}

/// The one-time confirmation ("Je stelling is ontvangen") waiting for the next
/// page of this session. A cookie, not a `?melding=` in the address: an address
/// stays in the browser, so the message came back with every reload and followed
/// the participant into the next phase when the page reloaded itself.
fn flash_cookie(room: &Room) -> String {
    format!("koers_f{}", room.id.0)
}

/// The statement card this browser was shown last, kept until it is answered.
fn card_cookie(room: &Room) -> String {
    format!("koers_c{}", room.id.0)
}

/// The confirmations a flash cookie may name; anything else is ignored.
const FLASHES: &[&str] = &["statement-received", "dots-saved"];

/// A cookie for this session's pages only (`Path=/s/{CODE}`).
fn session_cookie(
    state: &AppState,
    code: &str,
    name: &str,
    value: &str,
    max_age: i64,
) -> Option<header::HeaderValue> {
    let cookie = set_cookie(name, value, Some(max_age), state.config.secure_cookies())
        .to_str()
        .ok()?
        .replace("Path=/", &format!("Path=/s/{code}"));
    header::HeaderValue::from_str(&cookie).ok()
}

/// A redirect to the session's page that shows `flash` there once.
fn redirect_with_flash(state: &AppState, room: &Room, code: &str, flash: &str) -> Response {
    let mut res = redirect(&format!("/s/{code}/nu"));
    if let Some(v) = session_cookie(state, code, &flash_cookie(room), flash, 120) {
        res.headers_mut().append(header::SET_COOKIE, v);
    }
    res
}

/// A page for a participant: no login link in the header (they have no account).
fn participant_page_base(state: &AppState, ctx: &RequestCtx, title_key: &str) -> Page {
    Page::new(state, ctx, title_key).without_login()
}

/// Where a participant's error page leads back to.
enum Back<'a> {
    /// The session's current page.
    Session(&'a str),
    /// The session's join page.
    Join(&'a str),
    /// The form to type a (different) code.
    CodeForm,
}

/// A participant's error page: the message, and a way back to the session or to
/// `/doe-mee`, never only to the home page (which is of no use on a phone in a
/// room). No login link either.
fn participant_error(
    state: &AppState,
    ctx: &RequestCtx,
    status: StatusCode,
    title_key: &str,
    message_key: &str,
    back: Back<'_>,
) -> Response {
    let c = participant_page_base(state, ctx, title_key);
    let link = match back {
        Back::Session(code) => (format!("/s/{code}/nu"), c.t("participant-back-session")),
        Back::Join(code) => (format!("/s/{code}"), c.t("participant-back-join")),
        Back::CodeForm => ("/doe-mee".to_owned(), c.t("participant-back-code")),
    };
    error_page_back(c, status, message_key, link)
}

#[derive(Template)]
#[template(path = "home_join.html")]
struct HomeJoinTpl<'a> {
    tr: &'a Tr,
    csrf: &'a str,
}

impl HomeJoinTpl<'_> {
    fn t(&self, key: &str) -> String {
        self.tr.t(key)
    }
}

/// The "Doe mee met een code" box on the home page, for people who are not
/// logged in (a participant in the room has no account).
pub fn home_panel(home: &HomeContext<'_>) -> Option<String> {
    if home.logged_in {
        return None;
    }
    HomeJoinTpl {
        tr: home.tr,
        csrf: home.csrf,
    }
    .render()
    .map_err(|e| tracing::error!("home panel: {e}"))
    .ok()
}

#[derive(Template)]
#[template(path = "join_code.html")]
pub struct JoinCodeTpl {
    pub c: Page,
    pub errors: FormErrors,
    pub code: String,
}

pub async fn code_form(State(state): State<AppState>, Ctx(ctx): Ctx) -> AppResult<Response> {
    let c = participant_page_base(&state, &ctx, "join-title");
    Ok(render(
        StatusCode::OK,
        &JoinCodeTpl {
            c,
            errors: FormErrors::default(),
            code: String::new(),
        },
    ))
}

#[derive(Deserialize)]
pub struct CodeForm {
    #[serde(default)]
    pub code: String,
}

pub async fn code_submit(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    Form(f): Form<CodeForm>,
) -> AppResult<Response> {
    let tr = ctx.tr();
    let fail = |key: &'static str| {
        let c = participant_page_base(&state, &ctx, "join-title");
        let errors = FormErrors::from_fields(&tr, &[FieldError::new("code", key)]);
        render(
            StatusCode::UNPROCESSABLE_ENTITY,
            &JoinCodeTpl {
                c,
                errors,
                code: f.code.clone(),
            },
        )
    };
    let code = match JoinCode::parse(&f.code) {
        Ok(code) => code,
        Err(e) => {
            unknown_code_allowed(&state, &ctx)?;
            return Ok(fail(e.key));
        }
    };
    if state
        .store
        .sessie()
        .live_session_by_code(code.as_str())
        .await?
        .is_none()
    {
        unknown_code_allowed(&state, &ctx)?;
        return Ok(fail("error-join-code-unknown"));
    }
    Ok(redirect(&format!("/s/{}", code.as_str())))
}

/// Counts a code that leads nowhere against the client's address: past
/// `security.unknown_codes_per_address_per_minute` the answer is 429, so the
/// code space cannot be walked. Codes that work are never counted.
fn unknown_code_allowed(state: &AppState, ctx: &RequestCtx) -> AppResult<()> {
    let limits = sessie_state(state)?;
    if limits.unknown_code_limiter.allow(ctx.client, state.now()) {
        Ok(())
    } else {
        Err(AppError::TooManyRequests)
    }
}

/// The room for a code in a URL, or the friendly page to show instead.
async fn room_for(state: &AppState, ctx: &RequestCtx, code: &str) -> Result<Arc<Room>, Response> {
    let not_found = || {
        if let Err(e) = unknown_code_allowed(state, ctx) {
            return e.into_response();
        }
        participant_error(
            state,
            ctx,
            StatusCode::NOT_FOUND,
            "join-unknown-title",
            "join-unknown",
            Back::CodeForm,
        )
    };
    let Ok(code) = JoinCode::parse(code) else {
        return Err(not_found());
    };
    let hub = live(state).map_err(IntoResponse::into_response)?;
    match hub.room_by_code(code.as_str()).await {
        Ok(Some(room)) => Ok(room),
        Ok(None) => Err(not_found()),
        Err(e) => Err(AppError::from(e).into_response()),
    }
}

async fn current_participant(
    state: &AppState,
    room: &Room,
    headers: &HeaderMap,
) -> AppResult<Option<ParticipantId>> {
    let Some(token) = koers_web::ctx::cookie(headers, &participant_cookie(room)) else {
        return Ok(None);
    };
    if token.len() > 100 {
        return Ok(None);
    }
    Ok(live(state)?
        .participant(room, &auth::token_hash(&token))
        .await?)
}

#[derive(Template)]
#[template(path = "join.html")]
pub struct JoinTpl {
    pub c: Page,
    pub code: String,
    pub title: String,
    pub description: String,
    pub perspectives: Vec<String>,
    pub errors: FormErrors,
    pub chosen: String,
}

pub async fn join_page(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    headers: HeaderMap,
    Path(code): Path<String>,
) -> AppResult<Response> {
    let room = match room_for(&state, &ctx, &code).await {
        Ok(r) => r,
        Err(page) => return Ok(page),
    };
    let code = room
        .with_state(|s| s.session.join_code.clone())
        .unwrap_or_default();
    if current_participant(&state, &room, &headers)
        .await?
        .is_some()
    {
        return Ok(redirect(&format!("/s/{code}/nu")));
    }
    join_form(&state, &ctx, &room, FormErrors::default(), String::new())
}

fn join_form(
    state: &AppState,
    ctx: &RequestCtx,
    room: &Room,
    errors: FormErrors,
    chosen: String,
) -> AppResult<Response> {
    let (session, now) = (
        room.with_state(|s| s.session.clone())
            .ok_or(AppError::BadRequest)?,
        state.now(),
    );
    match check_join(session.read_only, session.join_open_until, now) {
        Ok(()) => {}
        Err(JoinRefusal::ReadOnly) => {
            return Ok(participant_error(
                state,
                ctx,
                StatusCode::GONE,
                "join-read-only-title",
                "join-read-only",
                Back::CodeForm,
            ))
        }
        Err(JoinRefusal::Closed) => {
            return Ok(participant_error(
                state,
                ctx,
                StatusCode::GONE,
                "join-expired-title",
                "join-expired",
                Back::CodeForm,
            ))
        }
    }
    let c = participant_page_base(state, ctx, "join-title").with_title(session.title.clone());
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    Ok(render(
        status,
        &JoinTpl {
            c,
            code: session.join_code.clone(),
            title: session.title.clone(),
            description: session.description.clone(),
            perspectives: session.perspectives.clone(),
            errors,
            chosen,
        },
    ))
}

/// The join form: only the perspective. A display name used to be asked for, but
/// nobody ever saw it (not the room, not the facilitator, not the exports), so it
/// is no longer asked; a `display_name` a client still sends is ignored.
#[derive(Deserialize)]
pub struct JoinForm {
    #[serde(default)]
    pub perspective: String,
}

pub async fn join(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    headers: HeaderMap,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    Path(code): Path<String>,
    Form(f): Form<JoinForm>,
) -> AppResult<Response> {
    let room = match room_for(&state, &ctx, &code).await {
        Ok(r) => r,
        Err(page) => return Ok(page),
    };
    let session = room
        .with_state(|s| s.session.clone())
        .ok_or(AppError::BadRequest)?;
    let now = state.now();
    if current_participant(&state, &room, &headers)
        .await?
        .is_some()
    {
        // A second tap on "join": they are in already.
        return Ok(redirect(&format!("/s/{}/nu", session.join_code)));
    }
    if check_join(session.read_only, session.join_open_until, now).is_err() {
        // The form shows why.
        return join_form(&state, &ctx, &room, FormErrors::default(), String::new());
    }
    let client = auth::client_addr(peer.ip(), &headers, &state.trusted_proxies);
    let limits = sessie_state(&state)?;
    if !limits.join_limiter.allow(client, now)
        || !limits.session_join_limiter.allow_key(room.id, now)
    {
        return Ok(participant_error(
            &state,
            &ctx,
            StatusCode::TOO_MANY_REQUESTS,
            "join-too-fast-title",
            "join-too-fast",
            Back::Join(&session.join_code),
        ));
    }
    let tr = ctx.tr();
    let mut errs = vec![];
    let perspective = session
        .perspectives
        .iter()
        .find(|p| **p == f.perspective)
        .cloned();
    if perspective.is_none() {
        errs.push(FieldError::new("perspective", "error-join-perspective"));
    }
    let (Some(perspective), true) = (perspective, errs.is_empty()) else {
        return join_form(
            &state,
            &ctx,
            &room,
            FormErrors::from_fields(&tr, &errs),
            f.perspective,
        );
    };
    let token = auth::new_token();
    live(&state)?
        .join(&room, &auth::token_hash(&token), &perspective, "", now)
        .await?;
    let mut res = redirect(&format!("/s/{}/nu", session.join_code));
    let mut cookie = set_cookie(
        &participant_cookie(&room),
        &token,
        Some(30 * 86_400),
        state.config.secure_cookies(),
    )
    .to_str()
    .unwrap_or_default()
    .to_owned();
    // Scope the token to this session's pages.
    cookie = cookie.replace("Path=/", &format!("Path=/s/{}", session.join_code));
    if let Ok(v) = header::HeaderValue::from_str(&cookie) {
        res.headers_mut().append(header::SET_COOKIE, v);
    }
    Ok(res)
}

pub struct OwnStatement {
    pub text: String,
    pub status: String,
}

pub struct DotChoice {
    pub id: i64,
    pub text: String,
    pub dots: u32,
}

/// The live character counter's words, rendered by Fluent for one and for many
/// (`#` stands for the number), so the script only picks and fills in.
pub struct CounterWords {
    pub left_one: String,
    pub left_other: String,
    pub over_one: String,
    pub over_other: String,
}

#[derive(Template)]
#[template(path = "participant.html")]
pub struct ParticipantTpl {
    pub c: Page,
    pub code: String,
    pub title: String,
    pub phase: String,
    pub max_chars: u32,
    pub counter: CounterWords,
    pub own: Vec<OwnStatement>,
    pub errors: FormErrors,
    pub draft: String,
    /// The page confirms a statement was stored: the browser's draft can go.
    pub draft_sent: bool,
    pub next_id: i64,
    pub next_text: String,
    pub voted: usize,
    pub total: usize,
    pub budget: u32,
    pub shortlist: Vec<DotChoice>,
    /// "nog 3 stippen", and the same sentence for every number from 0 to the
    /// budget, `|`-separated, for the script that updates it in place.
    pub dots_left: String,
    pub dots_left_words: String,
    /// "You are here": the participant's opinion group, if it may be shown.
    pub my_group: Option<String>,
    pub bridging: Vec<String>,
    pub steps: Vec<koers_store::NextStep>,
    /// The statements with the most dots, with "12 stippen" (Fluent plural).
    pub top_dots: Vec<(String, String)>,
    pub countdown: crate::room::CountdownView,
}

/// The statements offered for dot-voting, with their texts: the ballot (worked
/// out with each analysis, see `live::Snapshot::shortlist`, with the
/// facilitator's edits, fixed once prioriteren opened), so a page only looks
/// them up.
fn shortlist_of(room: &Room) -> Vec<(StatementId, String)> {
    let snap = room.snapshot();
    room.with_state(|s| {
        s.ballot(&snap.shortlist)
            .iter()
            .filter_map(|id| {
                s.accepted()
                    .find(|st| st.id == *id)
                    .map(|st| (*id, st.text.clone()))
            })
            .collect()
    })
    .unwrap_or_default()
}

/// What a participant page shows besides the session's state.
#[derive(Default)]
struct View {
    errors: FormErrors,
    /// Text for the statement field (a refused statement stays in it).
    draft: String,
    /// A confirmation to show once (a `notice-…` key without the prefix).
    flash: Option<String>,
    /// Dots to show instead of the stored ones (a refused +/− step).
    dots: Option<BTreeMap<i64, u32>>,
}

/// "Nog 3 stippen" for `n`, through Fluent's plural rules.
fn dots_left_text(tr: &Tr, n: u32) -> String {
    tr.t_with("participant-dots-left", &[("n", FluentValue::from(n))])
}

/// "Jij zit in Groep B …", when the participant's opinion group is large enough
/// for the anonymity rule; the letter is counted as the projector counts it.
fn my_group_text(state: &AppState, c: &Page, room: &Room, me: ParticipantId) -> Option<String> {
    let snap = room.snapshot();
    let a = snap.analysis.as_ref()?;
    let groups: Vec<&[u64]> = a.groups.iter().map(|g| g.members.as_slice()).collect();
    let me = u64::try_from(me.0).ok()?;
    let (i, size) = my_group(&state.config.anonymity(), &groups, &me)?;
    let label = format!(
        "{} {}",
        c.t("group"),
        crate::console::GROUP_LETTERS.get(i).copied().unwrap_or("?")
    );
    Some(c.tr.t_with(
        "participant-you-are-here",
        &[
            ("group", FluentValue::from(label)),
            ("n", FluentValue::from(size)),
        ],
    ))
}

async fn participant_page(
    state: &AppState,
    ctx: &RequestCtx,
    headers: &HeaderMap,
    room: &Room,
    me: ParticipantId,
    view: View,
) -> AppResult<Response> {
    let kept = koers_web::ctx::cookie(headers, &card_cookie(room))
        .and_then(|v| v.parse::<StatementId>().ok());
    let (session, own, next, voted, total) = room
        .with_state(|s| {
            let own: Vec<OwnStatement> = s
                .statements
                .iter()
                .filter(|st| st.participant_id == Some(me))
                .map(|st| OwnStatement {
                    text: st.text.clone(),
                    status: st.status.as_str().to_owned(),
                })
                .collect();
            let candidates: Vec<CardCandidate> = s
                .accepted()
                .filter(|st| s.vote_of(me, st.id).is_none())
                .map(|st| CardCandidate {
                    id: st.id,
                    priority: s.priorities.get(&st.id).copied(),
                    own: st.participant_id == Some(me),
                })
                .collect();
            let next = next_card(&candidates, kept).and_then(|id| {
                s.accepted()
                    .find(|st| st.id == id)
                    .map(|st| (st.id.0, st.text.clone()))
            });
            (
                s.session.clone(),
                own,
                next,
                s.votes_cast(me),
                s.accepted().count(),
            )
        })
        .ok_or(AppError::BadRequest)?;
    let mut c =
        participant_page_base(state, ctx, "participant-title").with_title(session.title.clone());
    let draft_sent = view.flash.as_deref() == Some("statement-received");
    if let Some(key) = view.flash.map(|f| format!("notice-{f}")) {
        if c.tr.has(&key) {
            c.notice = Some(c.t(&key));
        }
    }
    let own = own
        .into_iter()
        .map(|o| OwnStatement {
            status: c.t(&format!("statement-status-{}", o.status)),
            text: o.text,
        })
        .collect();
    let phase = session
        .phases
        .current()
        .map(|p| p.as_str().to_owned())
        .unwrap_or_default();
    let mut shortlist_view = vec![];
    let mut bridging = vec![];
    let mut steps = vec![];
    let mut top_dots = vec![];
    let mut left = session.dots_per_participant;
    let mut my_group = None;
    if phase == "stemmen" || phase == "afronden" {
        my_group = my_group_text(state, &c, room, me);
    }
    if phase == "prioriteren" {
        let mine: BTreeMap<i64, u32> = match view.dots {
            Some(d) => d,
            None => state
                .store
                .sessie()
                .participant_dots(session.scope, me)
                .await?
                .into_iter()
                .map(|(id, n)| (id, u32::try_from(n).unwrap_or(0)))
                .collect(),
        };
        left = dots_left(&mine, session.dots_per_participant);
        shortlist_view = shortlist_of(room)
            .into_iter()
            .map(|(id, text)| DotChoice {
                id: id.0,
                text,
                dots: mine.get(&id.0).copied().unwrap_or(0),
            })
            .collect();
    }
    if phase == "afronden" {
        let snap = room.snapshot();
        let texts: BTreeMap<i64, String> = room
            .with_state(|s| {
                s.statements
                    .iter()
                    .map(|st| (st.id.0, st.text.clone()))
                    .collect()
            })
            .unwrap_or_default();
        if let Some(a) = &snap.analysis {
            bridging = a
                .bridging
                .iter()
                .take(5)
                .filter_map(|b| texts.get(&(b.statement as i64)).cloned())
                .collect();
        }
        steps = state.store.sessie().next_steps(session.scope).await?;
        let totals = dot_totals(live(state)?.dot_totals(room).await?.iter().copied());
        top_dots = top_by_dots(&totals, 5)
            .into_iter()
            .filter_map(|(st, n)| {
                texts.get(&st.0).map(|t| {
                    let count =
                        c.tr.t_with("participant-dots-count", &[("n", FluentValue::from(n))]);
                    (t.clone(), count)
                })
            })
            .collect();
    }
    let (next_id, next_text) = next.unwrap_or((0, String::new()));
    let status = if view.errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let count = |key: &str, n: FluentValue<'static>| c.tr.t_with(key, &[("n", n)]);
    let counter = CounterWords {
        left_one: count("participant-chars-left", FluentValue::from(1)),
        left_other: count("participant-chars-left", FluentValue::from("#")),
        over_one: count("participant-chars-over", FluentValue::from(1)),
        over_other: count("participant-chars-over", FluentValue::from("#")),
    };
    let dots_left_words = (0..=session.dots_per_participant.min(100))
        .map(|n| dots_left_text(&c.tr, n))
        .collect::<Vec<_>>()
        .join("|");
    let mut res = render(
        status,
        &ParticipantTpl {
            code: session.join_code.clone(),
            title: session.title.clone(),
            phase: phase.clone(),
            max_chars: session.max_statement_chars,
            counter,
            own,
            errors: view.errors,
            draft: view.draft,
            draft_sent,
            next_id,
            next_text,
            voted,
            total,
            budget: session.dots_per_participant,
            shortlist: shortlist_view,
            dots_left: dots_left_text(&c.tr, left),
            dots_left_words,
            my_group,
            bridging,
            steps,
            top_dots,
            countdown: crate::room::participant_countdown(state, &c, room),
            c,
        },
    );
    // The card shown now stays the card until it is answered (core's
    // `next_card`), also after "mijn stemmen" or a reload.
    if phase == "stemmen" && next_id != 0 && kept.map(|k| k.0) != Some(next_id) {
        if let Some(v) = session_cookie(
            state,
            &session.join_code,
            &card_cookie(room),
            &next_id.to_string(),
            30 * 86_400,
        ) {
            res.headers_mut().append(header::SET_COOKIE, v);
        }
    }
    Ok(res)
}

/// The participant, or where to send someone whose token is missing or not valid.
async fn me_or_join(
    state: &AppState,
    ctx: &RequestCtx,
    room: &Room,
    headers: &HeaderMap,
) -> Result<ParticipantId, Response> {
    match current_participant(state, room, headers).await {
        Ok(Some(p)) => Ok(p),
        Ok(None) => {
            let code = room
                .with_state(|s| s.session.join_code.clone())
                .unwrap_or_default();
            Err(if ctx.path.ends_with("/nu") || ctx.path.contains("/nu?") {
                redirect(&format!("/s/{code}"))
            } else {
                participant_error(
                    state,
                    ctx,
                    StatusCode::FORBIDDEN,
                    "participant-unknown-title",
                    "participant-unknown",
                    Back::Join(&code),
                )
            })
        }
        Err(e) => Err(e.into_response()),
    }
}

/// The room of the code in the URL and the participant behind this browser's token,
/// or the page to show instead (unknown code, not joined, token not recognised).
async fn participant_in(
    state: &AppState,
    ctx: &RequestCtx,
    headers: &HeaderMap,
    code: &str,
) -> Result<(Arc<Room>, ParticipantId), Response> {
    let room = room_for(state, ctx, code).await?;
    let me = me_or_join(state, ctx, &room, headers).await?;
    Ok((room, me))
}

pub async fn now_page(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    headers: HeaderMap,
    Path(code): Path<String>,
) -> AppResult<Response> {
    let (room, me) = match participant_in(&state, &ctx, &headers, &code).await {
        Ok(x) => x,
        Err(page) => return Ok(page),
    };
    let flash = koers_web::ctx::cookie(&headers, &flash_cookie(&room))
        .filter(|f| FLASHES.contains(&f.as_str()));
    let had_flash = flash.is_some();
    let mut res = participant_page(
        &state,
        &ctx,
        &headers,
        &room,
        me,
        View {
            flash,
            ..View::default()
        },
    )
    .await?;
    if had_flash {
        // Shown once: the next page of this session (a reload, the next phase)
        // has no confirmation left to show.
        let code = room
            .with_state(|s| s.session.join_code.clone())
            .unwrap_or_default();
        if let Some(v) = session_cookie(&state, &code, &flash_cookie(&room), "", 0) {
            res.headers_mut().append(header::SET_COOKIE, v);
        }
    }
    Ok(res)
}

fn phase_closed(state: &AppState, ctx: &RequestCtx, code: &str) -> Response {
    participant_error(
        state,
        ctx,
        StatusCode::CONFLICT,
        "phase-closed-title",
        "phase-closed",
        Back::Session(code),
    )
}

#[derive(Deserialize)]
pub struct StatementForm {
    #[serde(default)]
    pub text: String,
}

/// A statement that came too late: nothing stored, and the text on the page so
/// that what was typed is not lost.
#[derive(Template)]
#[template(path = "statement_late.html")]
pub struct StatementLateTpl {
    pub c: Page,
    pub code: String,
    pub text: String,
}

pub async fn submit_statement(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    headers: HeaderMap,
    Path(code): Path<String>,
    Form(f): Form<StatementForm>,
) -> AppResult<Response> {
    let (room, me) = match participant_in(&state, &ctx, &headers, &code).await {
        Ok(x) => x,
        Err(page) => return Ok(page),
    };
    let (session, closed_at) = room
        .with_state(|s| (s.session.clone(), s.inbreng_closed_at))
        .ok_or(AppError::BadRequest)?;
    let code = session.join_code.clone();
    match accepts_statement(&session.phases, session.read_only, closed_at, state.now()) {
        Ok(()) => {}
        Err(SessieError::ReadOnly) => return Ok(phase_closed(&state, &ctx, &code)),
        // Inbreng never opened: no statement form was ever shown to type in.
        Err(_) if session.phases.state(Phase::Inbreng) == PhaseState::NotStarted => {
            return Ok(phase_closed(&state, &ctx, &code))
        }
        Err(_) => {
            let c = participant_page_base(&state, &ctx, "statement-late-title");
            return Ok(render(
                StatusCode::CONFLICT,
                &StatementLateTpl {
                    c,
                    code,
                    text: f.text,
                },
            ));
        }
    }
    let text = match StatementText::parse(&f.text, session.max_statement_chars as usize) {
        Ok(t) => t,
        Err(e) => {
            let tr = ctx.tr();
            let mut errors = FormErrors::default();
            if e.key == "error-statement-long" {
                // "Too long" alone makes people guess how much to cut: give both numbers.
                // The count is the one the rule uses (whitespace runs count as one).
                let length = StatementText::counted_chars(&f.text);
                errors.items.push((
                    e.field.to_owned(),
                    tr.t_with(
                        "error-statement-long-count",
                        &[
                            ("length", FluentValue::from(length)),
                            ("max", FluentValue::from(session.max_statement_chars)),
                        ],
                    ),
                ));
            } else {
                errors = FormErrors::from_fields(&tr, &[e]);
            }
            return participant_page(
                &state,
                &ctx,
                &headers,
                &room,
                me,
                View {
                    errors,
                    draft: f.text,
                    ..View::default()
                },
            )
            .await;
        }
    };
    // A double submit (second tap, resent form) must not make a second statement.
    if state
        .store
        .sessie()
        .statement_exists(session.scope, me, text.as_str())
        .await?
    {
        return Ok(redirect_with_flash(
            &state,
            &room,
            &code,
            "statement-received",
        ));
    }
    // Only statements that would be stored count, so a resent form does not.
    if !sessie_state(&state)?
        .statement_limiter
        .allow_key(me, state.now())
    {
        return Ok(participant_error(
            &state,
            &ctx,
            StatusCode::TOO_MANY_REQUESTS,
            "statements-too-fast-title",
            "statements-too-fast",
            Back::Session(&code),
        ));
    }
    let status = match session.moderation {
        ModerationMode::Pre => StatementStatus::Pending,
        ModerationMode::Post => StatementStatus::Accepted,
    };
    state
        .store
        .sessie()
        .add_statement(
            &session,
            NewStatement {
                participant_id: Some(me),
                is_seed: false,
                text: text.as_str(),
                status,
                profanity_hint: profanity_hint(text.as_str()),
                now: state.now(),
                external_id: None,
            },
        )
        .await?;
    live(&state)?.changed(&room, "statements").await?;
    Ok(redirect_with_flash(
        &state,
        &room,
        &code,
        "statement-received",
    ))
}

#[derive(Deserialize)]
pub struct VoteForm {
    #[serde(default)]
    pub statement: String,
    #[serde(default)]
    pub vote: String,
    /// Where to go after voting (the vote list, when changing a vote).
    #[serde(default)]
    pub back: String,
}

pub async fn vote(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    headers: HeaderMap,
    Path(code): Path<String>,
    Form(f): Form<VoteForm>,
) -> AppResult<Response> {
    let (room, me) = match participant_in(&state, &ctx, &headers, &code).await {
        Ok(x) => x,
        Err(page) => return Ok(page),
    };
    let (Ok(statement), Some(choice)) = (
        f.statement.parse::<StatementId>(),
        VoteChoice::parse(&f.vote),
    ) else {
        return Err(AppError::BadRequest);
    };
    let code = room
        .with_state(|s| s.session.join_code.clone())
        .unwrap_or_default();
    match live(&state)?
        .vote(&room, me, statement, choice, state.now())
        .await
    {
        Ok(()) => {
            let back = if f.back.is_empty() {
                format!("/s/{code}/nu")
            } else {
                safe_return_path(&f.back).to_owned()
            };
            Ok(redirect(&back))
        }
        Err(VoteError::PhaseNotOpen) | Err(VoteError::ReadOnly) => {
            Ok(phase_closed(&state, &ctx, &code))
        }
        Err(VoteError::UnknownStatement) => Ok(participant_error(
            &state,
            &ctx,
            StatusCode::NOT_FOUND,
            "statement-unknown-title",
            "statement-unknown",
            Back::Session(&code),
        )),
        Err(VoteError::Busy) => {
            let text = room
                .with_state(|s| {
                    s.accepted()
                        .find(|st| st.id == statement)
                        .map(|st| st.text.clone())
                })
                .flatten()
                .unwrap_or_default();
            let c = participant_page_base(&state, &ctx, "vote-busy-title");
            let choice_label = c.t(match choice {
                VoteChoice::Agree => "vote-agree",
                VoteChoice::Disagree => "vote-disagree",
                VoteChoice::Pass => "vote-pass",
            });
            let mut page = render(
                StatusCode::SERVICE_UNAVAILABLE,
                &VoteRetryTpl {
                    c,
                    code,
                    statement: statement.0,
                    statement_text: text,
                    vote: match choice {
                        VoteChoice::Agree => "agree",
                        VoteChoice::Disagree => "disagree",
                        VoteChoice::Pass => "pass",
                    },
                    choice_label,
                    back: if f.back.is_empty() {
                        String::new()
                    } else {
                        safe_return_path(&f.back).to_owned()
                    },
                    retry_secs: koers_web::error::BUSY_RETRY_SECS,
                },
            );
            page.headers_mut().insert(
                header::RETRY_AFTER,
                header::HeaderValue::from_static(koers_web::error::BUSY_RETRY_SECS),
            );
            Ok(page)
        }
        Err(VoteError::StorageFull) => Err(AppError::StorageFull),
        Err(VoteError::Store(e)) => Err(AppError::Internal(anyhow::anyhow!("vote: {e}"))),
    }
}

/// The page a vote gets when the queue is full: the same choice, ready to be
/// sent again (by itself after `Retry-After`, or with the button).
#[derive(Template)]
#[template(path = "vote_retry.html")]
pub struct VoteRetryTpl {
    pub c: Page,
    pub code: String,
    pub statement: i64,
    pub statement_text: String,
    pub vote: &'static str,
    pub choice_label: String,
    pub back: String,
    pub retry_secs: &'static str,
}

pub struct MyVote {
    pub id: i64,
    pub text: String,
    pub vote: String,
}

#[derive(Template)]
#[template(path = "my_votes.html")]
pub struct MyVotesTpl {
    pub c: Page,
    pub code: String,
    pub votes: Vec<MyVote>,
    pub can_change: bool,
}

pub async fn my_votes(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    headers: HeaderMap,
    Path(code): Path<String>,
) -> AppResult<Response> {
    let (room, me) = match participant_in(&state, &ctx, &headers, &code).await {
        Ok(x) => x,
        Err(page) => return Ok(page),
    };
    let c = participant_page_base(&state, &ctx, "my-votes-title");
    let (code, votes, can_change) = room
        .with_state(|s| {
            let votes = s
                .accepted()
                .filter_map(|st| {
                    s.vote_of(me, st.id).map(|v| MyVote {
                        id: st.id.0,
                        text: st.text.clone(),
                        vote: match v {
                            VoteChoice::Agree => "agree",
                            VoteChoice::Disagree => "disagree",
                            VoteChoice::Pass => "pass",
                        }
                        .to_owned(),
                    })
                })
                .collect::<Vec<_>>();
            (
                s.session.join_code.clone(),
                votes,
                s.session
                    .phases
                    .accepts_input(Phase::Stemmen, s.session.read_only)
                    .is_ok(),
            )
        })
        .ok_or(AppError::BadRequest)?;
    Ok(render(
        StatusCode::OK,
        &MyVotesTpl {
            c,
            code,
            votes,
            can_change,
        },
    ))
}

/// The dots form: a number per statement (`dots_{id}`), and optionally the
/// +/− button that was pressed (`stap` = `plus_{id}` or `min_{id}`). A step is
/// applied to the numbers on the page and stored at once, so that a participant
/// without JavaScript loses nothing by leaving after a tap; "opslaan" stores the
/// numbers as typed.
pub async fn submit_dots(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    headers: HeaderMap,
    Path(code): Path<String>,
    Form(f): Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    let (room, me) = match participant_in(&state, &ctx, &headers, &code).await {
        Ok(x) => x,
        Err(page) => return Ok(page),
    };
    let session = room
        .with_state(|s| s.session.clone())
        .ok_or(AppError::BadRequest)?;
    let code = session.join_code.clone();
    if session
        .phases
        .accepts_input(Phase::Prioriteren, session.read_only)
        .is_err()
    {
        return Ok(phase_closed(&state, &ctx, &code));
    }
    let refuse = |key: &'static str, dots: Option<BTreeMap<i64, u32>>| {
        let tr = ctx.tr();
        let errors = FormErrors::from_fields(&tr, &[FieldError::new("dots", key)]);
        let (state, ctx, headers, room) = (&state, &ctx, &headers, &room);
        async move {
            participant_page(
                state,
                ctx,
                headers,
                room,
                me,
                View {
                    errors,
                    dots,
                    ..View::default()
                },
            )
            .await
        }
    };
    let mut allocation: BTreeMap<i64, i64> = BTreeMap::new();
    let mut step = None;
    for (k, v) in &f {
        if let Some(id) = k.strip_prefix("dots_") {
            let (Ok(id), Ok(n)) = (id.parse::<i64>(), v.trim().parse::<i64>()) else {
                return refuse("error-dots-number", None).await;
            };
            allocation.insert(id, n);
        } else if k == "stap" {
            let parsed = match v.split_once('_') {
                Some(("plus", id)) => id.parse::<i64>().ok().map(|id| (id, true)),
                Some(("min", id)) => id.parse::<i64>().ok().map(|id| (id, false)),
                _ => None,
            };
            let Some(parsed) = parsed else {
                return Err(AppError::BadRequest);
            };
            step = Some(parsed);
        }
    }
    let Ok(mut allocation) = check_dots(&allocation, session.dots_per_participant) else {
        return refuse("error-dots-budget", None).await;
    };
    if let Some((id, up)) = step {
        allocation = match step_dots(&allocation, id, up, session.dots_per_participant) {
            Ok(a) => a,
            Err(SessieError::NoDotToTake) => {
                return refuse("error-dots-none-to-take", Some(allocation)).await
            }
            Err(_) => return refuse("error-dots-none-left", Some(allocation)).await,
        };
    }
    // Dots go only to the ballot the page offers; a crafted form naming another
    // statement is refused whole, and nothing is stored.
    let ballot: BTreeSet<i64> = shortlist_of(&room).iter().map(|(id, _)| id.0).collect();
    if allocation
        .iter()
        .any(|(id, n)| *n > 0 && !ballot.contains(id))
    {
        return refuse("error-dots-not-on-ballot", None).await;
    }
    match state
        .store
        .sessie()
        .set_dots(&session, me, &allocation)
        .await
    {
        Ok(()) => {}
        Err(koers_store::StoreError::NotFound) => {
            return Ok(participant_error(
                &state,
                &ctx,
                StatusCode::NOT_FOUND,
                "statement-unknown-title",
                "statement-unknown",
                Back::Session(&code),
            ))
        }
        Err(e) => return Err(e.into()),
    }
    crate::room::results_changed(&state, &room).await;
    match step {
        // Back to the row of the button, with the new count; no "saved" banner
        // on every tap (the count says it).
        Some((id, _)) => Ok(redirect(&format!("/s/{code}/nu#dot-{id}"))),
        None => Ok(redirect_with_flash(&state, &room, &code, "dots-saved")),
    }
}

pub async fn events(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    headers: HeaderMap,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    Path(code): Path<String>,
) -> AppResult<Response> {
    let permit = crate::console::stream_permit(&state, peer, &headers)?;
    let room = match room_for(&state, &ctx, &code).await {
        Ok(r) => r,
        Err(page) => return Ok(page),
    };
    Ok(crate::console::room_events(&state, room, false, permit).into_response())
}
