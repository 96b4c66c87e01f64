//! One respondent's answers: what is stored (as JSON) and how form fields and import
//! rows become answers.
//!
//! Form field names (waves renders them with these helpers, this module parses them):
//! - `{qid}` for single_choice (option id), likert (point id or not-applicable id) and
//!   text;
//! - `{qid}:{option}` = `1` for checklist options and gated-level criteria;
//! - `{qid}:{row}` = `0`..`5` (adoption) or `nee`/`deels`/`ja` (tristate);
//! - `{qid}:{row}:gepland` / `{qid}:{row}:gerealiseerd` = `1` for grids.
//!
//! A field whose name has no `:` and is not a question id is not an answer (the
//! form's `csrf`, a page number, …) and is ignored; a name with `:` must be an answer.
//! An empty value is no answer. Checklists, grids and gated levels with nothing
//! ticked are answers (they score 0); their questions are always scored.
//!
//! Locale keys of [`AnswerError::key`] (the waves helper puts them in the .ftl files):
//! - `scan-error-unknown-question`: a field names a question the model does not have;
//! - `scan-error-unknown-option`: an option, criterion, scale point or grid column the
//!   question does not have;
//! - `scan-error-unknown-row`: a row the question does not have;
//! - `scan-error-invalid-value`: a value out of range or not understood (adoption not
//!   0–5, tristate not nee/deels/ja, a tick that is not `1`);
//! - `scan-error-duplicate`: two values for a question that takes one;
//! - `scan-error-required`: a required question left unanswered.

use super::model::{Model, Question, QuestionKind};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

/// A grid row: ticked "planned" and/or "implemented".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct GridCell {
    pub planned: bool,
    pub implemented: bool,
}

/// The two columns of a grid, named in the form as `gepland` and `gerealiseerd`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GridColumn {
    Planned,
    Implemented,
}

impl GridColumn {
    pub fn field(self) -> &'static str {
        match self {
            GridColumn::Planned => "gepland",
            GridColumn::Implemented => "gerealiseerd",
        }
    }
}

/// No / partially / yes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Tri {
    Nee,
    Deels,
    Ja,
}

impl Tri {
    /// The form value: `nee`, `deels`, `ja`.
    pub fn field(self) -> &'static str {
        match self {
            Tri::Nee => "nee",
            Tri::Deels => "deels",
            Tri::Ja => "ja",
        }
    }

    /// 0, 0.5 or 1.
    pub fn value(self) -> f64 {
        match self {
            Tri::Nee => 0.0,
            Tri::Deels => 0.5,
            Tri::Ja => 1.0,
        }
    }
}

/// A likert answer: a point's value, or one of the scale's not-applicable answers
/// (by id), which leaves the question out of the score.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LikertAnswer {
    Point(i64),
    NotApplicable(String),
}

/// The answer to one question, by question type.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Answer {
    /// Ticked option ids.
    Checklist(BTreeSet<String>),
    /// Row id → cell; rows not present have nothing ticked.
    Grid(BTreeMap<String, GridCell>),
    /// Row id → 0..=5; rows not present are unanswered.
    Adoption(BTreeMap<String, u8>),
    /// Row id → answer; rows not present are unanswered.
    Tristate(BTreeMap<String, Tri>),
    /// The chosen option id.
    SingleChoice(String),
    Likert(LikertAnswer),
    /// Ticked criterion ids.
    GatedLevel(BTreeSet<String>),
    Text(String),
}

/// A problem with one submitted answer; `key` is a locale key (see the module docs).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{question}: {key}")]
pub struct AnswerError {
    pub question: String,
    pub key: &'static str,
}

impl AnswerError {
    fn new(question: &str, key: &'static str) -> Self {
        Self {
            question: question.to_owned(),
            key,
        }
    }
}

/// The form field name for a question (`sub` = None) or one of its options, criteria
/// or rows (`sub` = Some(id)).
pub fn field_name(q: &Question, sub: Option<&str>) -> String {
    match sub {
        None => q.id.clone(),
        Some(s) => format!("{}:{s}", q.id),
    }
}

/// The form field name of a grid cell.
pub fn grid_field_name(q: &Question, row: &str, column: GridColumn) -> String {
    format!("{}:{row}:{}", q.id, column.field())
}

