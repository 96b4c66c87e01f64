//! Importing responses from a CSV or XLSX file (a LimeSurvey, Microsoft Forms or
//! Qualtrics export, or a sheet typed by hand) into a wave.
//!
//! 1. Upload (`POST …/import`, multipart, at most [`MAX_UPLOAD`] bytes): CSV is
//!    read as UTF-8 (with or without BOM) or else Windows-1252, with `;`, `,` or
//!    tab as separator, whichever the header line uses most; XLSX is read with
//!    calamine (the first sheet). The table is kept in memory for
//!    [`UPLOAD_TTL_SECS`] under a random id, never on disk.
//! 2. Mapping: each column → a form field name of the wave's model (or ignored),
//!    pre-filled when the header already is a field name or question id (also in
//!    LimeSurvey's `qid[sub]` style); one column → perspective, its values matched
//!    to the wave's perspectives by name.
//! 3. Import: every row is checked; the report lists every bad row with its line
//!    number and reason, and nothing is stored unless the whole file is good (one
//!    transaction).

use crate::waves::{scan_state, wave_model, wave_of};
use askama::Template;
use axum::extract::{DefaultBodyLimit, FromRequest, Multipart, Request, State};
use axum::handler::Handler;
use axum::http::{header, StatusCode};
use axum::response::Response;
use koers_core::scan::{field_name, grid_field_name, Answers, GridColumn, Model, QuestionKind};
use koers_core::Role;
use koers_store::{ImportedResponse, Perspective, Wave, WaveStatus};
use koers_web::auth::{new_token, tokens_equal};
use koers_web::ctx::{Ctx, Form, Path, RequestCtx};
use koers_web::error::{AppError, AppResult};
use koers_web::i18n::FluentValue;
use koers_web::part::{Access, OrgAccess, Route};
use koers_web::templates::{render, Page};
use koers_web::{audit, AppState};
use serde::Deserialize;
use std::collections::HashMap;
use std::sync::Mutex;

/// The largest file accepted.
pub const MAX_UPLOAD: usize = 10 * 1024 * 1024;
/// How long an uploaded table waits for its mapping.
pub const UPLOAD_TTL_SECS: i64 = 3600;
/// Uploads kept at once (the oldest goes first).
const MAX_UPLOADS: usize = 32;
/// Rows and columns of one file.
const MAX_ROWS: usize = 20_000;
const MAX_COLUMNS: usize = 1_000;

pub(crate) fn routes() -> Vec<Route> {
    let beheer = Access::Org(Role::Beheerder);
    vec![
        Route::get("/organisaties/{org}/scans/{wave}/import", beheer, form),
        Route::post(
            "/organisaties/{org}/scans/{wave}/import",
            beheer,
            post.layer(DefaultBodyLimit::max(MAX_UPLOAD + 64 * 1024)),
        ),
    ]
}

// ---------------------------------------------------------------- reading files

/// A file read into text cells: the header row and the data rows, each with
/// the line (CSV) or row (XLSX) number a person sees in their editor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Table {
    pub headers: Vec<String>,
    pub rows: Vec<(usize, Vec<String>)>,
}

/// Why a file could not be read; each is a locale key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReadError {
    Empty,
    NotATable,
    TooLarge,
}

impl ReadError {
    pub fn key(self) -> &'static str {
        match self {
            Self::Empty => "scan-import-error-empty",
            Self::NotATable => "scan-import-error-unreadable",
            Self::TooLarge => "scan-import-error-too-large",
        }
    }
}

/// Reads CSV or XLSX, told apart by content (an XLSX file is a zip).
pub fn read_table(bytes: &[u8]) -> Result<Table, ReadError> {
    if bytes.starts_with(b"PK\x03\x04") {
        read_xlsx(bytes)
    } else {
        read_csv(bytes)
    }
}

/// The text of a CSV file: UTF-8 (BOM removed) if it is valid UTF-8, else
/// Windows-1252 (what Excel on Windows writes).
pub fn decode_text(bytes: &[u8]) -> String {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(s) => s.to_owned(),
        Err(_) => encoding_rs::WINDOWS_1252.decode(bytes).0.into_owned(),
    }
}

