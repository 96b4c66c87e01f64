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
    parse_perspectives, parse_seeds, profanity_hint, BallotEdit, DotBudget, JoinCode,
    MaxStatementChars, ModerationMode, NextStepDraft, Phase, PhaseAction, PhaseState, SessieError,
    SessionLogAction, SessionTitle, StatementText, Tallies, Tally, DEFAULT_PERSPECTIVES,
};
use koers_core::{FieldError, LiveSessionId, NextStepId, Role, StatementId};
use koers_store::{
    ConsoleRefusal, LiveSession, NewLiveSession, NewLogEntry, NewStatement, StatementStatus,
    StoreError,
};
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
    log(
        &state,
        &session,
        NewLogEntry::new(SessionLogAction::Created, a.user.id, now),
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
    /// Written by the facilitator once a phase had started (not a seed).
    pub facilitator: bool,
    /// The author's text, when the facilitator edited it.
    pub original: Option<String>,
    pub agree: u32,
    pub disagree: u32,
    pub pass: u32,
    /// On the dot-voting ballot now.
    pub on_ballot: bool,
}

/// A duplicate merged into another statement: (its text, the survivor's text).
pub type MergedView = (String, String);

/// What the console shows that changes while the room works: the join
/// window, the phases, participation, the moderation queue, the statements
/// with their counts and the ballot. The page renders it once; its script
/// fetches it again (`…/console/live`) after each event of the room.
pub struct ConsoleLive {
    pub moderation: String,
    pub join_open: bool,
    pub join_until: String,
    pub phases: Vec<PhaseView>,
    pub pending: Vec<StatementView>,
    pub accepted: Vec<StatementView>,
    pub rejected: Vec<StatementView>,
    pub merged: Vec<MergedView>,
    /// "12 deelnemers", "1 stem": counted through Fluent's plural forms.
    pub participants: String,
    pub votes: String,
    /// Participants per perspective, only perspectives the anonymity rule shows.
    pub participation: Vec<(String, usize)>,
    /// Someone joined from a perspective too small to show.
    pub participation_hidden: bool,
    pub min_group_notice: String,
    /// "3 stellingen wachten op je", for the page's status line.
    pub queue_summary: String,
    /// Show the ballot section: voting has started or the ballot is fixed.
    pub ballot_shown: bool,
    pub ballot_frozen: bool,
    pub ballot: Vec<StatementView>,
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
    pub read_only: bool,
    pub attribution: String,
    pub live: ConsoleLive,
    pub errors: FormErrors,
    pub steps: Vec<koers_store::NextStep>,
    pub room: crate::room::ConsoleRoom,
    pub share: crate::share::ShareView,
}