/// All answers of one respondent, by question id. Stored as JSON.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Answers(pub BTreeMap<String, Answer>);

/// How strictly values are read: forms send exactly what they rendered; imports come
/// from spreadsheets typed by people.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Reading {
    Form,
    Import,
}

fn tick(value: &str, reading: Reading) -> Option<bool> {
    let v = value.trim();
    match reading {
        Reading::Form => (v == "1").then_some(true),
        Reading::Import => match v.to_lowercase().as_str() {
            "1" | "x" | "ja" | "yes" | "j" | "y" | "true" | "waar" | "✓" => Some(true),
            "0" | "nee" | "no" | "n" | "false" | "onwaar" | "-" => Some(false),
            _ => None,
        },
    }
}

fn tri(value: &str, reading: Reading) -> Option<Tri> {
    let v = value.trim().to_lowercase();
    match v.as_str() {
        "nee" => Some(Tri::Nee),
        "deels" => Some(Tri::Deels),
        "ja" => Some(Tri::Ja),
        _ if reading == Reading::Import => match v.as_str() {
            "no" | "n" | "0" => Some(Tri::Nee),
            "partially" | "partly" | "partial" | "gedeeltelijk" | "0.5" | "0,5" => Some(Tri::Deels),
            "yes" | "j" | "y" | "1" => Some(Tri::Ja),
            _ => None,
        },
        _ => None,
    }
}

impl Answers {
    pub fn get(&self, question: &str) -> Option<&Answer> {
        self.0.get(question)
    }

