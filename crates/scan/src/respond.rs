//! The answer form: a personal link (`/scan/{token}`) or the open link
//! (`/scan/open/{token}` → the respondent chooses a perspective → a resume key in
//! the URL, `/scan/open/{token}/{key}`). One page per dimension with a progress
//! bar; "Opslaan en later verder" saves a draft and shows the link to come back
//! to; the last page sends the answers. A second send is the same thanks page. A
//! link that is unknown, revoked or tampered with, a wave not yet open and a
//! closed wave each get a friendly page without a login link.
//!
//! The secret in the path is the key: the personal token names one invitation,
//! the open-link token one wave, the resume key one draft of that wave.

use crate::waves::wave_model;
use askama::Template;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use koers_core::scan::{
    field_name, grid_field_name, Answer, AnswerError, Answers, GridColumn, LikertAnswer, Mode,
    Model, QuestionKind, Tri,
};
use koers_store::{Perspective, Submission, SubmitOutcome, Via, Wave, WaveStatus};
use koers_web::auth::{new_token, token_hash};
use koers_web::ctx::{Ctx, Form, Path, RequestCtx};
use koers_web::error::{AppError, AppResult};
use koers_web::part::{Access, Route};
use koers_web::templates::{render, FormErrors, Page};
use koers_web::{redirect, AppState};
use serde::Deserialize;

const PERSONAL: Access = Access::Secret {
    reason: "a respondent answers without an account: the personal link's unguessable token (only its SHA-256 is stored) names one invitation of one wave; it records completion, and in an anonymous wave the answers carry no link to it",
};
const OPEN: Access = Access::Secret {
    reason: "the open link of one wave: its unguessable token (only its SHA-256 is stored) lets anyone with it choose a perspective and answer; the beheerder can revoke it, and the resume key in the path names one draft",
};

pub(crate) fn routes() -> Vec<Route> {
    vec![
        Route::get("/scan/{token}", PERSONAL, personal_page),
        Route::post("/scan/{token}", PERSONAL, personal_post),
        Route::get("/scan/open/{token}", OPEN, open_start),
        Route::post("/scan/open/{token}", OPEN, open_choose),
        Route::get("/scan/open/{token}/{key}", OPEN, open_page),
        Route::post("/scan/open/{token}/{key}", OPEN, open_post),
    ]
}