#[derive(Template)]
#[template(path = "console_live.html")]
pub struct ConsoleLiveTpl {
    pub c: Page,
    pub org_id: i64,
    pub id: i64,
    pub read_only: bool,
    pub live: ConsoleLive,
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

/// A number with its noun through Fluent's plural forms ("1 deelnemer").
fn counted(c: &Page, key: &str, n: usize) -> String {
    c.tr.t_with(key, &[("n", koers_web::i18n::FluentValue::from(n))])
}

/// The console's live part, from the room's cache and latest analysis.
fn console_live(state: &AppState, c: &Page, room: &Room) -> AppResult<ConsoleLive> {
    let snap = room.snapshot();
    let rule = state.config.anonymity();
    // Counted now from the room, not from the last analysis, so that a join
    // shows at once; through the same rule as the projector.
    let (session, statements, participants, votes, ballot, per_perspective) = room
        .with_state(|s| {
            (
                s.session.clone(),
                s.statements.clone(),
                s.participants.len(),
                s.total_votes(),
                s.ballot(&snap.shortlist),
                crate::live::participation(&s.session.perspectives, &s.participants, &rule),
            )
        })
        .ok_or(AppError::BadRequest)?;
    let counts = tally(room);
    let view = |s: &koers_store::SessionStatement| {
        let t = counts.statement(s.id);
        StatementView {
            id: s.id.0,
            text: s.text.clone(),
            hint: s.profanity_hint,
            seed: s.is_seed,
            facilitator: !s.is_seed && s.participant_id.is_none(),
            original: s.original_text.clone(),
            agree: t.agree,
            disagree: t.disagree,
            pass: t.pass,
            on_ballot: ballot.contains(&s.id),
        }
    };
    let of = |status: StatementStatus| -> Vec<StatementView> {
        statements
            .iter()
            .filter(|s| s.status == status)
            .map(view)
            .collect()
    };
    let texts: HashMap<StatementId, &str> =
        statements.iter().map(|s| (s.id, s.text.as_str())).collect();
    let phases = Phase::ALL
        .iter()
        .map(|p| {
            let st = session.phases.shown_state(*p);
            PhaseView {
                phase: p.as_str().into(),
                label: c.t(&format!("phase-{}", p.as_str())),
                state: c.t(&format!("phase-state-{}", st.as_str().replace('_', "-"))),
                // What `Phases::change` accepts, as the phase is shown: a phase
                // shown closed offers to open it again, not to close it once more.
                actions: session
                    .phases
                    .shown_actions(*p)
                    .iter()
                    .map(|a| {
                        let label = if st == PhaseState::Closed {
                            "reopen"
                        } else {
                            a.as_str()
                        };
                        (a.as_str().to_owned(), c.t(&format!("phase-action-{label}")))
                    })
                    .collect(),
                open: st == PhaseState::Open,
            }
        })
        .collect();
    let pending = of(StatementStatus::Pending);
    let shown_people: usize = per_perspective.iter().map(|(_, n)| n).sum();
    let ballot_views = ballot
        .iter()
        .filter_map(|id| statements.iter().find(|s| s.id == *id))
        .map(view)
        .collect();
    Ok(ConsoleLive {
        moderation: c.t(&format!("moderation-{}", session.moderation.as_str())),
        join_open: join_is_open(session.join_open_until, state.now()),
        join_until: c.tr.date_time(session.join_open_until),
        phases,
        queue_summary: counted(c, "console-queue-summary", pending.len()),
        pending,
        accepted: of(StatementStatus::Accepted),
        rejected: of(StatementStatus::Rejected),
        merged: statements
            .iter()
            .filter(|s| s.status == StatementStatus::Merged)
            .map(|s| {
                let into = s
                    .merged_into
                    .and_then(|i| texts.get(&i).copied())
                    .unwrap_or_default();
                (s.text.clone(), into.to_owned())
            })
            .collect(),
        participants: counted(c, "console-participants", participants),
        votes: counted(c, "console-votes", votes),
        participation_hidden: shown_people < participants,
        participation: per_perspective,
        min_group_notice: c.tr.t_with(
            "anonymity-min-group-size",
            &[(
                "n",
                koers_web::i18n::FluentValue::from(rule.figures().get()),
            )],
        ),
        ballot_shown: session.ballot_frozen_at.is_some()
            || session.phases.state(Phase::Stemmen) != PhaseState::NotStarted,
        ballot_frozen: session.ballot_frozen_at.is_some(),
        ballot: ballot_views,
    })
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
    let session = room
        .with_state(|s| s.session.clone())
        .ok_or(AppError::BadRequest)?;
    let c = Page::new(state, ctx, "session-console-title").with_title(session.title.clone());
    let live_part = console_live(state, &c, &room)?;
    let tpl = ConsoleTpl {
        org_id: a.org.id.0,
        id,
        title: session.title.clone(),
        description: session.description.clone(),
        join_url: join_url(state, headers, &session.join_code),
        code: session.join_code.clone(),
        read_only: session.read_only,
        attribution: session.attribution.clone(),
        live: live_part,
        steps: state.store.sessie().next_steps(session.scope).await?,
        room: crate::room::console_view(state, &c, &room),
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

/// The console's live part on its own, fetched by the page's script after an
/// event of the room.
pub async fn console_fragment(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    a: OrgAccess,
    Path((_org, id)): Path<(i64, i64)>,
) -> AppResult<Response> {
    let (a, session) = session_of(&state, &a, id).await?;
    let room = live(&state)?.room(session.scope).await?;
    let c = Page::new(&state, &ctx, "session-console-title");
    let live_part = console_live(&state, &c, &room)?;
    let mut res = render(
        StatusCode::OK,
        &ConsoleLiveTpl {
            org_id: a.org.id.0,
            id,
            read_only: session.read_only,
            live: live_part,
            c,
        },
    );
    res.headers_mut().insert(
        header::CACHE_CONTROL,
        header::HeaderValue::from_static("no-store"),
    );
    Ok(res)
}

/// The console's event stream: the room's phase and statement changes (a new
/// statement in the queue), running counts and new analyses, as the
/// projector gets them. Counts per perspective are in the fragment, which
/// passes them through the anonymity rule; the events carry only totals.
pub async fn console_events(
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

/// A line in the session's log.
async fn log(state: &AppState, session: &LiveSession, e: NewLogEntry<'_>) -> AppResult<()> {
    state.store.sessie().add_log(session.scope, e).await?;
    Ok(())
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
    let room = live(&state)?.room(session.scope).await?;
    let now = state.now();
    // The ballot is fixed as prioriteren opens for the first time, before the
    // phase opens, so that no dot is ever given on a list that still moves.
    if phase == Phase::Prioriteren
        && next.is_open(Phase::Prioriteren)
        && session.ballot_frozen_at.is_none()
    {
        // The list is fixed from every vote cast so far, not from an analysis
        // up to a second old.
        live(&state)?.recompute_now(&room).await;
        let snap = room.snapshot();
        let ballot = room
            .with_state(|s| s.ballot(&snap.shortlist))
            .unwrap_or_default();
        state
            .store
            .sessie()
            .freeze_ballot(session.scope, &ballot, a.user.id, now)
            .await?;
    }
    state
        .store
        .sessie()
        .set_phases(session.scope, next, now)
        .await?;
    live(&state)?.changed(&room, "phase").await?;
    // What the console showed, so that the log says "opened again" for a
    // phase shown closed.
    let shown = if session.phases.shown_state(phase) == PhaseState::Closed {
        PhaseAction::Reopen
    } else {
        action
    };
    let detail = format!("{}:{}", phase.as_str(), shown.as_str());
    log(
        &state,
        &session,
        NewLogEntry::new(SessionLogAction::Phase, a.user.id, now).detail(&detail),
    )
    .await?;
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
    let (a, session) = session_of(&state, &a, id).await?;
    if session.read_only {
        return Err(AppError::Forbidden);
    }
    let text = match StatementText::parse(&f.text, session.max_statement_chars as usize) {
        Ok(t) => t,
        Err(e) => {
            return console_with_error(&state, &ctx, &a, &headers, org, id, e).await;
        }
    };
    // A statement written before the session started is a seed; one added
    // while the room works is the facilitator's own statement, not a seed.
    let seed = Phase::ALL
        .iter()
        .all(|p| session.phases.state(*p) == PhaseState::NotStarted);
    let now = state.now();
    let added = state
        .store
        .sessie()
        .add_statement(
            &session,
            NewStatement {
                participant_id: None,
                is_seed: seed,
                text: text.as_str(),
                status: StatementStatus::Accepted,
                profanity_hint: profanity_hint(text.as_str()),
                now,
                external_id: None,
            },
        )
        .await?;
    let action = if seed {
        SessionLogAction::SeedAdded
    } else {
        SessionLogAction::StatementAdded
    };
    log(
        &state,
        &session,
        NewLogEntry::new(action, a.user.id, now).statement(added.id, text.as_str()),
    )
    .await?;
    statements_changed(&state, &session, org, id, "stellingen").await
}

/// After a change to a session's statements: tells the room (its pages, the
/// console and the other instances follow) and goes back to the console at
/// `anchor`.
async fn statements_changed(
    state: &AppState,
    session: &LiveSession,
    org: i64,
    id: i64,
    anchor: &str,
) -> AppResult<Response> {
    let room = live(state)?.room(session.scope).await?;
    live(state)?.changed(&room, "statements").await?;
    Ok(redirect(&format!(
        "/organisaties/{org}/sessies/{id}#{anchor}"
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
    let (a, session) = session_of(&state, &a, id).await?;
    if session.read_only {
        return Err(AppError::Forbidden);
    }
    let (status, action) = match f.status.as_str() {
        "accepted" => (StatementStatus::Accepted, SessionLogAction::Accepted),
        "rejected" => (StatementStatus::Rejected, SessionLogAction::Rejected),
        _ => return Err(AppError::BadRequest),
    };
    state
        .store
        .sessie()
        .moderate_statement(session.scope, statement, status)
        .await?;
    let text = state
        .store
        .sessie()
        .statement(session.scope, statement)
        .await?
        .text;
    log(
        &state,
        &session,
        NewLogEntry::new(action, a.user.id, state.now()).statement(statement, &text),
    )
    .await?;
    statements_changed(&state, &session, org, id, "moderatie").await
}

#[derive(Deserialize)]
pub struct JoinWindowForm {
    #[serde(default)]
    pub action: String,
    /// Closing needs this from the confirmation page.
    #[serde(default)]
    pub confirm: String,
}

pub async fn join_window(
    State(state): State<AppState>,
    Ctx(_ctx): Ctx,
    a: OrgAccess,
    Path((org, id)): Path<(i64, i64)>,
    Form(f): Form<JoinWindowForm>,
) -> AppResult<Response> {
    let (a, session) = session_of(&state, &a, id).await?;
    let now = state.now();
    let (until, action) = match (f.action.as_str(), f.confirm.as_str()) {
        ("extend", _) => (join_open_until(now), SessionLogAction::JoinOpened),
        ("close", "yes") => (now, SessionLogAction::JoinClosed),
        // Closing shuts out whoever has not joined yet: it asks first.
        ("close", _) => {
            return Ok(redirect(&format!(
                "/organisaties/{org}/sessies/{id}/deelname/sluiten"
            )))
        }
        _ => return Err(AppError::BadRequest),
    };
    state
        .store
        .sessie()
        .set_join_open_until(session.scope, until)
        .await?;
    log(&state, &session, NewLogEntry::new(action, a.user.id, now)).await?;
    let room = live(&state)?.room(session.scope).await?;
    live(&state)?.changed(&room, "session").await?;
    Ok(redirect(&format!("/organisaties/{org}/sessies/{id}")))
}

#[derive(Template)]
#[template(path = "join_close_confirm.html")]
pub struct JoinCloseTpl {
    pub c: Page,
    pub org_id: i64,
    pub id: i64,
    pub title: String,
    pub participants: String,
}

/// "Meedoen sluiten" asks first, on a page of its own, so that it works
/// without JavaScript: whoever has not joined yet cannot once it is closed.
pub async fn join_close_confirm(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    a: OrgAccess,
    Path((_org, id)): Path<(i64, i64)>,
) -> AppResult<Response> {
    let (a, session) = session_of(&state, &a, id).await?;
    let room = live(&state)?.room(session.scope).await?;
    let c = Page::new(&state, &ctx, "join-close-title").with_title(session.title.clone());
    let n = room.with_state(|s| s.participants.len()).unwrap_or(0);
    Ok(render(
        StatusCode::OK,
        &JoinCloseTpl {
            org_id: a.org.id.0,
            id,
            title: session.title.clone(),
            participants: counted(&c, "join-close-already", n),
            c,
        },
    ))
}

// ---- edit, merge, ballot, log ------------------------------------------------

#[derive(Template)]
#[template(path = "statement_edit.html")]
pub struct StatementEditTpl {
    pub c: Page,
    pub org_id: i64,
    pub id: i64,
    pub statement_id: i64,
    pub title: String,
    pub text: String,
    pub original: Option<String>,
    pub errors: FormErrors,
    /// The statements this one may be merged into: (id, text).
    pub targets: Vec<(i64, String)>,
    pub votes: String,
}

async fn statement_edit_page(
    state: &AppState,
    ctx: &RequestCtx,
    a: &OrgAccess,
    id: i64,
    statement: StatementId,
    draft: Option<String>,
    errors: FormErrors,
) -> AppResult<Response> {
    let (a, session) = session_of(state, a, id).await?;
    let st = state
        .store
        .sessie()
        .statement(session.scope, statement)
        .await?;
    if st.status == StatementStatus::Merged {
        return Err(AppError::NotFound);
    }
    let room = live(state)?.room(session.scope).await?;
    let c = Page::new(state, ctx, "statement-edit-title").with_title(session.title.clone());
    let (targets, votes) = room
        .with_state(|s| {
            (
                s.accepted()
                    .filter(|t| t.id != statement)
                    .map(|t| (t.id.0, t.text.clone()))
                    .collect::<Vec<_>>(),
                s.tally().statement(statement).total() as usize,
            )
        })
        .unwrap_or_default();
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    Ok(render(
        status,
        &StatementEditTpl {
            org_id: a.org.id.0,
            id,
            statement_id: statement.0,
            title: session.title.clone(),
            text: draft.unwrap_or_else(|| st.text.clone()),
            original: st.original_text.clone(),
            errors,
            targets,
            votes: counted(&c, "statement-edit-votes", votes),
            c,
        },
    ))
}

/// The edit page of one statement: fix its text, or merge it into another.
pub async fn statement_edit(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    a: OrgAccess,
    Path((_org, id, statement)): Path<(i64, i64, StatementId)>,
) -> AppResult<Response> {
    statement_edit_page(&state, &ctx, &a, id, statement, None, FormErrors::default()).await
}

/// Fixes a statement's text. Votes already cast stay: an edit is for a typo,
/// and the form says so. The author's text is kept in the database and the log.
pub async fn edit_statement(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    a: OrgAccess,
    Path((org, id, statement)): Path<(i64, i64, StatementId)>,
    Form(f): Form<SeedForm>,
) -> AppResult<Response> {
    let (a, session) = session_of(&state, &a, id).await?;
    if session.read_only {
        return Err(AppError::Forbidden);
    }
    let text = match StatementText::parse(&f.text, session.max_statement_chars as usize) {
        Ok(t) => t,
        Err(e) => {
            let errors = FormErrors::from_fields(&ctx.tr(), &[e]);
            return statement_edit_page(&state, &ctx, &a, id, statement, Some(f.text), errors)
                .await;
        }
    };
    let outcome = state
        .store
        .sessie()
        .edit_statement(
            session.scope,
            statement,
            text.as_str(),
            profanity_hint(text.as_str()),
            a.user.id,
            state.now(),
        )
        .await?;
    if outcome.is_err() {
        // Merged meanwhile: there is nothing left to edit.
        return Err(AppError::NotFound);
    }
    statements_changed(&state, &session, org, id, "stellingen").await
}

#[derive(Deserialize)]
pub struct MergeForm {
    #[serde(default)]
    pub into: String,
}

/// Merges this statement (a duplicate) into the one chosen on the form.
pub async fn merge_statement(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    a: OrgAccess,
    Path((org, id, statement)): Path<(i64, i64, StatementId)>,
    Form(f): Form<MergeForm>,
) -> AppResult<Response> {
    let (a, session) = session_of(&state, &a, id).await?;
    if session.read_only {
        return Err(AppError::Forbidden);
    }
    let refuse =
        |key: &'static str| FormErrors::from_fields(&ctx.tr(), &[FieldError::new("into", key)]);
    let Ok(into) = f.into.trim().parse::<i64>() else {
        let errors = refuse("error-merge-choose");
        return statement_edit_page(&state, &ctx, &a, id, statement, None, errors).await;
    };
    let outcome = state
        .store
        .sessie()
        .merge_statements(
            session.scope,
            statement,
            StatementId(into),
            a.user.id,
            state.now(),
        )
        .await?;
    let carried = match outcome {
        Ok(o) => o,
        Err(ConsoleRefusal::Merge(e)) => {
            let errors = refuse(e.message_key());
            return match statement_edit_page(&state, &ctx, &a, id, statement, None, errors).await {
                // The duplicate itself is gone (merged already): say so on the console.
                Err(AppError::NotFound) => {
                    let e = FieldError::new("stellingen", e.message_key());
                    let headers = HeaderMap::new();
                    console_with_error(&state, &ctx, &a, &headers, org, id, e).await
                }
                other => other,
            };
        }
        Err(_) => return Err(AppError::NotFound),
    };
    let room = live(&state)?.room(session.scope).await?;
    live(&state)?
        .merged(&room, StatementId(into), &carried.votes)
        .await?;
    Ok(redirect(&format!(
        "/organisaties/{org}/sessies/{id}#stellingen"
    )))
}

#[derive(Deserialize)]
pub struct BallotForm {
    #[serde(default)]
    pub edit: String,
}

/// Puts a statement on the dot-voting ballot or takes it off, until
/// prioriteren opens (then the ballot is fixed).
pub async fn ballot_edit(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    a: OrgAccess,
    headers: HeaderMap,
    Path((org, id, statement)): Path<(i64, i64, StatementId)>,
    Form(f): Form<BallotForm>,
) -> AppResult<Response> {
    let (a, session) = session_of(&state, &a, id).await?;
    if session.read_only {
        return Err(AppError::Forbidden);
    }
    // An id that is not this session's is unknown whatever the form says.
    state
        .store
        .sessie()
        .statement(session.scope, statement)
        .await?;
    let edit = BallotEdit::parse(&f.edit).ok_or(AppError::BadRequest)?;
    let outcome = state
        .store
        .sessie()
        .set_ballot_edit(session.scope, statement, Some(edit), a.user.id, state.now())
        .await?;
    if outcome.is_err() {
        let e = FieldError::new("stemlijst", "error-ballot-frozen");
        return console_with_error(&state, &ctx, &a, &headers, org, id, e).await;
    }
    statements_changed(&state, &session, org, id, "stemlijst").await
}

pub struct LogView {
    pub when: String,
    pub what: String,
    /// Labelled texts: ("Tekst van de deelnemer", "…").
    pub texts: Vec<(String, String)>,
}

#[derive(Template)]
#[template(path = "session_log.html")]
pub struct SessionLogTpl {
    pub c: Page,
    pub org_id: i64,
    pub id: i64,
    pub title: String,
    pub entries: Vec<LogView>,
}

/// One log entry in the reader's language: who did what, with the texts
/// involved under their own labels (never the stored action name).
fn log_view(c: &Page, e: &koers_store::SessionLogEntry) -> LogView {
    use koers_web::i18n::FluentValue;
    let who = if e.actor.is_empty() {
        c.t("session-log-someone")
    } else {
        e.actor.clone()
    };
    let mut args = vec![("who", FluentValue::from(who))];
    let key = match e.action {
        SessionLogAction::Phase => {
            let (phase, action) = e.detail.split_once(':').unwrap_or(("", ""));
            let phase = Phase::parse(phase)
                .map_or_else(String::new, |p| c.t(&format!("phase-{}", p.as_str())));
            args.push(("phase", FluentValue::from(phase)));
            let action = PhaseAction::parse(action).unwrap_or(PhaseAction::Open);
            format!("session-log-phase-{}", action.as_str())
        }
        SessionLogAction::BallotFrozen => {
            let n: usize = e.detail.parse().unwrap_or(0);
            args.push(("n", FluentValue::from(n)));
            e.action.message_key()
        }
        other => other.message_key(),
    };
    let mut texts = vec![];
    let label = |k: &str| c.t(k);
    match e.action {
        SessionLogAction::Edited => {
            texts.push((label("session-log-text-before"), e.previous_text.clone()));
            texts.push((label("session-log-text-after"), e.text.clone()));
        }
        SessionLogAction::Merged => {
            texts.push((label("session-log-text-duplicate"), e.text.clone()));
            texts.push((label("session-log-text-kept"), e.previous_text.clone()));
        }
        _ if !e.text.is_empty() => texts.push((label("session-log-text"), e.text.clone())),
        _ => {}
    }
    LogView {
        when: c.tr.date_time(e.created_at),
        what: c.tr.t_with(&key, &args),
        texts,
    }
}

/// The session's log: who did what, oldest first.
pub async fn session_log(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    a: OrgAccess,
    Path((_org, id)): Path<(i64, i64)>,
) -> AppResult<Response> {
    let (a, session) = session_of(&state, &a, id).await?;
    let c = Page::new(&state, &ctx, "session-log-title").with_title(session.title.clone());
    let entries = state
        .store
        .sessie()
        .session_log(session.scope)
        .await?
        .iter()
        .map(|e| log_view(&c, e))
        .collect();
    Ok(render(
        StatusCode::OK,
        &SessionLogTpl {
            org_id: a.org.id.0,
            id,
            title: session.title.clone(),
            entries,
            c,
        },
    ))
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
    let room = live(&state)?.room(session.scope).await?;
    crate::room::results_changed(&state, &room).await;
    // Participants on the closing page see the new step without reloading.
    let room = live(&state)?.room(session.scope).await?;
    live(&state)?.changed(&room, "steps").await?;
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
    let room = live(&state)?.room(session.scope).await?;
    crate::room::results_changed(&state, &room).await;
    live(&state)?.changed(&room, "steps").await?;
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
    let room = live(&state)?.room(session.scope).await?;
    crate::room::results_changed(&state, &room).await;
    live(&state)?.changed(&room, "steps").await?;
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
    crate::room::qr_response(&join_url(&state, &headers, &session.join_code))
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

/// A plain figure as shown: "62% eens (n = 40)", in the page's language.
pub type Shown = String;

/// A divisive statement as shown: the group where most agree and the group
/// where most disagree, each with its plain share and n.
pub struct DivideView {
    pub text: String,
    pub agreeing: String,
    pub disagreeing: String,
}

pub struct LiveView {
    pub participation: Vec<(String, usize)>,
    pub participants: usize,
    pub votes: usize,
    pub groups: Vec<GroupView>,
    /// (text, its plain agree share with n): one agree figure per statement,
    /// the same as the results table's.
    pub bridging: Vec<(String, Shown)>,
    /// (text, its plain share in the direction it is shared, with n).
    pub consensus: Vec<(String, Shown)>,
    pub divisive: Vec<DivideView>,
    /// Per perspective: its statements with the most agreement (text, % agree, votes).
    pub perspectives: Vec<(String, Vec<PerspectiveStatement>)>,
    pub points: Vec<MapPoint>,
    /// The engine found opinion groups, but none large enough to show.
    pub groups_too_small: bool,
    /// "Figures per group appear from N participants", for a panel that the
    /// anonymity rule leaves empty.
    pub min_group_notice: String,
    /// The opinion map in one sentence: what it shows, that one dot is one
    /// participant, and how many of those who took part are on it and why not
    /// everyone (too few votes yet, or a group too small to show).
    pub map_caption: String,
}

pub(crate) const GROUP_LETTERS: &[&str] = &["A", "B", "C", "D", "E", "F", "G", "H"];

/// "62% eens (40 stemmen)": a plain share with the votes it counts.
fn plain_share(c: &Page, key: &str, pct: u32, n: u32) -> Shown {
    use koers_web::i18n::FluentValue;
    let args = [("pct", FluentValue::from(pct)), ("n", FluentValue::from(n))];
    c.tr.t_with(key, &args)
}

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
    // The plain counts every overall figure on the page comes from, so that a
    // statement shows one agree figure wherever it appears.
    let counts = tally(room);
    let overall = |id: u64| counts.statement(StatementId(id as i64));
    let agree = |t: Tally| plain_share(c, "share-agree", t.percent_agree_whole(), t.total());
    let disagree =
        |t: Tally| plain_share(c, "share-disagree", t.percent_disagree_whole(), t.total());
    let mut groups = vec![];
    let mut points = vec![];
    let mut bridging = vec![];
    let mut consensus = vec![];
    let mut perspectives = vec![];
    let mut groups_too_small = false;
    let mut group_names: HashMap<u32, String> = HashMap::new();
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
            let label = format!(
                "{} {}",
                c.t("group"),
                GROUP_LETTERS.get(i).copied().unwrap_or("?")
            );
            group_names.insert(g.id, label.clone());
            groups.push(GroupView {
                label,
                size: g.members.len(),
                statements: {
                    let mut reps: Vec<_> = g.representative.iter().collect();
                    // Too few of the group's votes to mean anything: after the rest.
                    reps.sort_by_key(|r| r.n_votes < koers_core::sessie::tally::MIN_VOTES_TO_RANK);
                    reps
                }
                .into_iter()
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
        // The engine ranks (with smoothed estimates); the page shows plain shares.
        let mut ranked: Vec<u64> = a.bridging.iter().map(|b| b.statement).collect();
        koers_core::sessie::rank_enough_first(&mut ranked, |id| overall(*id));
        bridging = ranked
            .into_iter()
            .take(5)
            .map(|id| (text(id), agree(overall(id))))
            .collect();
        let mut ranked: Vec<_> = a.consensus.iter().collect();
        koers_core::sessie::rank_enough_first(&mut ranked, |s| overall(s.statement));
        consensus = ranked
            .into_iter()
            .take(5)
            .map(|s| {
                let t = overall(s.statement);
                let shown = match s.direction {
                    koers_consensus::Direction::Agree => agree(t),
                    koers_consensus::Direction::Disagree => disagree(t),
                };
                (text(s.statement), shown)
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
    let points_len = points.len();
    // Participants who voted alike land on one spot: the caption says how many
    // dots the map draws for how many people (whole SVG units, the dot is 8 wide).
    let dots_len = points
        .iter()
        .map(|p| (p.x.round() as i64, p.y.round() as i64))
        .collect::<std::collections::BTreeSet<_>>()
        .len();
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
            .filter_map(|d| {
                // Both sides must be groups this page shows (and can name).
                let name = |g: &u32| group_names.get(g).cloned();
                Some(DivideView {
                    text: text(d.statement.0 as u64),
                    agreeing: format!("{}: {}", name(&d.agreeing.0)?, agree(d.agreeing.1)),
                    disagreeing: format!(
                        "{}: {}",
                        name(&d.disagreeing.0)?,
                        disagree(d.disagreeing.1)
                    ),
                })
            })
            .collect(),
        perspectives,
        points,
        groups_too_small,
        map_caption: map_caption(c, points_len, dots_len, snapshot.participants, rule),
        min_group_notice: c.tr.t_with(
            "anonymity-min-group-size",
            &[(
                "n",
                koers_web::i18n::FluentValue::from(rule.figures().get()),
            )],
        ),
    }
}

/// The opinion map's caption (see [`LiveView::map_caption`]).
fn map_caption(
    c: &Page,
    on_map: usize,
    dots: usize,
    took_part: usize,
    rule: &AnonymityRule,
) -> String {
    use koers_web::i18n::FluentValue;
    c.tr.t_with(
        "map-caption",
        &[
            ("shown", FluentValue::from(on_map)),
            ("dots", FluentValue::from(dots)),
            ("total", FluentValue::from(took_part)),
            ("min", FluentValue::from(rule.figures().get())),
        ],
    )
}

#[derive(Template)]
#[template(path = "projector_live.html")]
pub struct ProjectorLiveTpl {
    pub c: Page,
    pub v: LiveView,
}

/// The logged-in projector: the room screen (see `crate::room`), one screen
/// whether it is opened with a projector link or from the console.
pub async fn projector(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    a: OrgAccess,
    headers: HeaderMap,
    Path((_org, id)): Path<(i64, i64)>,
) -> AppResult<Response> {
    crate::room::projector_page(&state, &ctx, &a, &headers, id).await
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
                Ok(LiveEvent::Results) if projector => {
                    Event::default().event("results").data("results")
                }
                // Everyone: the room screen redraws, phones show the countdown
                // ("phase ends_at" in UTC seconds, or "none").
                Ok(LiveEvent::Screen(countdown)) => Event::default()
                    .event("countdown")
                    .data(crate::room::countdown_event(countdown)),
                Ok(LiveEvent::Snapshot(_))
                | Ok(LiveEvent::Counts { .. })
                | Ok(LiveEvent::Results) => continue,
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
    /// The least votes for a statement to be ranked by its share.
    pub min_votes: u32,
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
            min_votes: koers_core::sessie::tally::MIN_VOTES_TO_RANK,
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
    use crate::export::SessionData;
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
    let rule = state.config.anonymity();
    let url = join_url(&state, &headers, &session.join_code);
    // Building a file is CPU work that grows with the session: off the async
    // workers, so a large export never stalls the room's other requests.
    let (body, mime, name) = tokio::task::spawn_blocking(move || {
        build_download(&data, &file, locale, &rule, &slug, &url)
    })
    .await
    .map_err(|e| AppError::Internal(anyhow::anyhow!("export task: {e}")))??;
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

/// One download's bytes, content type and file name.
fn build_download(
    data: &crate::export::SessionData,
    file: &str,
    locale: koers_web::i18n::Locale,
    rule: &AnonymityRule,
    slug: &str,
    url: &str,
) -> AppResult<(Vec<u8>, &'static str, String)> {
    use crate::export;
    let too_large = |e: export::TableError| AppError::Internal(anyhow::anyhow!("{e}"));
    let workbook = || export::results_workbook(data, locale, rule);
    Ok(match file {
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
        "polis.zip" => (
            export::polis::polis_export(data, url, rule)
                .zip()
                .map_err(too_large)?,
            koers_tables::zip::MIME,
            format!("{slug}-polis.zip"),
        ),
        other => {
            let files = export::polis::polis_export(data, url, rule);
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
    })
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