    pub fn insert(&mut self, question: &str, answer: Answer) {
        self.0.insert(question.to_owned(), answer);
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Parses a submitted form holding the whole questionnaire: every required
    /// question must be answered. Nothing is returned unless every field is valid.
    pub fn from_form(
        model: &Model,
        fields: &[(String, String)],
    ) -> Result<Answers, Vec<AnswerError>> {
        let a = parse(model, fields, Reading::Form, None)?;
        let missing = a.missing_required(model, None);
        if missing.is_empty() {
            Ok(a)
        } else {
            Err(missing)
        }
    }

    /// Parses one page of a questionnaire: only the questions in `page` may be
    /// answered, and only they are checked for being required.
    pub fn from_page(
        model: &Model,
        page: &[&str],
        fields: &[(String, String)],
    ) -> Result<Answers, Vec<AnswerError>> {
        let a = parse(model, fields, Reading::Form, Some(page))?;
        let missing = a.missing_required(model, Some(page));
        if missing.is_empty() {
            Ok(a)
        } else {
            Err(missing)
        }
    }

    /// Parses one row of an import, columns named like form fields; values are read
    /// tolerantly (a tick may be `1`, `x`, `ja`, `yes`, `true`; an empty cell or `0`,
    /// `nee`, `no` is no tick; tristate also takes `yes`/`partially`/`no`; likert and
    /// single choice take the point or option id, or for likert the point's value).
    /// Required questions are checked.
    pub fn from_import_row(
        model: &Model,
        columns: &[(String, String)],
    ) -> Result<Answers, Vec<AnswerError>> {
        let a = parse(model, columns, Reading::Import, None)?;
        let missing = a.missing_required(model, None);
        if missing.is_empty() {
            Ok(a)
        } else {
            Err(missing)
        }
    }

    /// Saves a page into the answers so far: every question of `page` takes its
    /// answer from `page_answers` (or none, if the page left it empty), the other
    /// questions keep theirs.
    pub fn merge_page(&mut self, page: &[&str], page_answers: Answers) {
        for q in page {
            self.0.remove(*q);
        }
        for (q, a) in page_answers.0 {
            if page.contains(&q.as_str()) {
                self.0.insert(q, a);
            }
        }
    }

    /// The required questions (of `page`, or of the whole model) without an answer.
    /// Checklists, grids and gated levels are always answered; adoption and tristate
    /// questions need every row answered.
    pub fn missing_required(&self, model: &Model, page: Option<&[&str]>) -> Vec<AnswerError> {
        model
            .questions
            .iter()
            .filter(|q| q.required && page.is_none_or(|p| p.contains(&q.id.as_str())))
            .filter(|q| {
                let a = self.0.get(&q.id);
                match &q.kind {
                    QuestionKind::Checklist { .. }
                    | QuestionKind::Grid { .. }
                    | QuestionKind::GatedLevel { .. } => false,
                    QuestionKind::Adoption { rows } => match a {
                        Some(Answer::Adoption(m)) => rows.iter().any(|r| !m.contains_key(&r.id)),
                        _ => true,
                    },
                    QuestionKind::Tristate { rows } => match a {
                        Some(Answer::Tristate(m)) => rows.iter().any(|r| !m.contains_key(&r.id)),
                        _ => true,
                    },
                    QuestionKind::Text => {
                        !matches!(a, Some(Answer::Text(t)) if !t.trim().is_empty())
                    }
                    _ => a.is_none(),
                }
            })
            .map(|q| AnswerError::new(&q.id, "scan-error-required"))
            .collect()
    }
}

fn parse(
    model: &Model,
    fields: &[(String, String)],
    reading: Reading,
    page: Option<&[&str]>,
) -> Result<Answers, Vec<AnswerError>> {
    let mut out = Answers::default();
    let mut errors: Vec<AnswerError> = Vec::new();
    let mut err = |q: &str, key: &'static str| {
        let e = AnswerError::new(q, key);
        if !errors.contains(&e) {
            errors.push(e);
        }
    };
    for (name, value) in fields {
        let mut parts = name.splitn(3, ':');
        let qid = parts.next().unwrap_or("");
        let sub = parts.next();
        let col = parts.next();
        let question = model
            .question(qid)
            .filter(|q| page.is_none_or(|p| p.contains(&q.id.as_str())));
        let Some(q) = question else {
            if sub.is_some() {
                err(qid, "scan-error-unknown-question");
            }
            continue;
        };
        let value = value.trim();
        if value.is_empty() {
            continue;
        }
        let entry = out.0.get_mut(&q.id);
        match (&q.kind, sub, col) {
            (QuestionKind::Checklist { options }, Some(opt), None) => {
                if !options.iter().any(|o| o.id == opt) {
                    err(qid, "scan-error-unknown-option");
                    continue;
                }
                match tick(value, reading) {
                    Some(true) => {
                        if let Some(Answer::Checklist(set)) = entry {
                            set.insert(opt.to_owned());
                        } else {
                            out.0.insert(
                                q.id.clone(),
                                Answer::Checklist(BTreeSet::from([opt.to_owned()])),
                            );
                        }
                    }
                    Some(false) => {
                        out.0
                            .entry(q.id.clone())
                            .or_insert_with(|| Answer::Checklist(BTreeSet::new()));
                    }
                    None => err(qid, "scan-error-invalid-value"),
                }
            }
            (QuestionKind::GatedLevel { levels }, Some(crit), None) => {
                if !levels
                    .iter()
                    .any(|l| l.criteria.iter().any(|c| c.id == crit))
                {
                    err(qid, "scan-error-unknown-option");
                    continue;
                }
                match tick(value, reading) {
                    Some(true) => {
                        if let Some(Answer::GatedLevel(set)) = entry {
                            set.insert(crit.to_owned());
                        } else {
                            out.0.insert(
                                q.id.clone(),
                                Answer::GatedLevel(BTreeSet::from([crit.to_owned()])),
                            );
                        }
                    }
                    Some(false) => {
                        out.0
                            .entry(q.id.clone())
                            .or_insert_with(|| Answer::GatedLevel(BTreeSet::new()));
                    }
                    None => err(qid, "scan-error-invalid-value"),
                }
            }
            (QuestionKind::Grid { rows }, Some(row), Some(column)) => {
                if !rows.iter().any(|r| r.id == row) {
                    err(qid, "scan-error-unknown-row");
                    continue;
                }
                let column = match column {
                    "gepland" => GridColumn::Planned,
                    "gerealiseerd" => GridColumn::Implemented,
                    _ => {
                        err(qid, "scan-error-unknown-option");
                        continue;
                    }
                };
                let Some(ticked) = tick(value, reading) else {
                    err(qid, "scan-error-invalid-value");
                    continue;
                };
                let map = match entry {
                    Some(Answer::Grid(m)) => m,
                    _ => {
                        out.0.insert(q.id.clone(), Answer::Grid(BTreeMap::new()));
                        match out.0.get_mut(&q.id) {
                            Some(Answer::Grid(m)) => m,
                            _ => continue,
                        }
                    }
                };
                let cell = map.entry(row.to_owned()).or_default();
                match column {
                    GridColumn::Planned => cell.planned |= ticked,
                    GridColumn::Implemented => cell.implemented |= ticked,
                }
            }
            (QuestionKind::Adoption { rows }, Some(row), None) => {
                if !rows.iter().any(|r| r.id == row) {
                    err(qid, "scan-error-unknown-row");
                    continue;
                }
                let v = match value.parse::<u8>() {
                    Ok(v) if v <= 5 => v,
                    _ => {
                        err(qid, "scan-error-invalid-value");
                        continue;
                    }
                };
                match entry {
                    Some(Answer::Adoption(m)) => {
                        if m.insert(row.to_owned(), v).is_some() {
                            err(qid, "scan-error-duplicate");
                        }
                    }
                    _ => {
                        out.0.insert(
                            q.id.clone(),
                            Answer::Adoption(BTreeMap::from([(row.to_owned(), v)])),
                        );
                    }
                }
            }
            (QuestionKind::Tristate { rows }, Some(row), None) => {
                if !rows.iter().any(|r| r.id == row) {
                    err(qid, "scan-error-unknown-row");
                    continue;
                }
                let Some(v) = tri(value, reading) else {
                    err(qid, "scan-error-invalid-value");
                    continue;
                };
                match entry {
                    Some(Answer::Tristate(m)) => {
                        if m.insert(row.to_owned(), v).is_some() {
                            err(qid, "scan-error-duplicate");
                        }
                    }
                    _ => {
                        out.0.insert(
                            q.id.clone(),
                            Answer::Tristate(BTreeMap::from([(row.to_owned(), v)])),
                        );
                    }
                }
            }
            (QuestionKind::SingleChoice { options }, None, None) => {
                if entry.is_some() {
                    err(qid, "scan-error-duplicate");
                    continue;
                }
                let found = options.iter().find(|o| o.id == value).or_else(|| {
                    (reading == Reading::Import)
                        .then(|| options.iter().find(|o| o.id.eq_ignore_ascii_case(value)))
                        .flatten()
                });
                match found {
                    Some(o) => {
                        out.0
                            .insert(q.id.clone(), Answer::SingleChoice(o.id.clone()));
                    }
                    None => err(qid, "scan-error-unknown-option"),
                }
            }
            (QuestionKind::Likert { scale, .. }, None, None) => {
                if entry.is_some() {
                    err(qid, "scan-error-duplicate");
                    continue;
                }
                let lower = value.to_lowercase();
                let answer = if let Some(p) = scale.points.iter().find(|p| {
                    p.id == value || (reading == Reading::Import && p.id.to_lowercase() == lower)
                }) {
                    Some(LikertAnswer::Point(p.value))
                } else if let Some(n) = scale.not_applicable.iter().find(|n| {
                    n.id == value || (reading == Reading::Import && n.id.to_lowercase() == lower)
                }) {
                    Some(LikertAnswer::NotApplicable(n.id.clone()))
                } else if reading == Reading::Import {
                    value
                        .parse::<i64>()
                        .ok()
                        .and_then(|v| scale.points.iter().find(|p| p.value == v))
                        .map(|p| LikertAnswer::Point(p.value))
                } else {
                    None
                };
                match answer {
                    Some(a) => {
                        out.0.insert(q.id.clone(), Answer::Likert(a));
                    }
                    None => err(qid, "scan-error-unknown-option"),
                }
            }
            (QuestionKind::Text, None, None) => {
                if entry.is_some() {
                    err(qid, "scan-error-duplicate");
                    continue;
                }
                out.0.insert(q.id.clone(), Answer::Text(value.to_owned()));
            }
            // A sub-field on a question that takes none, a missing sub-field, or a
            // grid cell without its column.
            (QuestionKind::Grid { .. }, Some(_), None) => err(qid, "scan-error-unknown-option"),
            (_, Some(_), _) => err(qid, "scan-error-unknown-option"),
            (_, None, _) => err(qid, "scan-error-unknown-option"),
        }
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(errors)
    }
}
