//! Waves: starting one on a model, perspectives, opening, invitations, reminders,
//! the open link; and the model registry (the built-in models plus the files in
//! `scan.models_dir`), checked at start against the open waves.
//!
//! A wave keeps its model file as it was when the wave was made
//! (`scan_waves.model_source`), so a wave always scores with its own model; the
//! registry only offers models for new waves.

use askama::Template;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use koers_core::scan::{builtin_models, Mode, Model};
use koers_core::{Email, Role};
use koers_store::{
    NewPerspective, NewScanInvitation, NewWave, OrgScope, Perspective, ScanInvitation, StoreError,
    Wave, WaveId, WaveStatus,
};
use koers_web::auth::{new_token, token_hash};
use koers_web::ctx::{Ctx, Form, Path, RequestCtx};
use koers_web::error::{AppError, AppResult};
use koers_web::i18n::{FluentValue, Tr};
use koers_web::mail::{Mail, MailOutcome};
use koers_web::part::{Access, Card, OrgAccess, PartState, Route};
use koers_web::templates::{render, Choice, FormErrors, Page};
use koers_web::{audit, redirect, AppState};
use serde::Deserialize;
use std::path::Path as FsPath;
use std::sync::Arc;

// ---------------------------------------------------------------- models

/// One model on offer for new waves, and the file it came from.
pub struct ModelEntry {
    /// Where it came from: `ingebouwd:<name>` or the file's path.
    pub file: String,
    pub model: Model,
}

/// Scan's state in the running server: the models on offer.
pub struct ScanState {
    pub models: Vec<ModelEntry>,
    /// Imported files waiting for their column mapping.
    pub uploads: crate::import::Uploads,
    /// New respondents on open links per client address per minute, so that a
    /// link posted publicly cannot be used to fill the database with drafts.
    pub open_limiter: koers_web::auth::RateLimiter,
    /// Computed results per wave (see `results`).
    pub results: crate::results::ResultsCache,
}

impl ScanState {
    /// The model with this id and version.
    pub fn model(&self, id: &str, version: &str) -> Option<&Model> {
        self.models
            .iter()
            .map(|e| &e.model)
            .find(|m| m.id() == id && m.version() == version)
    }
}

pub(crate) fn scan_state(state: &AppState) -> AppResult<Arc<ScanState>> {
    state
        .part_state::<ScanState>()
        .ok_or_else(|| AppError::Internal(anyhow::anyhow!("Scan is not started")))
}

/// Why the start was refused because of a model file.
#[derive(Debug, thiserror::Error)]
pub enum ModelsError {
    #[error(
        "scan.models_dir {dir}: de map is niet te lezen / the directory cannot be read: {reason}"
    )]
    Dir { dir: String, reason: String },
    #[error("{file}: het modelbestand is niet te lezen / the model file cannot be read: {reason}")]
    Read { file: String, reason: String },
    #[error("modelbestand / model file {0}")]
    Invalid(String),
    #[error("{file} en / and {other}: twee modelbestanden met hetzelfde id en dezelfde versie ({id} {version}) / two model files with the same id and version; geef een van beide een nieuwe versie / give one of them a new version")]
    Duplicate {
        file: String,
        other: String,
        id: String,
        version: String,
    },
    #[error("{file}: model {id} versie / version {version} is gewijzigd terwijl golf {wave} (\"{title}\", organisatie / organisation {org}) erop open staat / was changed while wave {wave} on it is open; zet het oorspronkelijke bestand terug, of geef het gewijzigde bestand een nieuwe versie (bijvoorbeeld {id} {version}.1) / restore the original file, or give the changed file a new version")]
    ChangedUnderOpenWave {
        file: String,
        id: String,
        version: String,
        wave: i64,
        title: String,
        org: i64,
    },
}

