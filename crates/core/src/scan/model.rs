//! Assessment models: the checked, typed form of a model file (see `docs/scan.md` and
//! `docs/scan-model.schema.json` for the format). A [`Model`] only exists when its
//! file is valid: every reference resolves, every text has every language, the bands
//! cover 0–100. Errors name the file, line and column of the offending value.

use super::expr::Condition;
use super::file::{RawChoice, RawModel, RawText};
use serde::Serialize;
use sha2::{Digest, Sha256};
use std::collections::BTreeSet;
use std::ops::Range;
use toml::Spanned;

/// A model file that cannot be used, with the place of the problem (1-based line and
/// column; 0 when the problem has no place, e.g. an empty file).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{file}:{line}:{column}: {message}")]
pub struct ModelError {
    pub file: String,
    pub line: usize,
    pub column: usize,
    pub message: String,
}

/// Text in every language of the model, in the order of `[model] languages`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Text(Vec<(String, String)>);

impl Text {
    /// The text in `lang`, or in the model's first language when `lang` is not one of
    /// the model's.
    pub fn get(&self, lang: &str) -> &str {
        self.0
            .iter()
            .find(|(l, _)| l == lang)
            .or(self.0.first())
            .map_or("", |(_, t)| t.as_str())
    }

    /// (language, text) pairs in the model's language order.
    pub fn entries(&self) -> &[(String, String)] {
        &self.0
    }
}

/// Who answers: one key informant for the organisation, or many respondents in
/// perspectives (then the anonymity rule applies).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Mode {
    /// One respondent speaks for the organisation; the answers are organisation facts,
    /// not anonymous, and the anonymity threshold does not apply (the form says so).
    KeyInformant,
    Perspectives,
}

/// How the overall score combines the dimension scores.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Overall {
    /// Unweighted mean of the dimension scores (the JRC method; the default).
    Mean,
    /// Mean weighted by the dimensions' `weight`.
    Weighted,
}

/// How a two-column (planned / implemented) grid is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum GridReading {
    /// The default: a row scores 1 if implemented, 0.5 if only planned, else 0.
    Row,
    /// The planned share and the implemented share are each a sub-score; the question
    /// is their mean.
    Columns,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ModelMeta {
    pub id: String,
    pub version: String,
    pub languages: Vec<String>,
    pub mode: Mode,
    pub title: Text,
    pub description: Text,
    pub overall: Overall,
    pub grid_reading: GridReading,
    /// Default perception-gap threshold (points on 0–100).
    pub gap_threshold: f64,
}

/// A level band: scores `s` with `from <= s < next.from` (the last band includes 100).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Band {
    pub id: String,
    pub from: f64,
    pub label: Text,
}

/// An option, row or criterion.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Choice {
    pub id: String,
    pub label: Text,
}

/// A single-choice option with its score (0–10).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ScoredOption {
    pub id: String,
    pub label: Text,
    pub score: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ScalePoint {
    pub id: String,
    pub value: i64,
    pub label: Text,
}

/// A likert scale: points in ascending value, and answers that leave the question out.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Scale {
    pub id: String,
    pub points: Vec<ScalePoint>,
    pub not_applicable: Vec<Choice>,
}

impl Scale {
    pub fn min(&self) -> i64 {
        self.points.first().map_or(0, |p| p.value)
    }
    pub fn max(&self) -> i64 {
        self.points.last().map_or(0, |p| p.value)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Advice {
    pub band: String,
    pub text: Text,
    pub first_steps: Vec<Text>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Dimension {
    pub id: String,
    pub label: Text,
    pub description: Option<Text>,
    pub weight: f64,
    /// The dimension's own threshold, or the model's when the file gives none.
    pub gap_threshold: f64,
    /// One per band, in band order.
    pub advice: Vec<Advice>,
}

impl Dimension {
    pub fn advice_for(&self, band: &str) -> Option<&Advice> {
        self.advice.iter().find(|a| a.band == band)
    }
}

/// A level of a gated-level question: reached when all its criteria, and all lower
/// levels' criteria, are ticked.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Level {
    pub label: Text,
    pub criteria: Vec<Choice>,
}

/// What kind of question, with what it needs to be answered and scored.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum QuestionKind {
    Checklist {
        options: Vec<Choice>,
    },
    /// Operational areas × {planned, implemented}.
    Grid {
        rows: Vec<Choice>,
    },
    /// Rows on a 0–5 adoption scale.
    Adoption {
        rows: Vec<Choice>,
    },
    /// Rows answered nee / deels / ja.
    Tristate {
        rows: Vec<Choice>,
    },
    SingleChoice {
        options: Vec<ScoredOption>,
    },
    /// The scale is resolved when the model is loaded (a copy of the named
    /// `[[scales]]` entry), so a question can be scored on its own.
    Likert {
        scale: Scale,
        reversed: bool,
    },
    GatedLevel {
        levels: Vec<Level>,
    },
    /// Free text; never scored.
    Text,
}

impl QuestionKind {
    /// The type's name as in the file.
    pub fn type_name(&self) -> &'static str {
        match self {
            QuestionKind::Checklist { .. } => "checklist",
            QuestionKind::Grid { .. } => "grid",
            QuestionKind::Adoption { .. } => "adoption",
            QuestionKind::Tristate { .. } => "tristate",
            QuestionKind::SingleChoice { .. } => "single_choice",
            QuestionKind::Likert { .. } => "likert",
            QuestionKind::GatedLevel { .. } => "gated_level",
            QuestionKind::Text => "text",
        }
    }