/// The separator the header line uses most, outside quotes: `;`, `,` or tab.
pub fn detect_delimiter(text: &str) -> u8 {
    let first = text.lines().next().unwrap_or("");
    let mut counts = [(b';', 0usize), (b',', 0), (b'\t', 0)];
    let mut quoted = false;
    for b in first.bytes() {
        if b == b'"' {
            quoted = !quoted;
        } else if !quoted {
            for c in counts.iter_mut() {
                if c.0 == b {
                    c.1 += 1;
                }
            }
        }
    }
    counts
        .iter()
        .max_by_key(|c| c.1)
        .filter(|c| c.1 > 0)
        .map_or(b',', |c| c.0)
}

fn read_csv(bytes: &[u8]) -> Result<Table, ReadError> {
    let text = decode_text(bytes);
    if text.trim().is_empty() {
        return Err(ReadError::Empty);
    }
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(detect_delimiter(&text))
        .flexible(true)
        .has_headers(false)
        .from_reader(text.as_bytes());
    let mut headers = None;
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|_| ReadError::NotATable)?;
        let line = record
            .position()
            .map_or(0, |p| usize::try_from(p.line()).unwrap_or(usize::MAX));
        let cells: Vec<String> = record.iter().map(|c| c.trim().to_owned()).collect();
        if headers.is_none() {
            headers = Some(cells);
            continue;
        }
        if cells.iter().all(String::is_empty) {
            continue;
        }
        rows.push((line, cells));
        if rows.len() > MAX_ROWS {
            return Err(ReadError::TooLarge);
        }
    }
    finish(headers, rows)
}

fn read_xlsx(bytes: &[u8]) -> Result<Table, ReadError> {
    use calamine::Reader;
    let mut book: calamine::Xlsx<_> =
        calamine::open_workbook_from_rs(std::io::Cursor::new(bytes.to_vec()))
            .map_err(|_| ReadError::NotATable)?;
    let range = book
        .worksheet_range_at(0)
        .ok_or(ReadError::Empty)?
        .map_err(|_| ReadError::NotATable)?;
    let (first_row, _) = range.start().unwrap_or((0, 0));
    let mut headers = None;
    let mut rows = Vec::new();
    for (i, row) in range.rows().enumerate() {
        let line = usize::try_from(first_row).unwrap_or(0) + i + 1;
        let cells: Vec<String> = row.iter().map(cell_text).collect();
        if headers.is_none() {
            if cells.iter().all(String::is_empty) {
                continue;
            }
            headers = Some(cells);
            continue;
        }
        if cells.iter().all(String::is_empty) {
            continue;
        }
        rows.push((line, cells));
        if rows.len() > MAX_ROWS {
            return Err(ReadError::TooLarge);
        }
    }
    finish(headers, rows)
}

fn cell_text(d: &calamine::Data) -> String {
    match d {
        calamine::Data::Empty => String::new(),
        calamine::Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{f:.0}"),
        other => other.to_string().trim().to_owned(),
    }
}

fn finish(
    headers: Option<Vec<String>>,
    rows: Vec<(usize, Vec<String>)>,
) -> Result<Table, ReadError> {
    let headers = headers.ok_or(ReadError::Empty)?;
    if headers.len() > MAX_COLUMNS {
        return Err(ReadError::TooLarge);
    }
    if headers.iter().all(String::is_empty) {
        return Err(ReadError::NotATable);
    }
    Ok(Table { headers, rows })
}

// ---------------------------------------------------------------- mapping

/// What a column is mapped to.
pub const IGNORE: &str = "";
pub const PERSPECTIVE: &str = "@perspectief";