/// Reads the built-in models and the `*.toml` files in `dir` (if any). A file
/// that does not parse, or two files with the same id and version, refuse.
pub fn load_models(dir: &FsPath) -> Result<Vec<ModelEntry>, ModelsError> {
    let mut out: Vec<ModelEntry> = builtin_models()
        .into_iter()
        .map(|m| ModelEntry {
            file: format!("ingebouwd / built-in: {}", m.id()),
            model: m,
        })
        .collect();
    if !dir.as_os_str().is_empty() {
        let entries = std::fs::read_dir(dir).map_err(|e| ModelsError::Dir {
            dir: dir.display().to_string(),
            reason: e.to_string(),
        })?;
        let mut files: Vec<std::path::PathBuf> = entries
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "toml"))
            .collect();
        files.sort();
        for path in files {
            let file = path.display().to_string();
            let source = std::fs::read_to_string(&path).map_err(|e| ModelsError::Read {
                file: file.clone(),
                reason: e.to_string(),
            })?;
            let model =
                Model::parse(&file, &source).map_err(|e| ModelsError::Invalid(e.to_string()))?;
            if let Some(other) = out
                .iter()
                .find(|e| e.model.id() == model.id() && e.model.version() == model.version())
            {
                return Err(ModelsError::Duplicate {
                    file,
                    other: other.file.clone(),
                    id: model.id().to_owned(),
                    version: model.version().to_owned(),
                });
            }
            out.push(ModelEntry { file, model });
        }
    }
    Ok(out)
}

/// The start-up check: a model on offer whose id and version match an open
/// wave's but whose contents differ is refused, naming the file and the wave.
pub async fn check_models(store: &koers_store::Store, models: &[ModelEntry]) -> anyhow::Result<()> {
    for e in models {
        for w in store.scan().open_waves_on_model(e.model.id()).await? {
            if w.model_version == e.model.version() && w.model_hash != e.model.hash() {
                return Err(ModelsError::ChangedUnderOpenWave {
                    file: e.file.clone(),
                    id: w.model_id.clone(),
                    version: w.model_version.clone(),
                    wave: w.id.0,
                    title: w.title.clone(),
                    org: w.organisation_id.0,
                }
                .into());
            }
        }
    }
    Ok(())
}

/// Starts Scan: loads and checks the models.
pub(crate) async fn start(state: &AppState) -> anyhow::Result<Option<PartState>> {
    let models = load_models(&state.config.scan.models_dir)?;
    check_models(&state.store, &models).await?;
    Ok(Some(Arc::new(ScanState {
        models,
        uploads: Default::default(),
        open_limiter: koers_web::auth::RateLimiter::new(
            60,
            state.config.security.joins_per_address_per_minute,
        ),
        results: Default::default(),
    })))
}

/// The wave's own model, from the file it keeps.
pub(crate) fn wave_model(w: &Wave) -> AppResult<Model> {
    Model::parse(&format!("golf / wave {}", w.id), &w.model_source)
        .map_err(|e| AppError::Internal(anyhow::anyhow!("the stored model of wave {}: {e}", w.id)))
}

// ---------------------------------------------------------------- routes

pub(crate) fn routes() -> Vec<Route> {
    let lid = Access::Org(Role::Lid);
    let beheer = Access::Org(Role::Beheerder);
    vec![
        Route::get("/organisaties/{org}/scans", lid, list),
        Route::get("/organisaties/{org}/scans/nieuw", beheer, new_form),
        Route::post("/organisaties/{org}/scans/nieuw", beheer, create),
        Route::get("/organisaties/{org}/scans/{wave}", beheer, wave_page),
        Route::post("/organisaties/{org}/scans/{wave}/openen", beheer, open),
        Route::post(
            "/organisaties/{org}/scans/{wave}/uitnodigingen",
            beheer,
            invite,
        ),
        Route::post(
            "/organisaties/{org}/scans/{wave}/herinneringen",
            beheer,
            remind,
        ),
        Route::post(
            "/organisaties/{org}/scans/{wave}/open-link",
            beheer,
            open_link,
        ),
    ]
}

/// A wave of the organisation the access check admitted; another
/// organisation's wave id answers 404.
pub(crate) async fn wave_of(state: &AppState, scope: &OrgScope, id: i64) -> AppResult<Wave> {
    Ok(state.store.scan().wave(scope, WaveId(id)).await?)
}

pub(crate) fn status_label(tr: &Tr, s: WaveStatus) -> String {
    tr.t(&format!("scan-status-{}", s.as_str()))
}

// ---------------------------------------------------------------- list

pub struct WaveRow {
    pub id: i64,
    pub title: String,
    pub model: String,
    pub status: String,
    pub created: String,
    pub opened: String,
    pub closed: String,
}

#[derive(Template)]
#[template(path = "wave_list.html")]
pub struct WaveListTpl {
    pub c: Page,
    pub org_id: i64,
    pub org_name: String,
    pub can_manage: bool,
    pub waves: Vec<WaveRow>,
}

fn model_label(w: &Wave, lang: &str) -> String {
    match wave_model(w) {
        Ok(m) => format!("{} ({})", m.meta.title.get(lang), m.version()),
        Err(_) => format!("{} ({})", w.model_id, w.model_version),
    }
}

