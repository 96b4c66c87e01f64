//! The facilitator's side of live sessions: create, steer the phases, moderate,
//! show the join code, the projector view, results and exports. Every handler goes
//! through `org::access` (facilitator or higher) and loads the session within that
//! organisation, so another organisation's session ids answer 404.

use crate::live::{live, LiveEvent, Room, Snapshot};
use askama::Template;
use axum::extract::State;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use koers_core::anonymity::AnonymityRule;
use koers_core::sessie::{
    compare_results, dot_totals, join_is_open, join_open_until, parse_description,
    parse_perspectives, parse_seeds, profanity_hint, DotBudget, JoinCode, MaxStatementChars,
    ModerationMode, NextStepDraft, Phase, PhaseAction, PhaseState, Phases, SessieError,
    SessionTitle, StatementText, Tallies, Tally, DEFAULT_PERSPECTIVES,
};
use koers_core::{FieldError, LiveSessionId, NextStepId, Role, StatementId};
use koers_store::{LiveSession, NewLiveSession, NewStatement, StatementStatus, StoreError};
use koers_web::ctx::Path;
use koers_web::ctx::{Ctx, Form, RequestCtx};
use koers_web::error::{AppError, AppResult};
use koers_web::part::OrgAccess;
use koers_web::templates::{render, FormErrors, Page};
use koers_web::{audit, redirect, AppState};
use serde::Deserialize;
use std::collections::HashMap;
use std::sync::Arc;

/// A session of the organisation the access check admitted; another
/// organisation's session id answers 404.
pub(crate) async fn session_of(
    state: &AppState,
    a: &OrgAccess,
    id: i64,
) -> AppResult<(OrgAccess, LiveSession)> {
    let s = state
        .store
        .sessie()
        .live_session(&a.scope, LiveSessionId(id))
        .await?;
    Ok((a.clone(), s))
}

pub struct SessionRow {
    pub id: i64,
    pub title: String,
    pub code: String,
    pub phase: String,
    pub created: String,
    pub read_only: bool,
}

#[derive(Template)]
#[template(path = "sessions.html")]
pub struct SessionsTpl {
    pub c: Page,
    pub org_id: i64,
    pub org_name: String,
    pub sessions: Vec<SessionRow>,
}

pub(crate) fn phase_label(c: &Page, s: &LiveSession) -> String {
    match s.phases.current() {
        Some(p) => c.t(&format!("phase-{}", p.as_str())),
        None if s.read_only => c.t("session-read-only"),
        // The last phase closed: the session is over, not merely between phases.
        None if s.phases.state(Phase::Afronden) == PhaseState::Closed => c.t("session-finished"),
        None => c.t("phase-none-open"),
    }
}

/// The state a phase is shown in. Opening the next phase pauses the one
/// before it; once a later phase has started, that earlier phase has ended
/// for the room, so it reads "closed" (it can still be opened again).
pub(crate) fn shown_state(phases: &Phases, phase: Phase) -> PhaseState {
    let st = phases.state(phase);
    let later_started = Phase::ALL
        .iter()
        .filter(|q| **q > phase)
        .any(|q| phases.state(*q) != PhaseState::NotStarted);
    if st == PhaseState::Paused && later_started {
        PhaseState::Closed
    } else {
        st
    }
}

pub async fn list(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    a: OrgAccess,
) -> AppResult<Response> {
    let c = Page::new(&state, &ctx, "sessions-title");
    let sessions = state
        .store
        .sessie()
        .live_sessions(&a.scope)
        .await?
        .into_iter()
        .map(|s| SessionRow {
            id: s.id.0,
            phase: phase_label(&c, &s),
            title: s.title,
            code: s.join_code,
            created: c.tr.date(s.created_at),
            read_only: s.read_only,
        })
        .collect();
    Ok(render(
        StatusCode::OK,
        &SessionsTpl {
            c,
            org_id: a.org.id.0,
            org_name: a.org.name,
            sessions,
        },
    ))
}

#[derive(Template)]
#[template(path = "session_new.html")]
pub struct NewSessionTpl {
    pub c: Page,
    pub org_id: i64,
    pub errors: FormErrors,
    pub f: NewSessionForm,
}

#[derive(Deserialize, Clone)]
pub struct NewSessionForm {
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub perspectives: String,
    #[serde(default)]
    pub seeds: String,
    #[serde(default)]
    pub moderation: String,
    #[serde(default)]
    pub max_chars: String,
    #[serde(default)]
    pub dots: String,
}

impl Default for NewSessionForm {
    fn default() -> Self {
        Self {
            title: String::new(),
            description: String::new(),
            perspectives: DEFAULT_PERSPECTIVES.join("\n"),
            seeds: String::new(),
            moderation: "post".into(),
            max_chars: StatementText::DEFAULT_MAX_CHARS.to_string(),
            dots: "5".into(),
        }
    }
}

pub async fn new_form(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    a: OrgAccess,
) -> AppResult<Response> {
    let c = Page::new(&state, &ctx, "session-new-title");
    Ok(render(
        StatusCode::OK,
        &NewSessionTpl {
            c,
            org_id: a.org.id.0,
            errors: FormErrors::default(),
            f: NewSessionForm::default(),
        },
    ))
}