/// Every form field name of the model, in question order, with a label.
pub fn targets(model: &Model, lang: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for q in &model.questions {
        let text = q.text.get(lang);
        let short: String = text.chars().take(60).collect();
        let mut push = |name: String, sub: &str| {
            let label = if sub.is_empty() {
                format!("{name} — {short}")
            } else {
                format!("{name} — {short} / {sub}")
            };
            out.push((name, label));
        };
        match &q.kind {
            QuestionKind::Checklist { options } => {
                for o in options {
                    push(field_name(q, Some(&o.id)), o.label.get(lang));
                }
            }
            QuestionKind::Grid { rows } => {
                for r in rows {
                    for col in [GridColumn::Planned, GridColumn::Implemented] {
                        push(grid_field_name(q, &r.id, col), r.label.get(lang));
                    }
                }
            }
            QuestionKind::Adoption { rows } | QuestionKind::Tristate { rows } => {
                for r in rows {
                    push(field_name(q, Some(&r.id)), r.label.get(lang));
                }
            }
            QuestionKind::GatedLevel { levels } => {
                for l in levels {
                    for c in &l.criteria {
                        push(field_name(q, Some(&c.id)), c.label.get(lang));
                    }
                }
            }
            QuestionKind::SingleChoice { .. } | QuestionKind::Likert { .. } | QuestionKind::Text => {
                push(field_name(q, None), "");
            }
        }
    }
    out
}

/// A header as a field name, if it already is one: exactly, case aside, or in
/// LimeSurvey's `qid[sub]` / `qid[sub_col]` style. A header that names the
/// perspective ("perspectief", "perspective", "groep", "group") maps to it.
pub fn guess(header: &str, targets: &[(String, String)]) -> String {
    let h = header.trim().to_lowercase();
    if matches!(
        h.as_str(),
        "perspectief" | "perspective" | "groep" | "group" | "doelgroep"
    ) {
        return PERSPECTIVE.to_owned();
    }
    let limesurvey = h.replace('[', ":").replace(']', "");
    for candidate in [h.clone(), limesurvey] {
        if let Some((name, _)) = targets.iter().find(|(n, _)| n.to_lowercase() == candidate) {
            return name.clone();
        }
    }
    IGNORE.to_owned()
}

/// One bad row of a file: its line and every reason, translated.
pub struct BadRow {
    pub line: usize,
    pub reasons: Vec<String>,
}

/// Checks every row against the mapping and the model. Returns the responses to
/// store, or every bad row (nothing is stored then).
pub fn check_rows(
    tr: &koers_web::i18n::Tr,
    model: &Model,
    perspectives: &[Perspective],
    table: &Table,
    mapping: &[String],
) -> Result<Vec<ImportedResponse>, Vec<BadRow>> {
    let mut good = Vec::new();
    let mut bad = Vec::new();
    let pcol = mapping.iter().position(|m| m == PERSPECTIVE);
    for (line, cells) in &table.rows {
        let mut reasons = Vec::new();
        let cell = |i: usize| cells.get(i).map_or("", String::as_str);
        let perspective = match pcol {
            Some(i) => {
                let v = cell(i);
                let found = perspectives
                    .iter()
                    .find(|p| p.name.to_lowercase() == v.trim().to_lowercase());
                if found.is_none() {
                    reasons.push(tr.t_with(
                        "scan-import-error-perspective",
                        &[("value", FluentValue::from(v.to_owned()))],
                    ));
                }
                found
            }
            None => None,
        };
        let columns: Vec<(String, String)> = mapping
            .iter()
            .enumerate()
            .filter(|(_, m)| !m.is_empty() && m.as_str() != PERSPECTIVE)
            .map(|(i, m)| (m.clone(), cell(i).to_owned()))
            .collect();
        let answers = match Answers::from_import_row(model, &columns) {
            Ok(a) => Some(a),
            Err(errors) => {
                for e in errors {
                    reasons.push(format!("{}: {}", e.question, tr.t(e.key)));
                }
                None
            }
        };
        match (perspective, answers, reasons.is_empty()) {
            (Some(p), Some(a), true) => match serde_json::to_string(&a) {
                Ok(json) => good.push(ImportedResponse {
                    perspective_id: p.id,
                    answers: json,
                }),
                Err(e) => bad.push(BadRow {
                    line: *line,
                    reasons: vec![e.to_string()],
                }),
            },
            _ => bad.push(BadRow {
                line: *line,
                reasons,
            }),
        }
    }
    if bad.is_empty() {
        Ok(good)
    } else {
        Err(bad)
    }
}