pub async fn list(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    a: OrgAccess,
) -> AppResult<Response> {
    let c = Page::new(&state, &ctx, "scan-waves-title");
    let lang = c.lang();
    let waves = state
        .store
        .scan()
        .waves(&a.scope)
        .await?
        .into_iter()
        .map(|w| WaveRow {
            id: w.id.0,
            model: model_label(&w, lang),
            status: status_label(&c.tr, w.status),
            created: c.tr.date(w.created_at),
            opened: w.opened_at.map(|t| c.tr.date(t)).unwrap_or_default(),
            closed: w.closed_at.map(|t| c.tr.date(t)).unwrap_or_default(),
            title: w.title,
        })
        .collect();
    Ok(render(
        StatusCode::OK,
        &WaveListTpl {
            c,
            org_id: a.org.id.0,
            org_name: a.org.name.clone(),
            can_manage: a.can(Role::Beheerder),
            waves,
        },
    ))
}

// ---------------------------------------------------------------- new wave

pub struct ModelOption {
    pub value: String,
    pub title: String,
    pub description: String,
    pub key_informant: bool,
    pub selected: bool,
}

#[derive(Template)]
#[template(path = "wave_new.html")]
pub struct WaveNewTpl {
    pub c: Page,
    pub org_id: i64,
    pub errors: FormErrors,
    pub f: NewWaveForm,
    pub models: Vec<ModelOption>,
    pub previous: Vec<Choice>,
}

#[derive(Deserialize, Clone)]
pub struct NewWaveForm {
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub model: String,
    #[serde(default)]
    pub perspectives: String,
    #[serde(default)]
    pub anonymous: String,
    #[serde(default)]
    pub previous: String,
}

impl NewWaveForm {
    fn new(tr: &Tr, first_model: Option<&Model>) -> Self {
        Self {
            title: String::new(),
            model: first_model.map(model_value).unwrap_or_default(),
            perspectives: tr.t("scan-perspectives-default"),
            anonymous: "ja".into(),
            previous: String::new(),
        }
    }
}

fn model_value(m: &Model) -> String {
    format!("{}@{}", m.id(), m.version())
}

/// The most perspectives a wave may have, and the longest name.
const MAX_PERSPECTIVES: usize = 12;
const MAX_PERSPECTIVE_CHARS: usize = 80;
const MAX_TITLE_CHARS: usize = 200;

/// Why a perspectives line was refused (a locale key).
fn parse_perspectives(text: &str) -> Result<Vec<NewPerspective>, &'static str> {
    let mut out: Vec<NewPerspective> = Vec::new();
    for line in text.lines().map(str::trim).filter(|l| !l.is_empty()) {
        let mut parts = line.split(';').map(str::trim);
        let name = parts.next().unwrap_or("").to_owned();
        if name.is_empty() || name.chars().count() > MAX_PERSPECTIVE_CHARS {
            return Err("scan-error-perspective-name");
        }
        let mut p = NewPerspective {
            name,
            rates_self: false,
            weight: 1.0,
        };
        for flag in parts.filter(|f| !f.is_empty()) {
            let lower = flag.to_lowercase();
            if lower == "zelf" || lower == "self" {
                p.rates_self = true;
            } else if let Ok(w) = lower.replace(',', ".").parse::<f64>() {
                if !(w > 0.0 && w <= 100.0) {
                    return Err("scan-error-perspective-weight");
                }
                p.weight = w;
            } else {
                return Err("scan-error-perspective-flag");
            }
        }
        if out
            .iter()
            .any(|o| o.name.to_lowercase() == p.name.to_lowercase())
        {
            return Err("scan-error-perspective-duplicate");
        }
        out.push(p);
    }
    if out.is_empty() {
        return Err("scan-error-perspectives-empty");
    }
    if out.len() > MAX_PERSPECTIVES {
        return Err("scan-error-perspectives-many");
    }
    Ok(out)
}