pub async fn create(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    a: OrgAccess,
    Form(f): Form<NewSessionForm>,
) -> AppResult<Response> {
    let tr = ctx.tr();
    let mut errs = vec![];
    let title = SessionTitle::parse(&f.title).map_err(|e| errs.push(e)).ok();
    let description = parse_description(&f.description)
        .map_err(|e| errs.push(e))
        .ok();
    let perspectives = parse_perspectives(&f.perspectives)
        .map_err(|e| errs.push(e))
        .ok();
    let moderation = ModerationMode::parse(&f.moderation)
        .map_err(|e| errs.push(e))
        .ok();
    let max_chars = MaxStatementChars::parse(&f.max_chars)
        .map_err(|e| errs.push(e))
        .ok();
    let dots = DotBudget::parse(&f.dots).map_err(|e| errs.push(e)).ok();
    // Seeds are checked against the length limit, so only once that is known.
    let seeds = match max_chars.map(|max| parse_seeds(&f.seeds, max)) {
        Some(Ok(seeds)) => seeds,
        Some(Err(e)) => {
            errs.extend(e);
            vec![]
        }
        None => vec![],
    };
    let (
        Some(title),
        Some(description),
        Some(perspectives),
        Some(moderation),
        Some(max_chars),
        Some(dots),
        true,
    ) = (
        title,
        description,
        perspectives,
        moderation,
        max_chars,
        dots,
        errs.is_empty(),
    )
    else {
        let c = Page::new(&state, &ctx, "session-new-title");
        return Ok(render(
            StatusCode::UNPROCESSABLE_ENTITY,
            &NewSessionTpl {
                c,
                org_id: a.org.id.0,
                errors: FormErrors::from_fields(&tr, &errs),
                f,
            },
        ));
    };
    let now = state.now();
    let perspectives: Vec<String> = perspectives.iter().map(|p| p.as_str().to_owned()).collect();
    // A fresh code; on the rare clash with an existing one, draw again.
    let mut session = None;
    for _ in 0..5 {
        let mut bytes = [0u8; JoinCode::LEN];
        rand::RngCore::fill_bytes(&mut rand::rngs::OsRng, &mut bytes);
        let code = JoinCode::from_random(bytes);
        match state
            .store
            .sessie()
            .create_live_session(
                &a.scope,
                NewLiveSession {
                    title: title.as_str(),
                    description: &description,
                    join_code: code.as_str(),
                    join_open_until: join_open_until(now),
                    moderation,
                    max_statement_chars: max_chars.get(),
                    dots_per_participant: dots.get(),
                    perspectives: &perspectives,
                    read_only: false,
                    attribution: "",
                    created_by: Some(a.user.id),
                    now,
                },
            )
            .await
        {
            Ok(s) => {
                session = Some(s);
                break;
            }
            Err(StoreError::Conflict(_)) => continue,
            Err(e) => return Err(e.into()),
        }
    }
    let session =
        session.ok_or_else(|| AppError::Internal(anyhow::anyhow!("no free join code")))?;
    for seed in &seeds {
        state
            .store
            .sessie()
            .add_statement(
                &session,
                NewStatement {
                    participant_id: None,
                    is_seed: true,
                    text: seed.as_str(),
                    status: StatementStatus::Accepted,
                    profanity_hint: false,
                    now,
                    external_id: None,
                },
            )
            .await?;
    }
    audit(
        &state,
        Some(a.org.id),
        a.user.id,
        "session.created",
        &session.title,
    )
    .await?;
    Ok(redirect(&format!(
        "/organisaties/{}/sessies/{}",
        a.org.id, session.id
    )))
}

pub struct PhaseView {
    pub phase: String,
    pub label: String,
    pub state: String,
    pub actions: Vec<(String, String)>,
    pub open: bool,
}

pub struct StatementView {
    pub id: i64,
    pub text: String,
    pub hint: bool,
    pub seed: bool,
    pub agree: u32,
    pub disagree: u32,
    pub pass: u32,
}

#[derive(Template)]
#[template(path = "session_console.html")]
pub struct ConsoleTpl {
    pub c: Page,
    pub org_id: i64,
    pub id: i64,
    pub title: String,
    pub description: String,
    pub code: String,
    pub join_url: String,
    pub join_open: bool,
    pub join_until: String,
    pub moderation: String,
    pub read_only: bool,
    pub attribution: String,
    pub phases: Vec<PhaseView>,
    pub pending: Vec<StatementView>,
    pub accepted: Vec<StatementView>,
    pub rejected: Vec<StatementView>,
    pub participants: usize,
    pub votes: usize,
    pub errors: FormErrors,
    pub steps: Vec<koers_store::NextStep>,
    pub share: crate::share::ShareView,
}

/// The address participants type or scan: the configured public URL, else the host
/// this page was asked for.
pub(crate) fn join_url(state: &AppState, headers: &HeaderMap, code: &str) -> String {
    format!("{}/s/{code}", state.base_url(headers))
}

/// The room's current votes, counted per statement by the core's one tally (kept
/// up to date vote by vote, not counted again here).
fn tally(room: &Room) -> Tallies {
    room.with_state(|s| s.tally().clone()).unwrap_or_default()
}