// ---------------------------------------------------------------- uploads kept

/// Tables uploaded and waiting for their mapping, by a random id.
#[derive(Default)]
pub struct Uploads {
    inner: Mutex<HashMap<String, Upload>>,
}

struct Upload {
    wave: koers_store::WaveScope,
    file_name: String,
    table: Table,
    at: i64,
}

impl Uploads {
    fn put(&self, wave: koers_store::WaveScope, file_name: String, table: Table, now: i64) -> String {
        let id = new_token();
        if let Ok(mut m) = self.inner.lock() {
            m.retain(|_, u| now - u.at < UPLOAD_TTL_SECS);
            while m.len() >= MAX_UPLOADS {
                let Some(oldest) = m.iter().min_by_key(|(_, u)| u.at).map(|(k, _)| k.clone())
                else {
                    break;
                };
                m.remove(&oldest);
            }
            m.insert(
                id.clone(),
                Upload {
                    wave,
                    file_name,
                    table,
                    at: now,
                },
            );
        }
        id
    }

    fn get(&self, id: &str, wave: koers_store::WaveScope, now: i64) -> Option<(String, Table)> {
        let m = self.inner.lock().ok()?;
        m.get(id)
            .filter(|u| u.wave == wave && now - u.at < UPLOAD_TTL_SECS)
            .map(|u| (u.file_name.clone(), u.table.clone()))
    }

    fn remove(&self, id: &str) {
        if let Ok(mut m) = self.inner.lock() {
            m.remove(id);
        }
    }
}

// ---------------------------------------------------------------- pages

pub struct ColumnView {
    pub index: usize,
    pub header: String,
    pub sample: String,
    pub options: Vec<(String, String, bool)>,
}

pub struct BadRowView {
    pub line: usize,
    pub reasons: String,
}

#[derive(Template)]
#[template(path = "import_page.html")]
pub struct ImportTpl {
    pub c: Page,
    pub org_id: i64,
    pub id: i64,
    pub wave_title: String,
    pub closed: bool,
    pub error: String,
    /// The mapping step, once a file is uploaded.
    pub upload: String,
    pub file_name: String,
    pub rows: usize,
    pub columns: Vec<ColumnView>,
    pub bad: Vec<BadRowView>,
    pub perspectives: String,
    pub stored: Option<usize>,
}

#[derive(Deserialize)]
pub struct WavePath {
    #[allow(dead_code)]
    org: i64,
    wave: i64,
}

fn base_tpl(c: Page, a: &OrgAccess, w: &Wave, perspectives: &[Perspective]) -> ImportTpl {
    ImportTpl {
        c,
        org_id: a.org.id.0,
        id: w.id.0,
        wave_title: w.title.clone(),
        closed: w.status == WaveStatus::Closed,
        error: String::new(),
        upload: String::new(),
        file_name: String::new(),
        rows: 0,
        columns: Vec::new(),
        bad: Vec::new(),
        perspectives: perspectives
            .iter()
            .map(|p| p.name.clone())
            .collect::<Vec<_>>()
            .join(", "),
        stored: None,
    }
}

pub async fn form(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    a: OrgAccess,
    Path(p): Path<WavePath>,
) -> AppResult<Response> {
    let w = wave_of(&state, &a.scope, p.wave).await?;
    let perspectives = state.store.scan().perspectives(w.scope).await?;
    let c = Page::new(&state, &ctx, "scan-import-title");
    Ok(render(StatusCode::OK, &base_tpl(c, &a, &w, &perspectives)))
}