/// Tokens and keys are 43 characters of base64url; anything much longer is not
/// one of ours and is not even hashed.
fn plausible(token: &str) -> bool {
    !token.is_empty()
        && token.len() <= 64
        && token
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// The respondent behind a link.
struct Respondent {
    wave: Wave,
    perspective: Perspective,
    via: Via,
    key_hash: String,
    /// The form's own address (personal link or open link with key).
    path: String,
    completed: bool,
}

/// Why a link leads to no form.
enum Gone {
    Unknown,
    NotOpen,
    Closed,
    Thanks,
}

async fn personal(state: &AppState, token: &str) -> AppResult<Result<Respondent, Gone>> {
    if !plausible(token) {
        return Ok(Err(Gone::Unknown));
    }
    let hash = token_hash(token);
    let Some(r) = state.store.scan().respondent_by_token(&hash).await? else {
        return Ok(Err(Gone::Unknown));
    };
    Ok(Ok(Respondent {
        completed: r.completed,
        via: Via::Invitation(r.invitation_id),
        wave: r.wave,
        perspective: r.perspective,
        key_hash: hash,
        path: format!("/scan/{token}"),
    }))
}

async fn open_wave(state: &AppState, token: &str) -> AppResult<Option<Wave>> {
    if !plausible(token) {
        return Ok(None);
    }
    state
        .store
        .scan()
        .wave_by_open_link(&token_hash(token))
        .await
        .map_err(Into::into)
}

async fn open_respondent(
    state: &AppState,
    token: &str,
    key: &str,
) -> AppResult<Result<Respondent, Gone>> {
    let Some(wave) = open_wave(state, token).await? else {
        return Ok(Err(Gone::Unknown));
    };
    if !plausible(key) {
        return Ok(Err(Gone::Unknown));
    }
    let key_hash = token_hash(key);
    let scan = state.store.scan();
    let Some(draft) = scan.draft(wave.scope, &key_hash).await? else {
        if scan.submitted(wave.scope, &key_hash).await? {
            return Ok(Err(Gone::Thanks));
        }
        return Ok(Err(Gone::Unknown));
    };
    let Some(perspective) = scan
        .perspectives(wave.scope)
        .await?
        .into_iter()
        .find(|p| p.id == draft.perspective_id)
    else {
        return Ok(Err(Gone::Unknown));
    };
    Ok(Ok(Respondent {
        wave,
        perspective,
        via: Via::OpenLink,
        key_hash,
        path: format!("/scan/open/{token}/{key}"),
        completed: false,
    }))
}

/// The state of the wave decides before anything else is shown.
fn usable(r: Result<Respondent, Gone>) -> Result<Respondent, Gone> {
    let r = r?;
    if r.completed {
        return Err(Gone::Thanks);
    }
    match r.wave.status {
        WaveStatus::Concept => Err(Gone::NotOpen),
        WaveStatus::Closed => Err(Gone::Closed),
        WaveStatus::Open => Ok(r),
    }
}

// ---------------------------------------------------------------- messages

#[derive(Template)]
#[template(path = "respond_message.html")]
pub struct MessageTpl {
    pub c: Page,
    pub message: String,
    /// The link to come back to, after saving.
    pub resume: String,
}

fn gone_page(state: &AppState, ctx: &RequestCtx, gone: Gone) -> Response {
    let (status, title, message) = match gone {
        Gone::Unknown => (
            StatusCode::NOT_FOUND,
            "scan-gone-unknown-title",
            "scan-gone-unknown",
        ),
        Gone::NotOpen => (
            StatusCode::OK,
            "scan-gone-not-open-title",
            "scan-gone-not-open",
        ),
        Gone::Closed => (StatusCode::GONE, "scan-gone-closed-title", "scan-gone-closed"),
        Gone::Thanks => (StatusCode::OK, "scan-thanks-title", "scan-thanks"),
    };
    let c = Page::new(state, ctx, title).without_login();
    let message = c.t(message);
    render(
        status,
        &MessageTpl {
            c,
            message,
            resume: String::new(),
        },
    )
}

// ---------------------------------------------------------------- the form

/// One answer control: a checkbox or radio button.
pub struct OptView {
    pub id: String,
    pub name: String,
    pub value: String,
    pub label: String,
    pub checked: bool,
}

/// A row of a grid, adoption or tristate question.
pub struct RowView {
    pub id: String,
    pub label: String,
    pub cells: Vec<OptView>,
}

pub struct LevelView {
    pub label: String,
    pub criteria: Vec<OptView>,
}

pub struct QuestionView {
    /// The HTML id of the question's fieldset (the error summary links to it).
    pub id: String,
    /// checklist | grid | adoption | tristate | single_choice | likert |
    /// gated_level | text
    pub kind: &'static str,
    pub text: String,
    pub help: String,
    pub required: bool,
    pub error: String,
    pub options: Vec<OptView>,
    pub not_applicable: Vec<OptView>,
    pub rows: Vec<RowView>,
    pub levels: Vec<LevelView>,
    /// The free text's field name and value.
    pub name: String,
    pub value: String,
}

#[derive(Template)]
#[template(path = "respond_form.html")]
pub struct FormTpl {
    pub c: Page,
    pub action: String,
    pub step: usize,
    pub steps: usize,
    pub progress: String,
    pub dimension: String,
    pub description: String,
    pub questions: Vec<QuestionView>,
    pub errors: FormErrors,
    pub first: bool,
    pub last: bool,
    /// On the first page: what is stored and what is not.
    pub intro: String,
    pub perspective: String,
    pub wave_title: String,
    /// Required questions left on earlier pages: (anchor id, href, text).
    pub step_links: Vec<(String, String, String)>,
}

/// The pages of a model: its dimensions that have questions, in order.
fn pages(model: &Model) -> Vec<(&str, Vec<&str>)> {
    model
        .dimensions
        .iter()
        .map(|d| {
            (
                d.id.as_str(),
                model
                    .questions_of(&d.id)
                    .map(|q| q.id.as_str())
                    .collect::<Vec<_>>(),
            )
        })
        .filter(|(_, qs)| !qs.is_empty())
        .collect()
}

fn opt(id: String, name: String, value: &str, label: String, checked: bool) -> OptView {
    OptView {
        id,
        name,
        value: value.to_owned(),
        label,
        checked,
    }
}

/// A form-safe HTML id from a field name (`:` is fine in ids but not in CSS
/// selectors people write; keep it plain).
fn html_id(name: &str) -> String {
    format!(
        "f-{}",
        name.chars()
            .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
            .collect::<String>()
    )
}

fn question_views(
    c: &Page,
    model: &Model,
    qids: &[&str],
    answers: &Answers,
    rates_self: bool,
    errors: &[AnswerError],
) -> Vec<QuestionView> {
    let lang = c.lang();
    let mut out = Vec::new();
    for q in qids.iter().filter_map(|id| model.question(id)) {
        let a = answers.get(&q.id);
        let id = format!("q-{}", q.id);
        let mut v = QuestionView {
            id: id.clone(),
            kind: q.kind.type_name(),
            text: q.wording(rates_self).get(lang).to_owned(),
            help: q
                .help
                .as_ref()
                .map(|h| h.get(lang).to_owned())
                .unwrap_or_default(),
            required: q.required,
            error: errors
                .iter()
                .find(|e| e.question == q.id)
                .map(|e| c.t(e.key))
                .unwrap_or_default(),
            options: Vec::new(),
            not_applicable: Vec::new(),
            rows: Vec::new(),
            levels: Vec::new(),
            name: field_name(q, None),
            value: String::new(),
        };
        match &q.kind {
            QuestionKind::Checklist { options } => {
                for o in options {
                    let name = field_name(q, Some(&o.id));
                    let checked = matches!(a, Some(Answer::Checklist(s)) if s.contains(&o.id));
                    v.options.push(opt(
                        html_id(&name),
                        name,
                        "1",
                        o.label.get(lang).to_owned(),
                        checked,
                    ));
                }
            }
            QuestionKind::SingleChoice { options } => {
                for o in options {
                    let checked = matches!(a, Some(Answer::SingleChoice(s)) if *s == o.id);
                    v.options.push(opt(
                        html_id(&format!("{}:{}", q.id, o.id)),
                        field_name(q, None),
                        &o.id,
                        o.label.get(lang).to_owned(),
                        checked,
                    ));
                }
            }
            QuestionKind::Likert { scale, .. } => {
                for p in &scale.points {
                    let checked = matches!(a, Some(Answer::Likert(LikertAnswer::Point(v))) if *v == p.value);
                    v.options.push(opt(
                        html_id(&format!("{}:{}", q.id, p.id)),
                        field_name(q, None),
                        &p.id,
                        p.label.get(lang).to_owned(),
                        checked,
                    ));
                }
                for n in &scale.not_applicable {
                    let checked = matches!(a, Some(Answer::Likert(LikertAnswer::NotApplicable(x))) if *x == n.id);
                    v.not_applicable.push(opt(
                        html_id(&format!("{}:{}", q.id, n.id)),
                        field_name(q, None),
                        &n.id,
                        n.label.get(lang).to_owned(),
                        checked,
                    ));
                }
            }
            QuestionKind::Grid { rows } => {
                for r in rows {
                    let cell = match a {
                        Some(Answer::Grid(m)) => m.get(&r.id).copied().unwrap_or_default(),
                        _ => Default::default(),
                    };
                    let mut cells = Vec::new();
                    for (col, checked, key) in [
                        (GridColumn::Planned, cell.planned, "scan-grid-planned"),
                        (
                            GridColumn::Implemented,
                            cell.implemented,
                            "scan-grid-implemented",
                        ),
                    ] {
                        let name = grid_field_name(q, &r.id, col);
                        cells.push(opt(html_id(&name), name, "1", c.t(key), checked));
                    }
                    v.rows.push(RowView {
                        id: html_id(&format!("{}:{}", q.id, r.id)),
                        label: r.label.get(lang).to_owned(),
                        cells,
                    });
                }
            }
            QuestionKind::Adoption { rows } => {
                for r in rows {
                    let name = field_name(q, Some(&r.id));
                    let chosen = match a {
                        Some(Answer::Adoption(m)) => m.get(&r.id).copied(),
                        _ => None,
                    };
                    let cells = (0u8..=5)
                        .map(|n| {
                            let value = n.to_string();
                            opt(
                                html_id(&format!("{name}:{n}")),
                                name.clone(),
                                &value,
                                c.t(&format!("scan-adoption-{n}")),
                                chosen == Some(n),
                            )
                        })
                        .collect();
                    v.rows.push(RowView {
                        id: html_id(&name),
                        label: r.label.get(lang).to_owned(),
                        cells,
                    });
                }
            }
            QuestionKind::Tristate { rows } => {
                for r in rows {
                    let name = field_name(q, Some(&r.id));
                    let chosen = match a {
                        Some(Answer::Tristate(m)) => m.get(&r.id).copied(),
                        _ => None,
                    };
                    let cells = [Tri::Nee, Tri::Deels, Tri::Ja]
                        .into_iter()
                        .map(|t| {
                            opt(
                                html_id(&format!("{name}:{}", t.field())),
                                name.clone(),
                                t.field(),
                                c.t(&format!("scan-tri-{}", t.field())),
                                chosen == Some(t),
                            )
                        })
                        .collect();
                    v.rows.push(RowView {
                        id: html_id(&name),
                        label: r.label.get(lang).to_owned(),
                        cells,
                    });
                }
            }
            QuestionKind::GatedLevel { levels } => {
                for (i, l) in levels.iter().enumerate() {
                    let criteria = l
                        .criteria
                        .iter()
                        .map(|cr| {
                            let name = field_name(q, Some(&cr.id));
                            let checked =
                                matches!(a, Some(Answer::GatedLevel(s)) if s.contains(&cr.id));
                            opt(
                                html_id(&name),
                                name,
                                "1",
                                cr.label.get(lang).to_owned(),
                                checked,
                            )
                        })
                        .collect();
                    v.levels.push(LevelView {
                        label: format!(
                            "{} {}: {}",
                            c.t("scan-level"),
                            i + 1,
                            l.label.get(lang)
                        ),
                        criteria,
                    });
                }
            }
            QuestionKind::Text => {
                if let Some(Answer::Text(t)) = a {
                    v.value = t.clone();
                }
            }
        }
        out.push(v);
    }
    out
}

fn intro(c: &Page, model: &Model, wave: &Wave) -> String {
    if model.meta.mode == Mode::KeyInformant {
        c.t("scan-intro-key-informant")
    } else if wave.anonymous {
        c.t("scan-intro-anonymous")
    } else {
        c.t("scan-intro-named")
    }
}

#[allow(clippy::too_many_arguments)]
fn form_page(
    state: &AppState,
    ctx: &RequestCtx,
    r: &Respondent,
    model: &Model,
    step: usize,
    answers: &Answers,
    errors: &[AnswerError],
    extra_errors: Vec<(String, String)>,
    status: StatusCode,
) -> Response {
    let pages = pages(model);
    let steps = pages.len().max(1);
    let step = step.clamp(1, steps);
    let mut c = Page::new(state, ctx, "scan-form-title")
        .without_login()
        .with_title(r.wave.title.clone());
    let lang = c.lang();
    let (dimension, qids) = pages
        .get(step - 1)
        .map(|(d, q)| (*d, q.clone()))
        .unwrap_or(("", Vec::new()));
    let dim = model.dimension(dimension);
    let questions = question_views(
        &c,
        model,
        &qids,
        answers,
        r.perspective.rates_self,
        errors,
    );
    let mut form_errors = FormErrors::default();
    for q in &questions {
        if !q.error.is_empty() {
            form_errors.items.push((q.id.clone(), q.error.clone()));
        }
    }
    let step_links = extra_errors
        .iter()
        .map(|(id, text)| {
            let n = id.trim_start_matches("stap-");
            (id.clone(), format!("{}?stap={n}", r.path), text.clone())
        })
        .collect();
    form_errors.items.extend(extra_errors);
    let progress = c.tr.t_with(
        "scan-step-of",
        &[
            ("step", koers_web::i18n::FluentValue::from(step)),
            ("steps", koers_web::i18n::FluentValue::from(steps)),
        ],
    );
    let label = dim.map(|d| d.label.get(lang).to_owned()).unwrap_or_default();
    c.title = format!("{label} — {}", r.wave.title);
    let tpl = FormTpl {
        action: r.path.clone(),
        step,
        steps,
        progress,
        dimension: label,
        description: dim
            .and_then(|d| d.description.as_ref())
            .map(|t| t.get(lang).to_owned())
            .unwrap_or_default(),
        questions,
        errors: form_errors,
        first: step == 1,
        last: step == steps,
        intro: if step == 1 {
            intro(&c, model, &r.wave)
        } else {
            String::new()
        },
        perspective: r.perspective.name.clone(),
        wave_title: r.wave.title.clone(),
        step_links,
        c,
    };
    render(status, &tpl)
}

fn draft_answers(json: Option<&str>) -> Answers {
    json.and_then(|j| serde_json::from_str(j).ok())
        .unwrap_or_default()
}

#[derive(Deserialize)]
pub struct StepQuery {
    #[serde(default)]
    stap: Option<String>,
}

fn step_of(s: Option<&str>) -> usize {
    s.and_then(|s| s.trim().parse::<usize>().ok()).unwrap_or(1)
}

async fn show(
    state: &AppState,
    ctx: &RequestCtx,
    found: Result<Respondent, Gone>,
    step: usize,
) -> AppResult<Response> {
    let r = match usable(found) {
        Ok(r) => r,
        Err(g) => return Ok(gone_page(state, ctx, g)),
    };
    let model = wave_model(&r.wave)?;
    let draft = state
        .store
        .scan()
        .draft(r.wave.scope, &r.key_hash)
        .await?;
    let answers = draft_answers(draft.as_ref().map(|d| d.answers.as_str()));
    Ok(form_page(
        state,
        ctx,
        &r,
        &model,
        step,
        &answers,
        &[],
        Vec::new(),
        StatusCode::OK,
    ))
}

/// Reads one page's fields as far as they are valid: the answers to keep (every
/// question whose fields parse) and the problems. A required question left
/// empty is a problem for "Volgende" and "Versturen", not for saving.
fn read_page(
    model: &Model,
    page: &[&str],
    fields: &[(String, String)],
) -> (Answers, Vec<AnswerError>) {
    match Answers::from_page(model, page, fields) {
        Ok(a) => (a, Vec::new()),
        Err(errors) => {
            // Leave out the questions with a problem, and read the rest again.
            let bad: Vec<&str> = errors.iter().map(|e| e.question.as_str()).collect();
            let rest: Vec<&str> = page.iter().copied().filter(|q| !bad.contains(q)).collect();
            let kept: Vec<(String, String)> = fields
                .iter()
                .filter(|(name, _)| {
                    let qid = name.split(':').next().unwrap_or("");
                    !bad.contains(&qid)
                })
                .cloned()
                .collect();
            let answers = Answers::from_page(model, &rest, &kept).unwrap_or_default();
            (answers, errors)
        }
    }
}

async fn post(
    state: &AppState,
    ctx: &RequestCtx,
    headers: &HeaderMap,
    found: Result<Respondent, Gone>,
    fields: Vec<(String, String)>,
) -> AppResult<Response> {
    let r = match usable(found) {
        Ok(r) => r,
        Err(g) => return Ok(gone_page(state, ctx, g)),
    };
    let model = wave_model(&r.wave)?;
    let pages = pages(&model);
    let steps = pages.len().max(1);
    let step = step_of(
        fields
            .iter()
            .find(|(k, _)| k == "stap")
            .map(|(_, v)| v.as_str()),
    )
    .clamp(1, steps);
    let action = fields
        .iter()
        .find(|(k, _)| k == "actie")
        .map_or("volgende", |(_, v)| v.as_str())
        .to_owned();
    let page: Vec<&str> = pages
        .get(step - 1)
        .map(|(_, q)| q.clone())
        .unwrap_or_default();
    let scan = state.store.scan();
    let draft = scan.draft(r.wave.scope, &r.key_hash).await?;
    let mut answers = draft_answers(draft.as_ref().map(|d| d.answers.as_str()));
    let (page_answers, problems) = read_page(&model, &page, &fields);
    answers.merge_page(&page, page_answers);
    let json = serde_json::to_string(&answers)
        .map_err(|e| AppError::Internal(anyhow::anyhow!("answers to JSON: {e}")))?;
    let now = state.now();
    // Only invalid values stop a save; a required question may wait.
    let invalid: Vec<AnswerError> = problems
        .iter()
        .filter(|e| e.key != "scan-error-required")
        .cloned()
        .collect();
    match action.as_str() {
        "opslaan" | "vorige" => {
            scan.save_draft(r.wave.scope, &r.key_hash, r.perspective.id, &json, now)
                .await?;
            if !invalid.is_empty() {
                return Ok(form_page(
                    state,
                    ctx,
                    &r,
                    &model,
                    step,
                    &answers,
                    &invalid,
                    Vec::new(),
                    StatusCode::UNPROCESSABLE_ENTITY,
                ));
            }
            if action == "vorige" {
                return Ok(redirect(&format!(
                    "{}?stap={}",
                    r.path,
                    step.saturating_sub(1).max(1)
                )));
            }
            let c = Page::new(state, ctx, "scan-saved-title").without_login();
            let message = c.t("scan-saved");
            let resume = format!(
                "{}{}?stap={step}",
                state.base_url(headers),
                r.path
            );
            Ok(render(
                StatusCode::OK,
                &MessageTpl {
                    c,
                    message,
                    resume,
                },
            ))
        }
        "versturen" if step == steps => {
            scan.save_draft(r.wave.scope, &r.key_hash, r.perspective.id, &json, now)
                .await?;
            if !problems.is_empty() {
                return Ok(form_page(
                    state,
                    ctx,
                    &r,
                    &model,
                    step,
                    &answers,
                    &problems,
                    Vec::new(),
                    StatusCode::UNPROCESSABLE_ENTITY,
                ));
            }
            // Required questions on earlier pages: name the page to go back to.
            let missing = answers.missing_required(&model, None);
            if !missing.is_empty() {
                let c = Page::new(state, ctx, "scan-form-title");
                let mut extra = Vec::new();
                for e in &missing {
                    let Some(n) = pages
                        .iter()
                        .position(|(_, qs)| qs.contains(&e.question.as_str()))
                    else {
                        continue;
                    };
                    let text = model
                        .question(&e.question)
                        .map(|q| q.wording(r.perspective.rates_self).get(c.lang()).to_owned())
                        .unwrap_or_default();
                    extra.push((
                        format!("stap-{}", n + 1),
                        c.tr.t_with(
                            "scan-error-required-on-step",
                            &[
                                ("step", koers_web::i18n::FluentValue::from(n + 1)),
                                ("question", koers_web::i18n::FluentValue::from(text)),
                            ],
                        ),
                    ));
                }
                return Ok(form_page(
                    state,
                    ctx,
                    &r,
                    &model,
                    step,
                    &answers,
                    &[],
                    extra,
                    StatusCode::UNPROCESSABLE_ENTITY,
                ));
            }
            let day = today(state, now);
            let outcome = scan
                .submit(
                    r.wave.scope,
                    &Submission {
                        via: r.via,
                        key_hash: &r.key_hash,
                        perspective_id: r.perspective.id,
                        answers: &json,
                        completed_on: &day,
                    },
                )
                .await?;
            Ok(match outcome {
                SubmitOutcome::Stored | SubmitOutcome::AlreadySubmitted => {
                    gone_page(state, ctx, Gone::Thanks)
                }
                SubmitOutcome::WaveNotOpen => gone_page(state, ctx, Gone::Closed),
            })
        }
        _ => {
            // "Volgende" (and "Versturen" sent from a page that is not the last).
            scan.save_draft(r.wave.scope, &r.key_hash, r.perspective.id, &json, now)
                .await?;
            if !problems.is_empty() {
                return Ok(form_page(
                    state,
                    ctx,
                    &r,
                    &model,
                    step,
                    &answers,
                    &problems,
                    Vec::new(),
                    StatusCode::UNPROCESSABLE_ENTITY,
                ));
            }
            Ok(redirect(&format!(
                "{}?stap={}",
                r.path,
                (step + 1).min(steps)
            )))
        }
    }
}

/// Today in the installation's time zone, as `YYYY-MM-DD`.
fn today(state: &AppState, now: i64) -> String {
    match jiff::Timestamp::from_second(now) {
        Ok(t) => {
            let d = state.time_zone.to_datetime(t);
            format!("{:04}-{:02}-{:02}", d.year(), d.month(), d.day())
        }
        Err(_) => "1970-01-01".into(),
    }
}

// ---------------------------------------------------------------- handlers

#[derive(Deserialize)]
pub struct TokenPath {
    token: String,
}

#[derive(Deserialize)]
pub struct KeyPath {
    token: String,
    key: String,
}

pub async fn personal_page(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    Path(p): Path<TokenPath>,
    Query(q): Query<StepQuery>,
) -> AppResult<Response> {
    let found = personal(&state, &p.token).await?;
    show(&state, &ctx, found, step_of(q.stap.as_deref())).await
}

pub async fn personal_post(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    headers: HeaderMap,
    Path(p): Path<TokenPath>,
    Form(fields): Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    let found = personal(&state, &p.token).await?;
    post(&state, &ctx, &headers, found, fields).await
}

pub async fn open_page(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    Path(p): Path<KeyPath>,
    Query(q): Query<StepQuery>,
) -> AppResult<Response> {
    let found = open_respondent(&state, &p.token, &p.key).await?;
    show(&state, &ctx, found, step_of(q.stap.as_deref())).await
}

pub async fn open_post(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    headers: HeaderMap,
    Path(p): Path<KeyPath>,
    Form(fields): Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    let found = open_respondent(&state, &p.token, &p.key).await?;
    post(&state, &ctx, &headers, found, fields).await
}

pub struct PerspectiveChoice {
    pub id: i64,
    pub name: String,
}

#[derive(Template)]
#[template(path = "respond_choose.html")]
pub struct ChooseTpl {
    pub c: Page,
    pub action: String,
    pub perspectives: Vec<PerspectiveChoice>,
    pub error: String,
    pub intro: String,
}

async fn choose_page(
    state: &AppState,
    ctx: &RequestCtx,
    token: &str,
    error: bool,
) -> AppResult<Response> {
    let wave = match open_wave(state, token).await? {
        None => return Ok(gone_page(state, ctx, Gone::Unknown)),
        Some(w) if w.status == WaveStatus::Concept => {
            return Ok(gone_page(state, ctx, Gone::NotOpen))
        }
        Some(w) if w.status == WaveStatus::Closed => {
            return Ok(gone_page(state, ctx, Gone::Closed))
        }
        Some(w) => w,
    };
    let model = wave_model(&wave)?;
    let c = Page::new(state, ctx, "scan-choose-title")
        .without_login()
        .with_title(wave.title.clone());
    let perspectives = state
        .store
        .scan()
        .perspectives(wave.scope)
        .await?
        .into_iter()
        .map(|p| PerspectiveChoice {
            id: p.id.0,
            name: p.name,
        })
        .collect();
    let error = if error {
        c.t("scan-error-choose-perspective")
    } else {
        String::new()
    };
    let intro = intro(&c, &model, &wave);
    Ok(render(
        if error.is_empty() {
            StatusCode::OK
        } else {
            StatusCode::UNPROCESSABLE_ENTITY
        },
        &ChooseTpl {
            c,
            action: format!("/scan/open/{token}"),
            perspectives,
            error,
            intro,
        },
    ))
}

pub async fn open_start(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    Path(p): Path<TokenPath>,
) -> AppResult<Response> {
    choose_page(&state, &ctx, &p.token, false).await
}

#[derive(Deserialize)]
pub struct ChooseForm {
    #[serde(default)]
    perspective: String,
}

pub async fn open_choose(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    Path(p): Path<TokenPath>,
    Form(f): Form<ChooseForm>,
) -> AppResult<Response> {
    let Some(wave) = open_wave(&state, &p.token).await? else {
        return Ok(gone_page(&state, &ctx, Gone::Unknown));
    };
    if wave.status != WaveStatus::Open {
        return choose_page(&state, &ctx, &p.token, false).await;
    }
    let perspectives = state.store.scan().perspectives(wave.scope).await?;
    let Some(perspective) = perspectives
        .iter()
        .find(|x| x.id.0.to_string() == f.perspective.trim())
    else {
        return choose_page(&state, &ctx, &p.token, true).await;
    };
    let key = new_token();
    state
        .store
        .scan()
        .save_draft(
            wave.scope,
            &token_hash(&key),
            perspective.id,
            "{}",
            state.now(),
        )
        .await?;
    Ok(redirect(&format!("/scan/open/{}/{key}", p.token)))
}