async fn console_page(
    state: &AppState,
    ctx: &RequestCtx,
    a: &OrgAccess,
    headers: &HeaderMap,
    _org: i64,
    id: i64,
    errors: FormErrors,
) -> AppResult<Response> {
    let (a, session) = session_of(state, a, id).await?;
    let room = live(state)?.room(session.scope).await?;
    let (session, statements, participants, votes) = room
        .with_state(|s| {
            (
                s.session.clone(),
                s.statements.clone(),
                s.participants.len(),
                s.total_votes(),
            )
        })
        .ok_or(AppError::BadRequest)?;
    let c = Page::new(state, ctx, "session-console-title").with_title(session.title.clone());
    let counts = tally(&room);
    let view = |s: &koers_store::SessionStatement| {
        let t = counts.statement(s.id);
        StatementView {
            id: s.id.0,
            text: s.text.clone(),
            hint: s.profanity_hint,
            seed: s.is_seed,
            agree: t.agree,
            disagree: t.disagree,
            pass: t.pass,
        }
    };
    let phases = Phase::ALL
        .iter()
        .map(|p| {
            let st = shown_state(&session.phases, *p);
            PhaseView {
                phase: p.as_str().into(),
                label: c.t(&format!("phase-{}", p.as_str())),
                state: c.t(&format!("phase-state-{}", st.as_str().replace('_', "-"))),
                // The same list `Phases::change` checks against, so no button is
                // shown for a change that would be refused.
                actions: session
                    .phases
                    .allowed_actions(*p)
                    .iter()
                    .map(|a| {
                        let a = a.as_str();
                        (a.to_owned(), c.t(&format!("phase-action-{a}")))
                    })
                    .collect(),
                open: st == PhaseState::Open,
            }
        })
        .collect();
    let now = state.now();
    let tpl = ConsoleTpl {
        org_id: a.org.id.0,
        id,
        title: session.title.clone(),
        description: session.description.clone(),
        join_url: join_url(state, headers, &session.join_code),
        code: session.join_code.clone(),
        join_open: join_is_open(session.join_open_until, now),
        join_until: c.tr.date_time(session.join_open_until),
        moderation: c.t(&format!("moderation-{}", session.moderation.as_str())),
        read_only: session.read_only,
        attribution: session.attribution.clone(),
        phases,
        pending: statements
            .iter()
            .filter(|s| s.status == StatementStatus::Pending)
            .map(view)
            .collect(),
        accepted: statements
            .iter()
            .filter(|s| s.status == StatementStatus::Accepted)
            .map(view)
            .collect(),
        rejected: statements
            .iter()
            .filter(|s| s.status == StatementStatus::Rejected)
            .map(view)
            .collect(),
        participants,
        votes,
        steps: state.store.sessie().next_steps(session.scope).await?,
        share: crate::share::share_view(state, &c, session.scope).await?,
        errors,
        c,
    };
    let status = if tpl.errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    Ok(render(status, &tpl))
}

/// The console again, with one form's error shown next to its field.
pub(crate) async fn console_with_error(
    state: &AppState,
    ctx: &RequestCtx,
    a: &OrgAccess,
    headers: &HeaderMap,
    org: i64,
    id: i64,
    error: FieldError,
) -> AppResult<Response> {
    let errors = FormErrors::from_fields(&ctx.tr(), &[error]);
    console_page(state, ctx, a, headers, org, id, errors).await
}

pub async fn console(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    a: OrgAccess,
    headers: HeaderMap,
    Path((org, id)): Path<(i64, i64)>,
) -> AppResult<Response> {
    console_page(&state, &ctx, &a, &headers, org, id, FormErrors::default()).await
}

#[derive(Deserialize)]
pub struct PhaseForm {
    #[serde(default)]
    pub phase: String,
    #[serde(default)]
    pub action: String,
}

pub async fn change_phase(
    State(state): State<AppState>,
    Ctx(_ctx): Ctx,
    a: OrgAccess,
    Path((org, id)): Path<(i64, i64)>,
    Form(f): Form<PhaseForm>,
) -> AppResult<Response> {
    let (a, session) = session_of(&state, &a, id).await?;
    // Read-only is refused before the form is even read, as `Phases::change`
    // ranks it first too.
    if session.read_only {
        return Err(AppError::Forbidden);
    }
    let (Some(phase), Some(action)) = (Phase::parse(&f.phase), PhaseAction::parse(&f.action))
    else {
        return Err(AppError::BadRequest);
    };
    let next = match session.phases.change(phase, action, session.read_only) {
        Ok(next) => next,
        Err(SessieError::ReadOnly) => return Err(AppError::Forbidden),
        // A stale page (someone else already changed it): show the current state.
        Err(_) => return Ok(redirect(&format!("/organisaties/{org}/sessies/{id}"))),
    };
    state
        .store
        .sessie()
        .set_phases(session.scope, next, state.now())
        .await?;
    let room = live(&state)?.room(session.scope).await?;
    live(&state)?.changed(&room, "phase").await?;
    audit(
        &state,
        Some(a.org.id),
        a.user.id,
        "session.phase",
        &format!("{}: {} {}", session.title, f.phase, f.action),
    )
    .await?;
    Ok(redirect(&format!("/organisaties/{org}/sessies/{id}#fasen")))
}