fn mapping_columns(
    table: &Table,
    targets: &[(String, String)],
    chosen: Option<&[String]>,
    tr: &koers_web::i18n::Tr,
) -> Vec<ColumnView> {
    table
        .headers
        .iter()
        .enumerate()
        .map(|(i, h)| {
            let selected = chosen
                .and_then(|c| c.get(i).cloned())
                .unwrap_or_else(|| guess(h, targets));
            let mut options = vec![
                (
                    IGNORE.to_owned(),
                    tr.t("scan-import-ignore"),
                    selected == IGNORE,
                ),
                (
                    PERSPECTIVE.to_owned(),
                    tr.t("scan-import-perspective-column"),
                    selected == PERSPECTIVE,
                ),
            ];
            options.extend(
                targets
                    .iter()
                    .map(|(n, l)| (n.clone(), l.clone(), *n == selected)),
            );
            let sample = table
                .rows
                .iter()
                .filter_map(|(_, r)| r.get(i))
                .find(|v| !v.is_empty())
                .cloned()
                .unwrap_or_default();
            ColumnView {
                index: i,
                header: if h.is_empty() {
                    tr.t_with("scan-import-column-n", &[("n", FluentValue::from(i + 1))])
                } else {
                    h.clone()
                },
                sample: sample.chars().take(40).collect(),
                options,
            }
        })
        .collect()
}

/// The upload (multipart) and the mapping (a plain form) share this address.
pub async fn post(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    a: OrgAccess,
    Path(p): Path<WavePath>,
    req: Request,
) -> AppResult<Response> {
    let is_multipart = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|t| t.starts_with("multipart/form-data"));
    if is_multipart {
        let mp = Multipart::from_request(req, &state)
            .await
            .map_err(|_| AppError::BadRequest)?;
        upload(state, ctx, a, p.wave, mp).await
    } else {
        let Form(fields) = Form::<Vec<(String, String)>>::from_request(req, &state).await?;
        map(state, ctx, a, p.wave, fields).await
    }
}