async fn new_page(
    state: &AppState,
    ctx: &RequestCtx,
    a: &OrgAccess,
    f: NewWaveForm,
    errors: FormErrors,
    status: StatusCode,
) -> AppResult<Response> {
    let c = Page::new(state, ctx, "scan-new-title");
    let lang = c.lang();
    let registry = scan_state(state)?;
    let models = registry
        .models
        .iter()
        .map(|e| ModelOption {
            value: model_value(&e.model),
            title: format!("{} ({})", e.model.meta.title.get(lang), e.model.version()),
            description: e.model.meta.description.get(lang).to_owned(),
            key_informant: e.model.meta.mode == Mode::KeyInformant,
            selected: f.model == model_value(&e.model),
        })
        .collect();
    let mut previous = vec![Choice {
        value: String::new(),
        label: c.t("scan-previous-none"),
        selected: f.previous.is_empty(),
    }];
    for w in state.store.scan().waves(&a.scope).await? {
        previous.push(Choice {
            selected: f.previous == w.id.0.to_string(),
            value: w.id.0.to_string(),
            label: format!("{} ({})", w.title, c.tr.date(w.created_at)),
        });
    }
    Ok(render(
        status,
        &WaveNewTpl {
            c,
            org_id: a.org.id.0,
            errors,
            f,
            models,
            previous,
        },
    ))
}

pub async fn new_form(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    a: OrgAccess,
) -> AppResult<Response> {
    let registry = scan_state(&state)?;
    let f = NewWaveForm::new(&ctx.tr(), registry.models.first().map(|e| &e.model));
    new_page(&state, &ctx, &a, f, FormErrors::default(), StatusCode::OK).await
}