#[derive(Deserialize)]
pub struct SeedForm {
    #[serde(default)]
    pub text: String,
}

pub async fn add_seed(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    a: OrgAccess,
    headers: HeaderMap,
    Path((org, id)): Path<(i64, i64)>,
    Form(f): Form<SeedForm>,
) -> AppResult<Response> {
    let (_, session) = session_of(&state, &a, id).await?;
    if session.read_only {
        return Err(AppError::Forbidden);
    }
    let text = match StatementText::parse(&f.text, session.max_statement_chars as usize) {
        Ok(t) => t,
        Err(e) => {
            return console_with_error(&state, &ctx, &a, &headers, org, id, e).await;
        }
    };
    state
        .store
        .sessie()
        .add_statement(
            &session,
            NewStatement {
                participant_id: None,
                is_seed: true,
                text: text.as_str(),
                status: StatementStatus::Accepted,
                profanity_hint: profanity_hint(text.as_str()),
                now: state.now(),
                external_id: None,
            },
        )
        .await?;
    let room = live(&state)?.room(session.scope).await?;
    live(&state)?.changed(&room, "statements").await?;
    Ok(redirect(&format!(
        "/organisaties/{org}/sessies/{id}#stellingen"
    )))
}

#[derive(Deserialize)]
pub struct ModerationForm {
    #[serde(default)]
    pub status: String,
}

pub async fn moderate(
    State(state): State<AppState>,
    Ctx(_ctx): Ctx,
    a: OrgAccess,
    Path((org, id, statement)): Path<(i64, i64, StatementId)>,
    Form(f): Form<ModerationForm>,
) -> AppResult<Response> {
    let (_a, session) = session_of(&state, &a, id).await?;
    if session.read_only {
        return Err(AppError::Forbidden);
    }
    let status = match f.status.as_str() {
        "accepted" => StatementStatus::Accepted,
        "rejected" => StatementStatus::Rejected,
        _ => return Err(AppError::BadRequest),
    };
    state
        .store
        .sessie()
        .moderate_statement(session.scope, statement, status)
        .await?;
    let room = live(&state)?.room(session.scope).await?;
    live(&state)?.changed(&room, "statements").await?;
    Ok(redirect(&format!(
        "/organisaties/{org}/sessies/{id}#moderatie"
    )))
}

#[derive(Deserialize)]
pub struct JoinWindowForm {
    #[serde(default)]
    pub action: String,
}

pub async fn join_window(
    State(state): State<AppState>,
    Ctx(_ctx): Ctx,
    a: OrgAccess,
    Path((org, id)): Path<(i64, i64)>,
    Form(f): Form<JoinWindowForm>,
) -> AppResult<Response> {
    let (_a, session) = session_of(&state, &a, id).await?;
    let now = state.now();
    let until = match f.action.as_str() {
        "extend" => join_open_until(now),
        "close" => now,
        _ => return Err(AppError::BadRequest),
    };
    state
        .store
        .sessie()
        .set_join_open_until(session.scope, until)
        .await?;
    let room = live(&state)?.room(session.scope).await?;
    live(&state)?.changed(&room, "session").await?;
    Ok(redirect(&format!("/organisaties/{org}/sessies/{id}")))
}

#[derive(Deserialize)]
pub struct StepForm {
    #[serde(default, rename = "step_text")]
    pub text: String,
    #[serde(default)]
    pub owner: String,
}

pub async fn add_step(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    a: OrgAccess,
    headers: HeaderMap,
    Path((org, id)): Path<(i64, i64)>,
    Form(f): Form<StepForm>,
) -> AppResult<Response> {
    let (_, session) = session_of(&state, &a, id).await?;
    let step = match NextStepDraft::parse(&f.text, &f.owner) {
        Ok(x) => x,
        Err(e) => {
            return console_with_error(&state, &ctx, &a, &headers, org, id, e).await;
        }
    };
    state
        .store
        .sessie()
        .add_next_step(&session, step.text(), step.owner(), state.now())
        .await?;
    Ok(redirect(&format!(
        "/organisaties/{org}/sessies/{id}#afspraken"
    )))
}

pub async fn edit_step(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    a: OrgAccess,
    headers: HeaderMap,
    Path((org, id, step)): Path<(i64, i64, NextStepId)>,
    Form(f): Form<StepForm>,
) -> AppResult<Response> {
    let (a, session) = session_of(&state, &a, id).await?;
    let draft = match NextStepDraft::parse(&f.text, &f.owner) {
        Ok(x) => x,
        Err(e) => {
            return console_with_error(&state, &ctx, &a, &headers, org, id, e).await;
        }
    };
    state
        .store
        .sessie()
        .update_next_step(session.scope, step.0, draft.text(), draft.owner())
        .await?;
    Ok(redirect(&format!(
        "/organisaties/{org}/sessies/{id}#afspraken"
    )))
}

pub async fn delete_step(
    State(state): State<AppState>,
    Ctx(_ctx): Ctx,
    a: OrgAccess,
    Path((org, id, step)): Path<(i64, i64, NextStepId)>,
    Form(_): Form<koers_web::Empty>,
) -> AppResult<Response> {
    let (_a, session) = session_of(&state, &a, id).await?;
    state
        .store
        .sessie()
        .delete_next_step(session.scope, step.0)
        .await?;
    Ok(redirect(&format!(
        "/organisaties/{org}/sessies/{id}#afspraken"
    )))
}