async fn upload(
    state: AppState,
    ctx: RequestCtx,
    a: OrgAccess,
    wave: i64,
    mut mp: Multipart,
) -> AppResult<Response> {
    let w = wave_of(&state, &a.scope, wave).await?;
    let perspectives = state.store.scan().perspectives(w.scope).await?;
    let mut csrf_ok = false;
    let mut file: Option<(String, Vec<u8>)> = None;
    let mut too_large = false;
    loop {
        let field = match mp.next_field().await {
            Ok(Some(f)) => f,
            Ok(None) => break,
            Err(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => {
                too_large = true;
                break;
            }
            Err(_) => return Err(AppError::BadRequest),
        };
        match field.name() {
            Some("csrf") => {
                let v = field.text().await.map_err(|_| AppError::BadRequest)?;
                csrf_ok = tokens_equal(&ctx.csrf, &v);
            }
            Some("file") => {
                let name = field.file_name().unwrap_or("").to_owned();
                match field.bytes().await {
                    Ok(b) if b.len() <= MAX_UPLOAD => file = Some((name, b.to_vec())),
                    Ok(_) => too_large = true,
                    Err(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => too_large = true,
                    Err(_) => return Err(AppError::BadRequest),
                }
            }
            _ => {}
        }
    }
    if !csrf_ok && !too_large {
        return Err(AppError::Csrf);
    }
    let c = Page::new(&state, &ctx, "scan-import-title");
    let mut tpl = base_tpl(c, &a, &w, &perspectives);
    let fail = |mut tpl: ImportTpl, key: &str| {
        tpl.error = tpl.c.t(key);
        Ok(render(StatusCode::UNPROCESSABLE_ENTITY, &tpl))
    };
    if w.status == WaveStatus::Closed {
        return fail(tpl, "scan-error-wave-closed");
    }
    if too_large {
        return fail(tpl, ReadError::TooLarge.key());
    }
    let Some((name, bytes)) = file.filter(|(_, b)| !b.is_empty()) else {
        return fail(tpl, "scan-import-error-no-file");
    };
    let table = match read_table(&bytes) {
        Ok(t) => t,
        Err(e) => return fail(tpl, e.key()),
    };
    if table.rows.is_empty() {
        return fail(tpl, ReadError::Empty.key());
    }
    let model = wave_model(&w)?;
    let targets = targets(&model, tpl.c.lang());
    tpl.columns = mapping_columns(&table, &targets, None, &tpl.c.tr);
    tpl.rows = table.rows.len();
    tpl.file_name = name.clone();
    let uploads = &scan_state(&state)?.uploads;
    tpl.upload = uploads.put(w.scope, name, table, state.now());
    Ok(render(StatusCode::OK, &tpl))
}

async fn map(
    state: AppState,
    ctx: RequestCtx,
    a: OrgAccess,
    wave: i64,
    fields: Vec<(String, String)>,
) -> AppResult<Response> {
    let w = wave_of(&state, &a.scope, wave).await?;
    let perspectives = state.store.scan().perspectives(w.scope).await?;
    let c = Page::new(&state, &ctx, "scan-import-title");
    let mut tpl = base_tpl(c, &a, &w, &perspectives);
    let upload_id = fields
        .iter()
        .find(|(k, _)| k == "upload")
        .map(|(_, v)| v.clone())
        .unwrap_or_default();
    let registry = scan_state(&state)?;
    let Some((file_name, table)) = registry.uploads.get(&upload_id, w.scope, state.now()) else {
        tpl.error = tpl.c.t("scan-import-error-expired");
        return Ok(render(StatusCode::UNPROCESSABLE_ENTITY, &tpl));
    };
    if w.status == WaveStatus::Closed {
        tpl.error = tpl.c.t("scan-error-wave-closed");
        return Ok(render(StatusCode::UNPROCESSABLE_ENTITY, &tpl));
    }
    let model = wave_model(&w)?;
    let targets = targets(&model, tpl.c.lang());
    let mapping: Vec<String> = (0..table.headers.len())
        .map(|i| {
            let key = format!("col-{i}");
            fields
                .iter()
                .find(|(k, _)| *k == key)
                .map(|(_, v)| v.clone())
                .filter(|v| v == PERSPECTIVE || targets.iter().any(|(n, _)| n == v))
                .unwrap_or_default()
        })
        .collect();
    tpl.upload = upload_id.clone();
    tpl.file_name = file_name;
    tpl.rows = table.rows.len();
    tpl.columns = mapping_columns(&table, &targets, Some(&mapping), &tpl.c.tr);
    // The mapping itself: one perspective column, no field twice.
    let pcols = mapping.iter().filter(|m| *m == PERSPECTIVE).count();
    let mut seen = std::collections::HashSet::new();
    let twice = mapping
        .iter()
        .filter(|m| !m.is_empty() && m.as_str() != PERSPECTIVE)
        .find(|m| !seen.insert(m.as_str()));
    let mapping_error = if pcols != 1 {
        Some(tpl.c.t("scan-import-error-perspective-column"))
    } else {
        twice.map(|t| {
            tpl.c.tr.t_with(
                "scan-import-error-twice",
                &[("field", FluentValue::from(t.clone()))],
            )
        })
    };
    if let Some(e) = mapping_error {
        tpl.error = e;
        return Ok(render(StatusCode::UNPROCESSABLE_ENTITY, &tpl));
    }
    match check_rows(&tpl.c.tr, &model, &perspectives, &table, &mapping) {
        Err(bad) => {
            tpl.error = tpl.c.tr.t_with(
                "scan-import-error-rows",
                &[("n", FluentValue::from(bad.len()))],
            );
            tpl.bad = bad
                .into_iter()
                .map(|b| BadRowView {
                    line: b.line,
                    reasons: b.reasons.join("; "),
                })
                .collect();
            Ok(render(StatusCode::UNPROCESSABLE_ENTITY, &tpl))
        }
        Ok(good) => {
            let n = state
                .store
                .scan()
                .import_responses(w.scope, &good)
                .await?;
            registry.uploads.remove(&upload_id);
            audit(
                &state,
                Some(a.org.id),
                a.user.id,
                "scan.responses.imported",
                &format!("{}: {n}", w.title),
            )
            .await?;
            tpl.upload = String::new();
            tpl.columns = Vec::new();
            tpl.stored = Some(n);
            Ok(render(StatusCode::OK, &tpl))
        }
    }
}