pub async fn create(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    a: OrgAccess,
    Form(f): Form<NewWaveForm>,
) -> AppResult<Response> {
    let tr = ctx.tr();
    let registry = scan_state(&state)?;
    let mut errors = FormErrors::default();
    let title = f.title.trim().to_owned();
    if title.is_empty() || title.chars().count() > MAX_TITLE_CHARS {
        errors.add(&tr, "title", "scan-error-title");
    }
    let model = f
        .model
        .split_once('@')
        .and_then(|(id, version)| registry.model(id, version));
    if model.is_none() {
        errors.add(&tr, "model", "scan-error-model");
    }
    let perspectives = match parse_perspectives(&f.perspectives) {
        Ok(p) => Some(p),
        Err(key) => {
            errors.add(&tr, "perspectives", key);
            None
        }
    };
    let anonymous = match f.anonymous.as_str() {
        "ja" => Some(true),
        "nee" => Some(false),
        _ => {
            errors.add(&tr, "anonymous", "scan-error-anonymous");
            None
        }
    };
    let previous = if f.previous.trim().is_empty() {
        Some(None)
    } else {
        match f.previous.parse::<WaveId>() {
            Ok(id) => match state.store.scan().wave(&a.scope, id).await {
                Ok(w) => Some(Some(w.id)),
                Err(StoreError::NotFound) => None,
                Err(e) => return Err(e.into()),
            },
            Err(_) => None,
        }
    };
    if previous.is_none() {
        errors.add(&tr, "previous", "scan-error-previous");
    }
    let (Some(model), Some(perspectives), Some(anonymous), Some(previous), true) =
        (model, perspectives, anonymous, previous, errors.is_empty())
    else {
        return new_page(
            &state,
            &ctx,
            &a,
            f,
            errors,
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    };
    // One respondent speaks for the organisation: not anonymous, by definition.
    let anonymous = anonymous && model.meta.mode != Mode::KeyInformant;
    let wave = state
        .store
        .scan()
        .create_wave(
            &a.scope,
            &NewWave {
                title: &title,
                model_id: model.id(),
                model_version: model.version(),
                model_hash: model.hash(),
                model_source: model.source(),
                anonymous,
                perspectives: &perspectives,
                previous_wave: previous,
                created_by: Some(a.user.id),
                now: state.now(),
            },
        )
        .await?;
    audit(
        &state,
        Some(a.org.id),
        a.user.id,
        "scan.wave.created",
        &title,
    )
    .await?;
    Ok(redirect(&format!(
        "/organisaties/{}/scans/{}?melding=scan-wave-created",
        a.org.id, wave.id
    )))
}

// ---------------------------------------------------------------- wave page

pub struct PerspectiveRow {
    pub name: String,
    pub rates_self: bool,
    pub weight: String,
    /// "nog te weinig antwoorden" / "genoeg antwoorden", or in key-informant mode
    /// the count itself.
    pub progress: String,
}

/// A link made just now, shown once.
pub struct LinkRow {
    pub id: String,
    pub invitee: String,
    pub perspective: String,
    pub link: String,
    /// Sent by e-mail (then the link is still shown, once, to copy if needed).
    pub mailed: bool,
    pub mail_failed: bool,
}

pub struct PendingRow {
    pub invitee: String,
    pub perspective: String,
    pub invited: String,
    pub reminded: String,
}

#[derive(Template)]
#[template(path = "wave_page.html")]
pub struct WavePageTpl {
    pub c: Page,
    pub org_id: i64,
    pub id: i64,
    pub title: String,
    pub model: String,
    pub status: String,
    pub is_concept: bool,
    pub is_open: bool,
    pub is_closed: bool,
    pub anonymous: bool,
    pub key_informant: bool,
    pub created: String,
    pub opened: String,
    pub closed: String,
    pub previous: String,
    pub perspectives: Vec<PerspectiveRow>,
    pub total: u32,
    /// The words for `total`: every response, or those of visible perspectives.
    pub total_key: &'static str,
    pub invited: u32,
    pub completed: u32,
    pub pending: Vec<PendingRow>,
    pub has_open_link: bool,
    pub open_link: String,
    pub new_links: Vec<LinkRow>,
    /// Links were made or renewed, but mail is not set up.
    pub mail_missing: bool,
    pub reminded: bool,
    pub errors: FormErrors,
    pub invitations_text: String,
    pub mail_configured: bool,
}

/// What a POST adds to the wave page it renders.
#[derive(Default)]
struct Extra {
    new_links: Vec<LinkRow>,
    reminded: bool,
    open_link: String,
    errors: FormErrors,
    invitations_text: String,
}

async fn wave_view(
    state: &AppState,
    ctx: &RequestCtx,
    a: &OrgAccess,
    w: &Wave,
    extra: Extra,
    status: StatusCode,
) -> AppResult<Response> {
    let c = Page::new(state, ctx, "scan-wave-title").with_title(w.title.clone());
    let model = wave_model(w)?;
    let key_informant = model.meta.mode == Mode::KeyInformant;
    let scan = state.store.scan();
    let perspectives = scan.perspectives(w.scope).await?;
    let counts = scan.response_counts(w.scope).await?;
    let rule = state.config.anonymity();
    let count_of = |p: &Perspective| {
        counts
            .iter()
            .find(|(id, _)| *id == p.id)
            .map_or(0, |(_, n)| *n)
    };
    let rows = perspectives
        .iter()
        .map(|p| {
            let n = count_of(p);
            PerspectiveRow {
                name: p.name.clone(),
                rates_self: p.rates_self,
                weight: format_weight(p.weight),
                progress: if key_informant {
                    c.t_n("scan-progress-count", u32::try_from(n).unwrap_or(u32::MAX))
                } else if rule.shows(usize::try_from(n).unwrap_or(0)) {
                    c.t("scan-progress-enough")
                } else {
                    c.t("scan-progress-too-few")
                },
            }
        })
        .collect();
    // In an anonymous-rule wave the total counts only the perspectives that reach
    // the threshold: a total over every perspective minus the visible ones on the
    // results page would give a small group's size.
    let total: i64 = perspectives
        .iter()
        .map(count_of)
        .filter(|n| key_informant || rule.shows(usize::try_from(*n).unwrap_or(0)))
        .sum();
    let total_key = if key_informant {
        "scan-progress-total"
    } else {
        "scan-progress-total-shown"
    };
    let invitations = scan.invitations(w.scope).await?;
    let name_of = |id| {
        perspectives
            .iter()
            .find(|p| p.id == id)
            .map_or(String::new(), |p| p.name.clone())
    };
    let completed = invitations
        .iter()
        .filter(|i| i.completed_on.is_some())
        .count();
    let pending = invitations
        .iter()
        .filter(|i| i.completed_on.is_none())
        .map(|i: &ScanInvitation| PendingRow {
            invitee: i.invitee.clone(),
            perspective: name_of(i.perspective_id),
            invited: c.tr.date(i.created_at),
            reminded: i.reminded_at.map(|t| c.tr.date(t)).unwrap_or_default(),
        })
        .collect();
    let previous = match w.previous_wave_id {
        Some(id) => match scan.wave(&a.scope, id).await {
            Ok(p) => p.title,
            Err(StoreError::NotFound) => String::new(),
            Err(e) => return Err(e.into()),
        },
        None => String::new(),
    };
    let mail_configured = state.mailer().is_some();
    let mail_missing = !mail_configured && !extra.new_links.is_empty();
    let tpl = WavePageTpl {
        org_id: a.org.id.0,
        id: w.id.0,
        title: w.title.clone(),
        model: format!("{} ({})", model.meta.title.get(c.lang()), model.version()),
        status: status_label(&c.tr, w.status),
        is_concept: w.status == WaveStatus::Concept,
        is_open: w.status == WaveStatus::Open,
        is_closed: w.status == WaveStatus::Closed,
        anonymous: w.anonymous,
        key_informant,
        created: c.tr.date(w.created_at),
        opened: w.opened_at.map(|t| c.tr.date(t)).unwrap_or_default(),
        closed: w.closed_at.map(|t| c.tr.date(t)).unwrap_or_default(),
        previous,
        perspectives: rows,
        total: u32::try_from(total).unwrap_or(u32::MAX),
        total_key,
        invited: u32::try_from(invitations.len()).unwrap_or(u32::MAX),
        completed: u32::try_from(completed).unwrap_or(u32::MAX),
        pending,
        has_open_link: w.has_open_link,
        open_link: extra.open_link,
        new_links: extra.new_links,
        mail_missing,
        reminded: extra.reminded,
        errors: extra.errors,
        invitations_text: extra.invitations_text,
        mail_configured,
        c,
    };
    Ok(render(status, &tpl))
}

fn format_weight(w: f64) -> String {
    if w.fract() == 0.0 {
        format!("{w:.0}")
    } else {
        format!("{w}")
    }
}

#[derive(Deserialize)]
pub struct WavePath {
    #[allow(dead_code)]
    org: i64,
    wave: i64,
}

pub async fn wave_page(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    a: OrgAccess,
    Path(p): Path<WavePath>,
) -> AppResult<Response> {
    let w = wave_of(&state, &a.scope, p.wave).await?;
    wave_view(&state, &ctx, &a, &w, Extra::default(), StatusCode::OK).await
}

#[derive(Deserialize)]
pub struct CsrfOnly {
    #[allow(dead_code)]
    #[serde(default)]
    csrf: String,
}

pub async fn open(
    State(state): State<AppState>,
    Ctx(_ctx): Ctx,
    a: OrgAccess,
    Path(p): Path<WavePath>,
    Form(_f): Form<CsrfOnly>,
) -> AppResult<Response> {
    let w = wave_of(&state, &a.scope, p.wave).await?;
    let opened = state.store.scan().open_wave(w.scope, state.now()).await?;
    if opened {
        audit(
            &state,
            Some(a.org.id),
            a.user.id,
            "scan.wave.opened",
            &w.title,
        )
        .await?;
    }
    let notice = if opened {
        "scan-wave-opened"
    } else {
        "scan-wave-not-concept"
    };
    Ok(redirect(&format!(
        "/organisaties/{}/scans/{}?melding={notice}",
        a.org.id, w.id
    )))
}

#[derive(Deserialize)]
pub struct InviteForm {
    #[serde(default)]
    invitees: String,
}

/// The most invitations one form may make.
const MAX_INVITATIONS: usize = 1000;

pub async fn invite(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    headers: HeaderMap,
    a: OrgAccess,
    Path(p): Path<WavePath>,
    Form(f): Form<InviteForm>,
) -> AppResult<Response> {
    let tr = ctx.tr();
    let w = wave_of(&state, &a.scope, p.wave).await?;
    let perspectives = state.store.scan().perspectives(w.scope).await?;
    let mut errors = FormErrors::default();
    let mut bad_lines: Vec<String> = Vec::new();
    let mut wanted: Vec<(NewScanInvitation, String, Option<Email>)> = Vec::new();
    if w.status == WaveStatus::Closed {
        errors.add(&tr, "invitees", "scan-error-wave-closed");
    }
    for (i, line) in f.invitees.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        let n = i + 1;
        let Some((persp, who)) = line.split_once(';') else {
            bad_lines.push(tr.t_with("scan-error-invitee-line", &[("line", FluentValue::from(n))]));
            continue;
        };
        let (persp, who) = (persp.trim(), who.trim());
        let Some(perspective) = perspectives
            .iter()
            .find(|p| p.name.to_lowercase() == persp.to_lowercase())
        else {
            bad_lines.push(tr.t_with(
                "scan-error-invitee-perspective",
                &[
                    ("line", FluentValue::from(n)),
                    ("perspective", FluentValue::from(persp.to_owned())),
                ],
            ));
            continue;
        };
        if who.is_empty() || who.chars().count() > 200 {
            bad_lines.push(tr.t_with("scan-error-invitee-name", &[("line", FluentValue::from(n))]));
            continue;
        }
        let email = if who.contains('@') {
            match Email::parse(who) {
                Ok(e) => Some(e),
                Err(_) => {
                    bad_lines.push(tr.t_with(
                        "scan-error-invitee-email",
                        &[("line", FluentValue::from(n))],
                    ));
                    continue;
                }
            }
        } else {
            None
        };
        let token = new_token();
        wanted.push((
            NewScanInvitation {
                perspective_id: perspective.id,
                token_hash: token_hash(&token),
                invitee: who.to_owned(),
                email: email.as_ref().map(|e| e.as_str().to_owned()),
            },
            token,
            email,
        ));
    }
    if wanted.is_empty() && bad_lines.is_empty() && errors.is_empty() {
        errors.add(&tr, "invitees", "scan-error-invitees-empty");
    }
    if wanted.len() > MAX_INVITATIONS {
        errors.add(&tr, "invitees", "scan-error-invitees-many");
    }
    if !bad_lines.is_empty() {
        // Every bad line is listed; nothing is made until all are good.
        errors.items.push(("invitees".into(), bad_lines.join(" ")));
    }
    if !errors.is_empty() {
        let extra = Extra {
            errors,
            invitations_text: f.invitees,
            ..Extra::default()
        };
        return wave_view(
            &state,
            &ctx,
            &a,
            &w,
            extra,
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    }
    let rows: Vec<NewScanInvitation> = wanted.iter().map(|(n, _, _)| n.clone()).collect();
    let ids = state
        .store
        .scan()
        .create_invitations(w.scope, &rows, state.now())
        .await?;
    audit(
        &state,
        Some(a.org.id),
        a.user.id,
        "scan.invitations.created",
        &format!("{}: {}", w.title, ids.len()),
    )
    .await?;
    let base = state.base_url(&headers);
    let org_name = a.org.name.to_string();
    let mut links = Vec::new();
    for (k, (new, token, email)) in wanted.into_iter().enumerate() {
        let link = format!("{base}/scan/{token}");
        let outcome = match email {
            Some(to) => {
                send_link(
                    &state,
                    to,
                    "scan-mail-invite-subject",
                    "scan-mail-invite-body",
                    &w.title,
                    &org_name,
                    &link,
                )
                .await
            }
            None => MailOutcome::NotConfigured,
        };
        links.push(LinkRow {
            id: format!("link-{k}"),
            perspective: perspectives
                .iter()
                .find(|p| p.id == new.perspective_id)
                .map_or(String::new(), |p| p.name.clone()),
            invitee: new.invitee,
            link,
            mailed: outcome == MailOutcome::Sent,
            mail_failed: outcome == MailOutcome::Failed,
        });
    }
    let extra = Extra {
        new_links: links,
        ..Extra::default()
    };
    wave_view(&state, &ctx, &a, &w, extra, StatusCode::OK).await
}

async fn send_link(
    state: &AppState,
    to: Email,
    subject: &str,
    body: &str,
    wave: &str,
    org: &str,
    link: &str,
) -> MailOutcome {
    let mail = Mail::bilingual(
        to,
        subject,
        body,
        &[
            ("wave", FluentValue::from(wave.to_owned())),
            ("org", FluentValue::from(org.to_owned())),
            ("link", FluentValue::from(link.to_owned())),
        ],
    );
    state.send_mail(mail).await
}

/// Reminders: every invitation not yet answered gets a new link (the old one
/// stops working; a draft saved under it moves along), e-mailed when mail is set
/// up and the invitee is an address, else shown to copy. The page lists who has
/// not responded yet, never any answers.
pub async fn remind(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    headers: HeaderMap,
    a: OrgAccess,
    Path(p): Path<WavePath>,
    Form(_f): Form<CsrfOnly>,
) -> AppResult<Response> {
    let w = wave_of(&state, &a.scope, p.wave).await?;
    if w.status != WaveStatus::Open {
        return Ok(redirect(&format!(
            "/organisaties/{}/scans/{}?melding=scan-remind-not-open",
            a.org.id, w.id
        )));
    }
    let scan = state.store.scan();
    let perspectives = scan.perspectives(w.scope).await?;
    let pending: Vec<ScanInvitation> = scan
        .invitations(w.scope)
        .await?
        .into_iter()
        .filter(|i| i.completed_on.is_none())
        .collect();
    let tokens: Vec<(koers_store::ScanInvitationId, String, String)> = pending
        .iter()
        .map(|i| {
            let t = new_token();
            (i.id, token_hash(&t), t)
        })
        .collect();
    let pairs: Vec<_> = tokens.iter().map(|(id, h, _)| (*id, h.clone())).collect();
    let renewed = scan.remind(w.scope, &pairs, state.now()).await?;
    audit(
        &state,
        Some(a.org.id),
        a.user.id,
        "scan.reminders.sent",
        &format!("{}: {}", w.title, renewed.len()),
    )
    .await?;
    let base = state.base_url(&headers);
    let org_name = a.org.name.to_string();
    let mut links = Vec::new();
    for (k, (id, _, token)) in tokens.into_iter().enumerate() {
        if !renewed.contains(&id) {
            continue;
        }
        let Some(inv) = pending.iter().find(|i| i.id == id) else {
            continue;
        };
        let link = format!("{base}/scan/{token}");
        let outcome = match inv.email.as_deref().map(Email::parse) {
            Some(Ok(to)) => {
                send_link(
                    &state,
                    to,
                    "scan-mail-remind-subject",
                    "scan-mail-remind-body",
                    &w.title,
                    &org_name,
                    &link,
                )
                .await
            }
            _ => MailOutcome::NotConfigured,
        };
        links.push(LinkRow {
            id: format!("link-{k}"),
            invitee: inv.invitee.clone(),
            perspective: perspectives
                .iter()
                .find(|p| p.id == inv.perspective_id)
                .map_or(String::new(), |p| p.name.clone()),
            link,
            mailed: outcome == MailOutcome::Sent,
            mail_failed: outcome == MailOutcome::Failed,
        });
    }
    let w = state.store.scan().reload(w.scope).await?;
    let extra = Extra {
        new_links: links,
        reminded: true,
        ..Extra::default()
    };
    wave_view(&state, &ctx, &a, &w, extra, StatusCode::OK).await
}

#[derive(Deserialize)]
pub struct OpenLinkForm {
    #[serde(default)]
    action: String,
}

pub async fn open_link(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    headers: HeaderMap,
    a: OrgAccess,
    Path(p): Path<WavePath>,
    Form(f): Form<OpenLinkForm>,
) -> AppResult<Response> {
    let w = wave_of(&state, &a.scope, p.wave).await?;
    if w.status == WaveStatus::Closed {
        return Ok(redirect(&format!(
            "/organisaties/{}/scans/{}?melding=scan-open-link-closed",
            a.org.id, w.id
        )));
    }
    let scan = state.store.scan();
    match f.action.as_str() {
        "maken" => {
            let token = new_token();
            scan.set_open_link(w.scope, Some(&token_hash(&token)))
                .await?;
            audit(
                &state,
                Some(a.org.id),
                a.user.id,
                "scan.open_link.created",
                &w.title,
            )
            .await?;
            let w = scan.reload(w.scope).await?;
            let extra = Extra {
                open_link: format!("{}/scan/open/{token}", state.base_url(&headers)),
                ..Extra::default()
            };
            wave_view(&state, &ctx, &a, &w, extra, StatusCode::OK).await
        }
        "intrekken" => {
            scan.set_open_link(w.scope, None).await?;
            audit(
                &state,
                Some(a.org.id),
                a.user.id,
                "scan.open_link.revoked",
                &w.title,
            )
            .await?;
            Ok(redirect(&format!(
                "/organisaties/{}/scans/{}?melding=scan-open-link-revoked",
                a.org.id, w.id
            )))
        }
        _ => Err(AppError::BadRequest),
    }
}

// ---------------------------------------------------------------- card

/// The Scan card on the organisation's page: the latest wave and its state.
pub(crate) async fn card(state: &AppState, access: &OrgAccess, tr: &Tr) -> AppResult<Option<Card>> {
    let org = access.org.id;
    let waves = state.store.scan().waves(&access.scope).await?;
    let mut lines = Vec::new();
    let mut links = vec![(format!("/organisaties/{org}/scans"), tr.t("org-scan-link"))];
    match waves.first() {
        Some(w) => {
            lines.push(tr.t_with(
                "scan-card-latest",
                &[
                    ("title", FluentValue::from(w.title.clone())),
                    ("status", FluentValue::from(status_label(tr, w.status))),
                ],
            ));
            if access.can(Role::Beheerder) {
                links.push((
                    format!("/organisaties/{org}/scans/{}", w.id),
                    tr.t("scan-card-manage"),
                ));
            }
        }
        None => lines.push(tr.t("scan-card-none")),
    }
    if access.can(Role::Beheerder) {
        links.push((
            format!("/organisaties/{org}/scans/nieuw"),
            tr.t("scan-new-title"),
        ));
    }
    Ok(Some(Card {
        title: tr.t("card-scan-title"),
        lines,
        links,
    }))
}