pub async fn qr_svg(
    State(state): State<AppState>,
    Ctx(_ctx): Ctx,
    a: OrgAccess,
    headers: HeaderMap,
    Path((_org, id)): Path<(i64, i64)>,
) -> AppResult<Response> {
    let (_, session) = session_of(&state, &a, id).await?;
    let url = join_url(&state, &headers, &session.join_code);
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

// ---- projector and results ---------------------------------------------------

pub struct GroupView {
    pub label: String,
    pub size: usize,
    /// (text, direction, plain share of the group's votes in that direction
    /// in %, the group's number of votes on it). The engine's smoothed
    /// (n+1)/(n+2) estimates rank these; they are never shown.
    pub statements: Vec<(String, String, u32, u32)>,
}

pub struct MapPoint {
    pub x: f64,
    pub y: f64,
    pub group: usize,
}

pub type PerspectiveStatement = (String, u32, usize);

pub struct LiveView {
    pub participation: Vec<(String, usize)>,
    pub participants: usize,
    pub votes: usize,
    pub groups: Vec<GroupView>,
    pub bridging: Vec<(String, u32)>,
    pub consensus: Vec<(String, String, u32)>,
    pub divisive: Vec<(String, u32)>,
    /// Per perspective: its statements with the most agreement (text, % agree, votes).
    pub perspectives: Vec<(String, Vec<PerspectiveStatement>)>,
    pub points: Vec<MapPoint>,
    /// The engine found opinion groups, but none large enough to show.
    pub groups_too_small: bool,
    /// "Figures per group appear from N participants", for a panel that the
    /// anonymity rule leaves empty.
    pub min_group_notice: String,
}

const GROUP_LETTERS: &[&str] = &["A", "B", "C", "D", "E", "F", "G", "H"];

/// The projector's view of a snapshot. Per perspective and per opinion group only
/// what `rule` allows: the snapshot's own lists have passed it already; the
/// engine's groups are filtered here, each with its size, representative
/// statements and points on the map.
pub(crate) fn live_view(
    c: &Page,
    room: &Room,
    snapshot: &Snapshot,
    rule: &AnonymityRule,
) -> LiveView {
    let texts: HashMap<u64, String> = room
        .with_state(|s| {
            s.statements
                .iter()
                .map(|st| (st.id.0 as u64, st.text.clone()))
                .collect()
        })
        .unwrap_or_default();
    let text = |id: u64| texts.get(&id).cloned().unwrap_or_else(|| format!("#{id}"));
    let pct = |x: f64| (x * 100.0).round().clamp(0.0, 100.0) as u32;
    let mut groups = vec![];
    let mut points = vec![];
    let mut bridging = vec![];
    let mut consensus = vec![];
    let mut perspectives = vec![];
    let mut groups_too_small = false;
    if let Some(a) = &snapshot.analysis {
        let mut index: HashMap<u32, usize> = HashMap::new();
        let shown: Vec<_> = a
            .groups
            .iter()
            .filter(|g| rule.shows(g.members.len()))
            .collect();
        groups_too_small = shown.is_empty() && !a.groups.is_empty();
        // Letters and map colours go by position among the groups shown, so the
        // table and the map agree.
        for (i, g) in shown.into_iter().enumerate() {
            index.insert(g.id, i);
            groups.push(GroupView {
                label: format!(
                    "{} {}",
                    c.t("group"),
                    GROUP_LETTERS.get(i).copied().unwrap_or("?")
                ),
                size: g.members.len(),
                statements: g
                    .representative
                    .iter()
                    .take(3)
                    .map(|r| {
                        let dir = match r.direction {
                            koers_consensus::Direction::Agree => c.t("direction-agree"),
                            koers_consensus::Direction::Disagree => c.t("direction-disagree"),
                        };
                        let count = match r.direction {
                            koers_consensus::Direction::Agree => r.n_agree,
                            koers_consensus::Direction::Disagree => r.n_disagree,
                        };
                        let share = if r.n_votes == 0 {
                            0.0
                        } else {
                            f64::from(count) / f64::from(r.n_votes)
                        };
                        (text(r.statement), dir, pct(share), r.n_votes)
                    })
                    .collect(),
            });
        }
        // Normalise the map into a 0..1 box so the SVG needs no knowledge of scale.
        let pts = &a.coordinates.participants;
        let (mut minx, mut maxx, mut miny, mut maxy) = (f64::MAX, f64::MIN, f64::MAX, f64::MIN);
        for p in pts
            .iter()
            .filter(|p| p.group.is_some_and(|g| index.contains_key(&g)))
        {
            minx = minx.min(p.x);
            maxx = maxx.max(p.x);
            miny = miny.min(p.y);
            maxy = maxy.max(p.y);
        }
        let span = |lo: f64, hi: f64| if hi > lo { hi - lo } else { 1.0 };
        for p in pts {
            if let Some(g) = p.group.and_then(|g| index.get(&g)) {
                points.push(MapPoint {
                    x: 20.0 + 360.0 * (p.x - minx) / span(minx, maxx),
                    y: 20.0 + 260.0 * (p.y - miny) / span(miny, maxy),
                    group: *g,
                });
            }
        }
        bridging = a
            .bridging
            .iter()
            .take(5)
            .map(|b| (text(b.statement), pct(b.min_agree_share)))
            .collect();
        consensus = a
            .consensus
            .iter()
            .take(5)
            .map(|s| {
                let dir = match s.direction {
                    koers_consensus::Direction::Agree => c.t("direction-agree"),
                    koers_consensus::Direction::Disagree => c.t("direction-disagree"),
                };
                (text(s.statement), dir, pct(s.p))
            })
            .collect();
    }
    for (persp, list) in &snapshot.by_perspective {
        perspectives.push((
            persp.clone(),
            list.iter()
                .take(3)
                .map(|(st, share, n)| (text(st.0 as u64), pct(*share), *n))
                .collect(),
        ));
    }
    LiveView {
        participants: snapshot.participants,
        participation: snapshot.participation.clone(),
        votes: snapshot.votes,
        groups,
        bridging,
        consensus,
        divisive: snapshot
            .divisive
            .iter()
            .map(|(st, spread)| (text(st.0 as u64), pct(*spread)))
            .collect(),
        perspectives,
        points,
        groups_too_small,
        min_group_notice: c.tr.t_with(
            "anonymity-min-group-size",
            &[(
                "n",
                koers_web::i18n::FluentValue::from(rule.figures().get()),
            )],
        ),
    }
}

#[derive(Template)]
#[template(path = "projector.html")]
pub struct ProjectorTpl {
    pub c: Page,
    pub org_id: i64,
    pub id: i64,
    pub title: String,
    pub code: String,
    pub join_url: String,
    pub v: LiveView,
}

#[derive(Template)]
#[template(path = "projector_live.html")]
pub struct ProjectorLiveTpl {
    pub c: Page,
    pub v: LiveView,
}

pub async fn projector(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    a: OrgAccess,
    headers: HeaderMap,
    Path((_org, id)): Path<(i64, i64)>,
) -> AppResult<Response> {
    let (a, session) = session_of(&state, &a, id).await?;
    let room = live(&state)?.room(session.scope).await?;
    let c = Page::new(&state, &ctx, "projector-title").with_title(session.title.clone());
    let v = live_view(&c, &room, &room.snapshot(), &state.config.anonymity());
    Ok(render(
        StatusCode::OK,
        &ProjectorTpl {
            org_id: a.org.id.0,
            id,
            title: session.title.clone(),
            join_url: join_url(&state, &headers, &session.join_code),
            code: session.join_code,
            v,
            c,
        },
    ))
}

/// The live part of the projector view, fetched by the page's script after an event.
pub async fn projector_fragment(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    a: OrgAccess,
    Path((_org, id)): Path<(i64, i64)>,
) -> AppResult<Response> {
    let (_, session) = session_of(&state, &a, id).await?;
    let room = live(&state)?.room(session.scope).await?;
    let c = Page::new(&state, &ctx, "projector-title");
    let v = live_view(&c, &room, &room.snapshot(), &state.config.anonymity());
    let mut res = render(StatusCode::OK, &ProjectorLiveTpl { c, v });
    res.headers_mut().insert(
        header::CACHE_CONTROL,
        header::HeaderValue::from_static("no-store"),
    );
    Ok(res)
}

/// Server-sent events for a room. Everyone gets `phase` and `statements`; the
/// projector also gets `snapshot` (a new analysis: "version:votes:participants") and
/// `counts` ("votes:participants", several times a second).
///
/// A stream ends when the server starts to shut down (the browser reconnects,
/// to another instance or to this one once it is back), so that a graceful
/// shutdown is not held up by open tabs; and when its room is dropped.
/// A place for one more event stream from this client, or 429: each stream holds
/// a connection and a subscription for as long as the browser keeps it.
pub(crate) fn stream_permit(
    state: &AppState,
    peer: std::net::SocketAddr,
    headers: &axum::http::HeaderMap,
) -> AppResult<koers_web::auth::StreamPermit> {
    let client = koers_web::auth::client_addr(peer.ip(), headers, &state.trusted_proxies);
    crate::sessie_state(state)?
        .streams
        .acquire(client)
        .ok_or(AppError::TooManyRequests)
}

/// The room's events as server-sent events. The permit goes with the stream and
/// gives its place back when the stream ends.
pub(crate) fn room_events(
    state: &AppState,
    room: Arc<Room>,
    projector: bool,
    permit: koers_web::auth::StreamPermit,
) -> Sse<impl futures_util::Stream<Item = Result<Event, std::convert::Infallible>>> {
    use futures_util::StreamExt as _;
    let rx = room.subscribe();
    let first = projector.then(|| {
        let s = room.snapshot();
        format!("{}:{}:{}", s.version, s.votes, s.participants)
    });
    let stream = futures_util::stream::unfold((rx, first), move |(mut rx, first)| async move {
        if let Some(data) = first {
            return Some((
                Ok(Event::default().event("snapshot").data(data)),
                (rx, None),
            ));
        }
        loop {
            let event = match rx.recv().await {
                Ok(LiveEvent::Snapshot(s)) if projector => Event::default()
                    .event("snapshot")
                    .data(format!("{}:{}:{}", s.version, s.votes, s.participants)),
                Ok(LiveEvent::Counts {
                    votes,
                    participants,
                }) if projector => Event::default()
                    .event("counts")
                    .data(format!("{votes}:{participants}")),
                Ok(LiveEvent::Snapshot(_)) | Ok(LiveEvent::Counts { .. }) => continue,
                Ok(LiveEvent::Phase) => Event::default().event("phase").data("phase"),
                Ok(LiveEvent::Statements) => {
                    Event::default().event("statements").data("statements")
                }
                // A slow client missed some: the next event carries the latest anyway.
                Err(tokio::sync::broadcast::error::RecvError::Lagged(_)) => continue,
                Err(tokio::sync::broadcast::error::RecvError::Closed) => return None,
            };
            return Some((Ok(event), (rx, None)));
        }
    })
    .take_until(state.shutdown.fired())
    .map(move |event| {
        let _held = &permit;
        event
    });
    Sse::new(stream).keep_alive(KeepAlive::default())
}

pub async fn projector_events(
    State(state): State<AppState>,
    Ctx(_ctx): Ctx,
    a: OrgAccess,
    headers: axum::http::HeaderMap,
    axum::extract::ConnectInfo(peer): axum::extract::ConnectInfo<std::net::SocketAddr>,
    Path((_org, id)): Path<(i64, i64)>,
) -> AppResult<Response> {
    let (_, session) = session_of(&state, &a, id).await?;
    let permit = stream_permit(&state, peer, &headers)?;
    let room = live(&state)?.room(session.scope).await?;
    Ok(room_events(&state, room, true, permit).into_response())
}

pub struct ResultStatement {
    pub text: String,
    pub agree: u32,
    pub disagree: u32,
    pub pass: u32,
    pub agree_pct: u32,
    pub dots: i64,
}

#[derive(Template)]
#[template(path = "session_results.html")]
pub struct ResultsTpl {
    pub c: Page,
    pub org_id: i64,
    pub id: i64,
    pub title: String,
    pub description: String,
    pub attribution: String,
    pub v: LiveView,
    pub statements: Vec<ResultStatement>,
    pub steps: Vec<koers_store::NextStep>,
}

/// What the results page shows of a session, for the facilitator's page and the
/// shared read-only page alike: the room's view under the anonymity rule, the
/// accepted statements ranked, and the next steps. Nothing per participant.
pub(crate) struct ResultsData {
    pub v: LiveView,
    pub statements: Vec<ResultStatement>,
    pub steps: Vec<koers_store::NextStep>,
}

pub(crate) async fn results_data(
    state: &AppState,
    c: &Page,
    session: &LiveSession,
) -> AppResult<ResultsData> {
    let room = live(state)?.room(session.scope).await?;
    let v = live_view(c, &room, &room.snapshot(), &state.config.anonymity());
    let counts = tally(&room);
    let dots = dot_totals(
        state
            .store
            .sessie()
            .dots(session.scope)
            .await?
            .into_iter()
            .map(|(st, _, n)| (StatementId(st), n)),
    );
    let mut ranked: Vec<(i64, Tally, String)> = room
        .with_state(|s| {
            s.accepted()
                .map(|st| {
                    let dots = dots.get(&st.id).copied().unwrap_or(0);
                    (dots, counts.statement(st.id), st.text.clone())
                })
                .collect()
        })
        .unwrap_or_default();
    // Stable, so statements that compare equal keep their order.
    ranked.sort_by(|a, b| compare_results((a.0, &a.1), (b.0, &b.1)));
    let statements = ranked
        .into_iter()
        .map(|(dots, t, text)| ResultStatement {
            text,
            agree: t.agree,
            disagree: t.disagree,
            pass: t.pass,
            agree_pct: t.percent_agree_whole(),
            dots,
        })
        .collect();
    Ok(ResultsData {
        v,
        statements,
        steps: state.store.sessie().next_steps(session.scope).await?,
    })
}

pub async fn results(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    a: OrgAccess,
    Path((_org, id)): Path<(i64, i64)>,
) -> AppResult<Response> {
    let (a, session) = session_of(&state, &a, id).await?;
    let c = Page::new(&state, &ctx, "results-title").with_title(session.title.clone());
    let ResultsData {
        v,
        statements,
        steps,
    } = results_data(&state, &c, &session).await?;
    Ok(render(
        StatusCode::OK,
        &ResultsTpl {
            org_id: a.org.id.0,
            id,
            title: session.title.clone(),
            description: session.description.clone(),
            attribution: session.attribution.clone(),
            steps,
            v,
            statements,
            c,
        },
    ))
}

/// Downloads: the results as CSV, ODS or XLSX, and the session in the Pol.is CSV
/// format (a zip of the four files, or one of them).
pub async fn download(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    a: OrgAccess,
    headers: HeaderMap,
    Path((_org, id, file)): Path<(i64, i64, String)>,
) -> AppResult<Response> {
    use crate::export::{self, SessionData};
    let (_, session) = session_of(&state, &a, id).await?;
    let room = live(&state)?.room(session.scope).await?;
    let mut data = SessionData::load(&state.store, &session).await?;
    // The room's latest analysis, so the export matches what the room saw.
    if let Some(a) = &room.snapshot().analysis {
        data.attach_analysis(a);
    }
    let locale = ctx.locale;
    let slug: String = session
        .title
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect::<String>()
        .split('-')
        .filter(|p| !p.is_empty())
        .take(6)
        .collect::<Vec<_>>()
        .join("-");
    let slug = if slug.is_empty() {
        format!("sessie-{id}")
    } else {
        slug
    };
    let too_large = |e: export::TableError| AppError::Internal(anyhow::anyhow!("{e}"));
    let rule = state.config.anonymity();
    let workbook = || export::results_workbook(&data, locale, &rule);
    let (body, mime, name): (Vec<u8>, &str, String) = match file.as_str() {
        "resultaten.csv" => {
            let sheets = workbook();
            let first = sheets.first().ok_or(AppError::NotFound)?;
            (
                koers_tables::csv::sheet_csv(first, export::csv_style(locale)),
                "text/csv; charset=utf-8",
                format!("{slug}.csv"),
            )
        }
        "resultaten.ods" => (
            koers_tables::ods::workbook_ods(&workbook()).map_err(too_large)?,
            koers_tables::ods::MIME,
            format!("{slug}.ods"),
        ),
        "resultaten.xlsx" => (
            koers_tables::xlsx::workbook_xlsx(&workbook()).map_err(too_large)?,
            koers_tables::xlsx::MIME,
            format!("{slug}.xlsx"),
        ),
        // Per-participant raw data, not figures per group: see `export::polis`.
        "polis.zip" => {
            let url = join_url(&state, &headers, &session.join_code);
            (
                export::polis::polis_export(&data, &url)
                    .zip()
                    .map_err(too_large)?,
                koers_tables::zip::MIME,
                format!("{slug}-polis.zip"),
            )
        }
        other => {
            let url = join_url(&state, &headers, &session.join_code);
            let files = export::polis::polis_export(&data, &url);
            // Guarded: a single CSV file is what people open in a spreadsheet.
            let name = files
                .files()
                .into_iter()
                .map(|(n, _)| n)
                .find(|n| *n == other)
                .ok_or(AppError::NotFound)?;
            let text = files.download(name).ok_or(AppError::NotFound)?;
            (
                text.as_bytes().to_vec(),
                "text/csv; charset=utf-8",
                name.to_owned(),
            )
        }
    };
    Ok((
        [
            (header::CONTENT_TYPE, mime.to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
            (header::CACHE_CONTROL, "no-store".to_owned()),
        ],
        body,
    )
        .into_response())
}

/// Sessie's card on the organisation's page: the session that is open now and
/// the last one finished. Members without the facilitator role see the state
/// but no links, since the session pages are the facilitator's.
pub(crate) async fn card(
    state: &AppState,
    a: &OrgAccess,
    tr: &koers_web::i18n::Tr,
) -> AppResult<Option<koers_web::part::Card>> {
    use koers_core::sessie::PhaseState;
    use koers_web::i18n::FluentValue;
    let sessions = state.store.sessie().live_sessions(&a.scope).await?;
    let finished = |s: &&LiveSession| s.phases.states().iter().all(|p| *p == PhaseState::Closed);
    // Newest first; imported archives are closed from the start and are not runs
    // of this organisation's own.
    let own = || sessions.iter().filter(|s| !s.read_only);
    let open = own().find(|s| !finished(s));
    let last = own().find(finished);
    let facilitator = a.can(Role::Facilitator);
    let org = a.org.id;
    let mut card = koers_web::part::Card {
        title: tr.t("card-sessie-title"),
        ..Default::default()
    };
    match open {
        Some(s) => {
            let phase = match s.phases.current() {
                Some(p) => tr.t(&format!("phase-{}", p.as_str())),
                None => tr.t("phase-none-open"),
            };
            card.lines.push(tr.t_with(
                "card-sessie-open",
                &[
                    ("title", FluentValue::from(s.title.as_str())),
                    ("phase", FluentValue::from(phase)),
                ],
            ));
            if facilitator {
                card.links.push((
                    format!("/organisaties/{org}/sessies/{}", s.id),
                    tr.t_with(
                        "card-sessie-to-console",
                        &[("title", FluentValue::from(s.title.as_str()))],
                    ),
                ));
            }
        }
        None => card.lines.push(tr.t("card-sessie-none-open")),
    }
    match last {
        Some(s) => {
            card.lines.push(tr.t_with(
                "card-sessie-last",
                &[
                    ("title", FluentValue::from(s.title.as_str())),
                    ("date", FluentValue::from(tr.date(s.updated_at))),
                ],
            ));
            if facilitator {
                card.links.push((
                    format!("/organisaties/{org}/sessies/{}/resultaten", s.id),
                    tr.t_with(
                        "card-sessie-to-results",
                        &[("title", FluentValue::from(s.title.as_str()))],
                    ),
                ));
            }
        }
        None => card.lines.push(tr.t("card-sessie-none-finished")),
    }
    if facilitator {
        card.links.push((
            format!("/organisaties/{org}/sessies"),
            tr.t("card-sessie-all"),
        ));
    }
    Ok(Some(card))
}