    /// Whether the question ever gets a score (every type but `text`).
    pub fn is_scored(&self) -> bool {
        !matches!(self, QuestionKind::Text)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Question {
    pub id: String,
    pub dimension: String,
    pub text: Text,
    /// Wording for perspectives that rate someone else; falls back to `text`.
    pub text_others: Option<Text>,
    pub help: Option<Text>,
    pub weight: f64,
    pub required: bool,
    pub kind: QuestionKind,
}

impl Question {
    /// The wording for a respondent: `rates_self` false uses `text_others` when given.
    pub fn wording(&self, rates_self: bool) -> &Text {
        match (&self.text_others, rates_self) {
            (Some(t), false) => t,
            _ => &self.text,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RuleKind {
    /// Advice about a pattern across dimensions.
    Advice,
    /// Names the kind of digital leader a profile calls for.
    LeaderProfile,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Rule {
    pub id: String,
    pub kind: RuleKind,
    /// The condition as written in the file.
    pub when: String,
    #[serde(skip)]
    pub condition: Condition,
    pub title: Text,
    pub text: Text,
}

/// A checked assessment model, with the source text it came from.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Model {
    pub meta: ModelMeta,
    pub bands: Vec<Band>,
    pub scales: Vec<Scale>,
    pub dimensions: Vec<Dimension>,
    pub questions: Vec<Question>,
    pub rules: Vec<Rule>,
    #[serde(skip)]
    source: String,
    hash: String,
}

impl Model {
    /// Parses and checks a model file. `file_name` is only used in error messages.
    pub fn parse(file_name: &str, source: &str) -> Result<Model, ModelError> {
        let c = Checker {
            file: file_name,
            src: source,
        };
        let raw: RawModel = toml::from_str(source).map_err(|e| {
            let (line, column) = e.span().map_or((0, 0), |s| line_col(source, s.start));
            ModelError {
                file: file_name.to_owned(),
                line,
                column,
                message: e.message().trim().to_owned(),
            }
        })?;
        c.check(raw)
    }

    pub fn id(&self) -> &str {
        &self.meta.id
    }

    pub fn version(&self) -> &str {
        &self.meta.version
    }

    /// SHA-256 of the source text, lower-case hex: what a stored result keeps to know
    /// exactly which file it was scored with.
    pub fn hash(&self) -> &str {
        &self.hash
    }

    /// The source text exactly as parsed (what a wave stores as `model_source`).
    pub fn source(&self) -> &str {
        &self.source
    }

    pub fn dimension(&self, id: &str) -> Option<&Dimension> {
        self.dimensions.iter().find(|d| d.id == id)
    }

    /// The dimension's position in model order.
    pub fn dimension_index(&self, id: &str) -> Option<usize> {
        self.dimensions.iter().position(|d| d.id == id)
    }

    pub fn question(&self, id: &str) -> Option<&Question> {
        self.questions.iter().find(|q| q.id == id)
    }

    /// The questions of a dimension, in file order.
    pub fn questions_of<'a>(
        &'a self,
        dimension: &'a str,
    ) -> impl Iterator<Item = &'a Question> + 'a {
        self.questions
            .iter()
            .filter(move |q| q.dimension == dimension)
    }

    pub fn scale(&self, id: &str) -> Option<&Scale> {
        self.scales.iter().find(|s| s.id == id)
    }

    pub fn band(&self, id: &str) -> Option<&Band> {
        self.bands.iter().find(|b| b.id == id)
    }

    /// The band a score (0–100) falls in: the last band whose `from` it reaches. A
    /// score between two bands' written bounds (25.5 with bands from 0 and 26) is in
    /// the lower band. Scores outside 0–100 and NaN have no band.
    pub fn band_for(&self, score: f64) -> Option<&Band> {
        if !(0.0..=100.0).contains(&score) {
            return None;
        }
        self.bands.iter().rev().find(|b| score >= b.from)
    }

    /// The number of scored questions.
    pub fn scored_questions(&self) -> usize {
        self.questions.iter().filter(|q| q.kind.is_scored()).count()
    }
}

/// 1-based line and column (in characters) of a byte offset.
fn line_col(src: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(src.len());
    let before = src.get(..offset).unwrap_or(src);
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before.get(line_start..).map_or(0, |s| s.chars().count()) + 1;
    (line, column)
}

fn is_id(s: &str) -> bool {
    !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

fn one_of(allowed: &[&str]) -> String {
    allowed.join(", ")
}

const QUESTION_TYPES: &[&str] = &[
    "checklist",
    "grid",
    "adoption",
    "tristate",
    "single_choice",
    "likert",
    "gated_level",
    "text",
];

struct Checker<'a> {
    file: &'a str,
    src: &'a str,
}

type Res<T> = Result<T, ModelError>;

impl<'a> Checker<'a> {
    fn err_at(&self, span: Range<usize>, message: impl Into<String>) -> ModelError {
        let (line, column) = line_col(self.src, span.start);
        ModelError {
            file: self.file.to_owned(),
            line,
            column,
            message: message.into(),
        }
    }

    fn err<T>(&self, span: Range<usize>, message: impl Into<String>) -> Res<T> {
        Err(self.err_at(span, message))
    }

    fn id(&self, s: &Spanned<String>, what: &str) -> Res<String> {
        if !is_id(s.get_ref()) {
            return self.err(
                s.span(),
                format!(
                    "{what} `{}` must be lower-case letters, digits and hyphens ([a-z0-9-]+)",
                    s.get_ref()
                ),
            );
        }
        Ok(s.get_ref().clone())
    }

    fn unique(&self, seen: &mut BTreeSet<String>, s: &Spanned<String>, what: &str) -> Res<String> {
        let id = self.id(s, what)?;
        if !seen.insert(id.clone()) {
            return self.err(s.span(), format!("duplicate {what} `{id}`"));
        }
        Ok(id)
    }

    fn text(&self, langs: &[String], t: &Spanned<RawText>, what: &str) -> Res<Text> {
        let map = t.get_ref();
        let mut out = Vec::with_capacity(langs.len());
        for l in langs {
            match map.get(l) {
                Some(s) if !s.trim().is_empty() => out.push((l.clone(), s.clone())),
                Some(_) => return self.err(t.span(), format!("{what}: the `{l}` text is empty")),
                None => {
                    return self.err(
                        t.span(),
                        format!(
                            "{what}: missing the `{l}` text (every text needs {})",
                            one_of(&langs.iter().map(String::as_str).collect::<Vec<_>>())
                        ),
                    )
                }
            }
        }
        if let Some(extra) = map.keys().find(|k| !langs.contains(k)) {
            return self.err(
                t.span(),
                format!(
                    "{what}: `{extra}` is not one of the model's languages ({})",
                    one_of(&langs.iter().map(String::as_str).collect::<Vec<_>>())
                ),
            );
        }
        Ok(Text(out))
    }

    fn positive(&self, v: &Option<Spanned<f64>>, what: &str, default: f64) -> Res<f64> {
        match v {
            None => Ok(default),
            Some(w) if w.get_ref().is_finite() && *w.get_ref() > 0.0 => Ok(*w.get_ref()),
            Some(w) => self.err(w.span(), format!("{what} must be a number above 0")),
        }
    }

    fn threshold(&self, v: &Option<Spanned<f64>>, default: f64) -> Res<f64> {
        match v {
            None => Ok(default),
            Some(w) if (0.0..=100.0).contains(w.get_ref()) => Ok(*w.get_ref()),
            Some(w) => self.err(w.span(), "gap_threshold must be between 0 and 100"),
        }
    }

    fn choices(
        &self,
        langs: &[String],
        list: &Spanned<Vec<Spanned<RawChoice>>>,
        what: &str,
        scored: bool,
    ) -> Res<Vec<(Choice, Option<f64>)>> {
        if list.get_ref().is_empty() {
            return self.err(list.span(), format!("{what}: expected at least one entry"));
        }
        let mut seen = BTreeSet::new();
        let mut out = Vec::new();
        for c in list.get_ref() {
            let c = c.get_ref();
            let id = self.unique(&mut seen, &c.id, what)?;
            let label = self.text(langs, &c.label, &format!("{what} `{id}`"))?;
            let score = match (&c.score, scored) {
                (Some(s), true) => {
                    if !(0.0..=10.0).contains(s.get_ref()) {
                        return self.err(
                            s.span(),
                            format!("{what} `{id}`: score must be between 0 and 10"),
                        );
                    }
                    Some(*s.get_ref())
                }
                (None, true) => {
                    return self.err(
                        c.id.span(),
                        format!("{what} `{id}`: a single_choice option needs a `score` (0 to 10)"),
                    )
                }
                (Some(s), false) => {
                    return self.err(
                        s.span(),
                        format!("{what} `{id}`: only single_choice options have a `score`"),
                    )
                }
                (None, false) => None,
            };
            out.push((Choice { id, label }, score));
        }
        Ok(out)
    }

    fn check(&self, raw: RawModel) -> Res<Model> {
        let meta_span = raw.model.span();
        let m = raw.model.into_inner();
        // Languages first: every text is checked against them.
        let langs = m.languages.get_ref().clone();
        if langs.is_empty() {
            return self.err(
                m.languages.span(),
                "languages: expected at least one language, e.g. [\"nl\", \"en\"]",
            );
        }
        let mut seen = BTreeSet::new();
        for l in &langs {
            if !is_id(l) || !seen.insert(l.clone()) {
                return self.err(
                    m.languages.span(),
                    format!("languages: `{l}` is duplicate or not a language code"),
                );
            }
        }
        let id = self.id(&m.id, "model id")?;
        if m.version.get_ref().trim().is_empty() {
            return self.err(m.version.span(), "version must not be empty");
        }
        let mode = match m.mode.get_ref().as_str() {
            "key_informant" => Mode::KeyInformant,
            "perspectives" => Mode::Perspectives,
            other => {
                return self.err(
                    m.mode.span(),
                    format!(
                        "expected one of key_informant, perspectives for `mode`, found `{other}`"
                    ),
                )
            }
        };
        let overall = match m.overall.as_ref().map(|s| (s.get_ref().as_str(), s.span())) {
            None | Some(("mean", _)) => Overall::Mean,
            Some(("weighted", _)) => Overall::Weighted,
            Some((other, span)) => {
                return self.err(
                    span,
                    format!("expected one of mean, weighted for `overall`, found `{other}`"),
                )
            }
        };
        let grid_reading = match m
            .grid_reading
            .as_ref()
            .map(|s| (s.get_ref().as_str(), s.span()))
        {
            None | Some(("row", _)) => GridReading::Row,
            Some(("columns", _)) => GridReading::Columns,
            Some((other, span)) => {
                return self.err(
                    span,
                    format!("expected one of row, columns for `grid_reading`, found `{other}`"),
                )
            }
        };
        let gap_threshold = self.threshold(&m.gap_threshold, 15.0)?;
        let meta = ModelMeta {
            title: self.text(&langs, &m.title, "model title")?,
            description: self.text(&langs, &m.description, "model description")?,
            id,
            version: m.version.get_ref().trim().to_owned(),
            languages: langs.clone(),
            mode,
            overall,
            grid_reading,
            gap_threshold,
        };

        // Bands.
        if raw.bands.is_empty() {
            return self.err(
                meta_span,
                "bands must cover 0–100: expected at least one [[bands]] entry",
            );
        }
        let mut bands: Vec<Band> = Vec::new();
        let mut seen = BTreeSet::new();
        for b in &raw.bands {
            let b = b.get_ref();
            let id = self.unique(&mut seen, &b.id, "band id")?;
            let from = *b.from.get_ref();
            match bands.last() {
                None if from != 0.0 => {
                    return self.err(b.from.span(), "bands must cover 0–100: the first band must start at `from = 0`")
                }
                Some(prev) if from.is_nan() || from <= prev.from => {
                    return self.err(
                        b.from.span(),
                        format!("bands must cover 0–100 in order: `from` {from} must be above the previous band's {}", prev.from),
                    )
                }
                _ if !(0.0..100.0).contains(&from) => {
                    return self.err(b.from.span(), "bands must cover 0–100: `from` must be below 100")
                }
                _ => {}
            }
            let label = self.text(&langs, &b.label, &format!("band `{id}`"))?;
            bands.push(Band { id, from, label });
        }

        // Scales.
        let mut scales = Vec::new();
        let mut seen = BTreeSet::new();
        for s in &raw.scales {
            let s = s.get_ref();
            let id = self.unique(&mut seen, &s.id, "scale id")?;
            if s.points.get_ref().len() < 2 {
                return self.err(
                    s.points.span(),
                    format!("scale `{id}`: expected at least two points"),
                );
            }
            let mut ids = BTreeSet::new();
            let mut points: Vec<ScalePoint> = Vec::new();
            for p in s.points.get_ref() {
                let p = p.get_ref();
                let pid = self.unique(&mut ids, &p.id, &format!("scale `{id}` point id"))?;
                let value = *p.value.get_ref();
                if let Some(prev) = points.last() {
                    if value <= prev.value {
                        return self.err(
                            p.value.span(),
                            format!(
                                "scale `{id}`: point values must be ascending ({value} after {})",
                                prev.value
                            ),
                        );
                    }
                }
                let label = self.text(&langs, &p.label, &format!("scale `{id}` point `{pid}`"))?;
                points.push(ScalePoint {
                    id: pid,
                    value,
                    label,
                });
            }
            let mut not_applicable = Vec::new();
            for n in &s.not_applicable {
                let n = n.get_ref();
                let nid = self.unique(&mut ids, &n.id, &format!("scale `{id}` answer id"))?;
                if let Some(sc) = &n.score {
                    return self.err(sc.span(), "a not-applicable answer has no score");
                }
                let label = self.text(&langs, &n.label, &format!("scale `{id}` answer `{nid}`"))?;
                not_applicable.push(Choice { id: nid, label });
            }
            scales.push(Scale {
                id,
                points,
                not_applicable,
            });
        }

        // Dimensions.
        let mut dimensions = Vec::new();
        let mut seen = BTreeSet::new();
        let band_ids: Vec<&str> = bands.iter().map(|b| b.id.as_str()).collect();
        for d in &raw.dimensions {
            let d_span = d.span();
            let d = d.get_ref();
            let id = self.unique(&mut seen, &d.id, "dimension id")?;
            if id == "overall" {
                return self.err(
                    d.id.span(),
                    "`overall` is reserved for the overall score; choose another dimension id",
                );
            }
            let what = format!("dimension `{id}`");
            let mut advice: Vec<Advice> = Vec::new();
            for a in &d.advice {
                let a = a.get_ref();
                let band = a.band.get_ref();
                if !band_ids.contains(&band.as_str()) {
                    return self.err(
                        a.band.span(),
                        format!("unknown band `{band}` (known: {})", one_of(&band_ids)),
                    );
                }
                if advice.iter().any(|x| &x.band == band) {
                    return self.err(
                        a.band.span(),
                        format!("{what}: duplicate advice for band `{band}`"),
                    );
                }
                let first_steps = a
                    .first_steps
                    .iter()
                    .map(|s| self.text(&langs, s, &format!("{what} first step")))
                    .collect::<Res<Vec<_>>>()?;
                advice.push(Advice {
                    band: band.clone(),
                    text: self.text(&langs, &a.text, &format!("{what} advice `{band}`"))?,
                    first_steps,
                });
            }
            if !advice.is_empty() {
                if let Some(missing) = band_ids
                    .iter()
                    .find(|b| !advice.iter().any(|a| a.band == **b))
                {
                    return self.err(
                        d_span,
                        format!("{what}: missing advice for band `{missing}` (one per band)"),
                    );
                }
                advice.sort_by_key(|a| band_ids.iter().position(|b| *b == a.band));
            }
            dimensions.push(Dimension {
                label: self.text(&langs, &d.label, &what)?,
                description: d
                    .description
                    .as_ref()
                    .map(|t| self.text(&langs, t, &what))
                    .transpose()?,
                weight: self.positive(&d.weight, &format!("{what}: weight"), 1.0)?,
                gap_threshold: self.threshold(&d.gap_threshold, gap_threshold)?,
                advice,
                id,
            });
        }
        if dimensions.is_empty() {
            return self.err(meta_span, "expected at least one [[dimensions]] entry");
        }
        let dim_ids: Vec<&str> = dimensions.iter().map(|d| d.id.as_str()).collect();

        // Questions.
        let mut questions = Vec::new();
        let mut seen = BTreeSet::new();
        for q in &raw.questions {
            let q = q.get_ref();
            let id = self.unique(&mut seen, &q.id, "question id")?;
            let what = format!("question `{id}`");
            let dimension = q.dimension.get_ref();
            if !dim_ids.contains(&dimension.as_str()) {
                return self.err(
                    q.dimension.span(),
                    format!(
                        "unknown dimension `{dimension}` (known: {})",
                        one_of(&dim_ids)
                    ),
                );
            }
            let ty = q.kind.get_ref().as_str();
            if !QUESTION_TYPES.contains(&ty) {
                return self.err(
                    q.kind.span(),
                    format!(
                        "expected one of {} for `type`, found `{ty}`",
                        one_of(QUESTION_TYPES)
                    ),
                );
            }
            // Which optional fields the type uses; any other is a mistake worth naming.
            let uses = |field: &str| match field {
                "options" => matches!(ty, "checklist" | "single_choice"),
                "rows" => matches!(ty, "grid" | "adoption" | "tristate"),
                "scale" | "reversed" => ty == "likert",
                "levels" => ty == "gated_level",
                _ => false,
            };
            let given: [(&str, Option<Range<usize>>); 5] = [
                ("options", q.options.as_ref().map(|s| s.span())),
                ("rows", q.rows.as_ref().map(|s| s.span())),
                ("scale", q.scale.as_ref().map(|s| s.span())),
                ("reversed", q.reversed.as_ref().map(|s| s.span())),
                ("levels", q.levels.as_ref().map(|s| s.span())),
            ];
            for (field, span) in given {
                if let Some(span) = span {
                    if !uses(field) {
                        return self.err(
                            span,
                            format!("{what}: `{field}` is not used by a {ty} question"),
                        );
                    }
                }
            }
            let need = |field: &str| {
                self.err_at(
                    q.kind.span(),
                    format!("{what}: a {ty} question needs `{field}`"),
                )
            };
            let kind = match ty {
                "checklist" | "single_choice" => {
                    let list = q.options.as_ref().ok_or_else(|| need("options"))?;
                    let scored = ty == "single_choice";
                    let opts = self.choices(&langs, list, &format!("{what} option"), scored)?;
                    if scored {
                        QuestionKind::SingleChoice {
                            options: opts
                                .into_iter()
                                .map(|(c, s)| ScoredOption {
                                    id: c.id,
                                    label: c.label,
                                    score: s.unwrap_or(0.0),
                                })
                                .collect(),
                        }
                    } else {
                        QuestionKind::Checklist {
                            options: opts.into_iter().map(|(c, _)| c).collect(),
                        }
                    }
                }
                "grid" | "adoption" | "tristate" => {
                    let list = q.rows.as_ref().ok_or_else(|| need("rows"))?;
                    let rows = self
                        .choices(&langs, list, &format!("{what} row"), false)?
                        .into_iter()
                        .map(|(c, _)| c)
                        .collect();
                    match ty {
                        "grid" => QuestionKind::Grid { rows },
                        "adoption" => QuestionKind::Adoption { rows },
                        _ => QuestionKind::Tristate { rows },
                    }
                }
                "likert" => {
                    let s = q.scale.as_ref().ok_or_else(|| need("scale"))?;
                    let scale = scales
                        .iter()
                        .find(|x| x.id == *s.get_ref())
                        .ok_or_else(|| {
                            let known: Vec<&str> = scales.iter().map(|x| x.id.as_str()).collect();
                            self.err_at(
                                s.span(),
                                format!(
                                    "unknown scale `{}` (known: {})",
                                    s.get_ref(),
                                    if known.is_empty() {
                                        "none".to_owned()
                                    } else {
                                        one_of(&known)
                                    }
                                ),
                            )
                        })?;
                    QuestionKind::Likert {
                        scale: scale.clone(),
                        reversed: q.reversed.as_ref().is_some_and(|r| *r.get_ref()),
                    }
                }
                "gated_level" => {
                    let list = q.levels.as_ref().ok_or_else(|| need("levels"))?;
                    if list.get_ref().is_empty() {
                        return self
                            .err(list.span(), format!("{what}: expected at least one level"));
                    }
                    let mut levels = Vec::new();
                    let mut ids = BTreeSet::new();
                    for (i, l) in list.get_ref().iter().enumerate() {
                        let l = l.get_ref();
                        let crit = self.choices(
                            &langs,
                            &l.criteria,
                            &format!("{what} level {} criterion", i + 1),
                            false,
                        )?;
                        let mut criteria = Vec::new();
                        for ((c, _), raw) in crit.into_iter().zip(l.criteria.get_ref()) {
                            if !ids.insert(c.id.clone()) {
                                return self.err(
                                    raw.get_ref().id.span(),
                                    format!("{what}: duplicate criterion id `{}`", c.id),
                                );
                            }
                            criteria.push(c);
                        }
                        levels.push(Level {
                            label: self.text(
                                &langs,
                                &l.label,
                                &format!("{what} level {}", i + 1),
                            )?,
                            criteria,
                        });
                    }
                    QuestionKind::GatedLevel { levels }
                }
                _ => QuestionKind::Text,
            };
            questions.push(Question {
                text: self.text(&langs, &q.text, &what)?,
                text_others: q
                    .text_others
                    .as_ref()
                    .map(|t| self.text(&langs, t, &what))
                    .transpose()?,
                help: q
                    .help
                    .as_ref()
                    .map(|t| self.text(&langs, t, &what))
                    .transpose()?,
                weight: self.positive(&q.weight, &format!("{what}: weight"), 1.0)?,
                required: q.required,
                dimension: dimension.clone(),
                kind,
                id,
            });
        }
        for (d, raw_d) in dimensions.iter().zip(&raw.dimensions) {
            if !questions
                .iter()
                .any(|q| q.dimension == d.id && q.kind.is_scored())
            {
                return self.err(
                    raw_d.get_ref().id.span(),
                    format!("dimension `{}` has no scored question", d.id),
                );
            }
        }

        // Rules.
        let mut rules = Vec::new();
        let mut seen = BTreeSet::new();
        for r in &raw.rules {
            let r = r.get_ref();
            let id = self.unique(&mut seen, &r.id, "rule id")?;
            let kind = match r.kind.get_ref().as_str() {
                "advice" => RuleKind::Advice,
                "leader_profile" => RuleKind::LeaderProfile,
                other => {
                    return self.err(
                        r.kind.span(),
                        format!(
                            "expected one of advice, leader_profile for `kind`, found `{other}`"
                        ),
                    )
                }
            };
            let when = r.when.get_ref();
            // The expression's own offsets, moved past the opening quote of the string;
            // exact for basic strings without escapes, which is what conditions use.
            let base = r.when.span().start + 1;
            let condition = Condition::parse(when).map_err(|e| {
                self.err_at(
                    base + e.offset..base + e.offset,
                    format!("rule `{id}`: {}", e.message),
                )
            })?;
            for name in condition.names() {
                if name != "overall" && !dim_ids.contains(&name) {
                    let at = when.find(name).unwrap_or(0);
                    return self.err(
                        base + at..base + at,
                        format!(
                            "rule `{id}`: unknown dimension `{name}` (known: {}, overall)",
                            one_of(&dim_ids)
                        ),
                    );
                }
            }
            rules.push(Rule {
                title: self.text(&langs, &r.title, &format!("rule `{id}`"))?,
                text: self.text(&langs, &r.text, &format!("rule `{id}`"))?,
                when: when.clone(),
                condition,
                kind,
                id,
            });
        }

        let hash = Sha256::digest(self.src.as_bytes())
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        Ok(Model {
            meta,
            bands,
            scales,
            dimensions,
            questions,
            rules,
            source: self.src.to_owned(),
            hash,
        })
    }
}

/// The JSON Schema of the model file format, generated from the file types
/// (`koers model schema` prints it; `docs/scan-model.schema.json` is this text).
pub fn json_schema() -> String {
    let schema = schemars::schema_for!(RawModel);
    let mut s = serde_json::to_string_pretty(&schema).unwrap_or_default();
    s.push('\n');
    s
}
