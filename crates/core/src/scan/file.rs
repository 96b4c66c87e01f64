//! The model file as it is written: the TOML shape, deserialised with spans so that
//! every error can name a line and column, and described for the JSON Schema. These
//! types are checked and turned into [`super::model::Model`]; nothing else uses them.
//!
//! Enumerated settings (`type`, `mode`, `overall`, `grid_reading`, `kind`) are read as
//! strings and checked by hand, so that the message can list what is allowed in the
//! words of the format ("expected one of checklist, grid, … for `type`"); the schema
//! still lists the allowed values.

use schemars::JsonSchema;
use serde::Deserialize;
use std::collections::BTreeMap;
use toml::Spanned;

/// Per-language text: a table from language code to string, e.g. `{ nl = "…", en = "…" }`.
pub type RawText = BTreeMap<String, String>;

/// A Scan assessment model (Koers). One TOML file per model version.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "Koers Scan model")]
pub struct RawModel {
    #[schemars(with = "RawMeta")]
    pub model: Spanned<RawMeta>,
    #[schemars(with = "Vec<RawBand>")]
    pub bands: Vec<Spanned<RawBand>>,
    #[serde(default)]
    #[schemars(with = "Vec<RawScale>")]
    pub scales: Vec<Spanned<RawScale>>,
    #[schemars(with = "Vec<RawDimension>")]
    pub dimensions: Vec<Spanned<RawDimension>>,
    #[schemars(with = "Vec<RawQuestion>")]
    pub questions: Vec<Spanned<RawQuestion>>,
    #[serde(default)]
    #[schemars(with = "Vec<RawRule>")]
    pub rules: Vec<Spanned<RawRule>>,
}

#[derive(Debug, Clone, Copy, JsonSchema)]
#[serde(rename_all = "snake_case")]
#[allow(dead_code)] // only described in the schema; the file holds a string
pub enum RawMode {
    KeyInformant,
    Perspectives,
}

#[derive(Debug, Clone, Copy, JsonSchema)]
#[serde(rename_all = "snake_case")]
#[allow(dead_code)]
pub enum RawOverall {
    Mean,
    Weighted,
}

#[derive(Debug, Clone, Copy, JsonSchema)]
#[serde(rename_all = "snake_case")]
#[allow(dead_code)]
pub enum RawGridReading {
    Row,
    Columns,
}

#[derive(Debug, Clone, Copy, JsonSchema)]
#[serde(rename_all = "snake_case")]
#[allow(dead_code)]
pub enum RawQuestionType {
    Checklist,
    Grid,
    Adoption,
    Tristate,
    SingleChoice,
    Likert,
    GatedLevel,
    Text,
}

#[derive(Debug, Clone, Copy, JsonSchema)]
#[serde(rename_all = "snake_case")]
#[allow(dead_code)]
pub enum RawRuleKind {
    Advice,
    LeaderProfile,
}

/// `[model]`: what the model is and how it is scored.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawMeta {
    /// Stable id, `[a-z0-9-]+`.
    #[schemars(with = "String", regex(pattern = r"^[a-z0-9-]+$"))]
    pub id: Spanned<String>,
    #[schemars(with = "String")]
    pub version: Spanned<String>,
    /// Every text in the file has every language listed here; the first is the fallback.
    #[schemars(with = "Vec<String>")]
    pub languages: Spanned<Vec<String>>,
    /// `key_informant` (one respondent speaks for the organisation) or `perspectives`.
    #[schemars(with = "RawMode")]
    pub mode: Spanned<String>,
    #[schemars(with = "RawText")]
    pub title: Spanned<RawText>,
    #[schemars(with = "RawText")]
    pub description: Spanned<RawText>,
    /// `mean` (unweighted mean of dimension scores, the default) or `weighted`.
    #[serde(default)]
    #[schemars(with = "Option<RawOverall>")]
    pub overall: Option<Spanned<String>>,
    /// Two-column grids: `row` (default; 1 if implemented, 0.5 if only planned) or
    /// `columns` (each column its own sub-score).
    #[serde(default)]
    #[schemars(with = "Option<RawGridReading>")]
    pub grid_reading: Option<Spanned<String>>,
    /// Default perception-gap threshold in points on 0–100 (default 15).
    #[serde(default)]
    #[schemars(with = "Option<f64>")]
    pub gap_threshold: Option<Spanned<f64>>,
}

/// A level band; bands cover 0–100 in order, a score is in the last band whose `from`
/// it reaches.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawBand {
    #[schemars(with = "String")]
    pub id: Spanned<String>,
    #[schemars(with = "f64")]
    pub from: Spanned<f64>,
    #[schemars(with = "RawText")]
    pub label: Spanned<RawText>,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawScale {
    #[schemars(with = "String")]
    pub id: Spanned<String>,
    #[schemars(with = "Vec<RawPoint>")]
    pub points: Spanned<Vec<Spanned<RawPoint>>>,
    #[serde(default)]
    #[schemars(with = "Vec<RawChoice>")]
    pub not_applicable: Vec<Spanned<RawChoice>>,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawPoint {
    #[schemars(with = "String")]
    pub id: Spanned<String>,
    #[schemars(with = "i64")]
    pub value: Spanned<i64>,
    #[schemars(with = "RawText")]
    pub label: Spanned<RawText>,
}

/// An option, row or criterion: an id and a label; a single-choice option also has a
/// score from 0 to 10.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawChoice {
    #[schemars(with = "String")]
    pub id: Spanned<String>,
    #[schemars(with = "RawText")]
    pub label: Spanned<RawText>,
    #[serde(default)]
    #[schemars(with = "Option<f64>")]
    pub score: Option<Spanned<f64>>,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawDimension {
    #[schemars(with = "String")]
    pub id: Spanned<String>,
    #[schemars(with = "RawText")]
    pub label: Spanned<RawText>,
    #[serde(default)]
    #[schemars(with = "Option<RawText>")]
    pub description: Option<Spanned<RawText>>,
    #[serde(default)]
    #[schemars(with = "Option<f64>")]
    pub weight: Option<Spanned<f64>>,
    #[serde(default)]
    #[schemars(with = "Option<f64>")]
    pub gap_threshold: Option<Spanned<f64>>,
    /// Advice per band: one entry for every band id.
    #[serde(default)]
    #[schemars(with = "Vec<RawAdvice>")]
    pub advice: Vec<Spanned<RawAdvice>>,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawAdvice {
    #[schemars(with = "String")]
    pub band: Spanned<String>,
    #[schemars(with = "RawText")]
    pub text: Spanned<RawText>,
    #[serde(default)]
    #[schemars(with = "Vec<RawText>")]
    pub first_steps: Vec<Spanned<RawText>>,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawLevel {
    #[schemars(with = "RawText")]
    pub label: Spanned<RawText>,
    #[schemars(with = "Vec<RawChoice>")]
    pub criteria: Spanned<Vec<Spanned<RawChoice>>>,
}

/// A question. Which of `options`, `rows`, `scale`/`reversed` and `levels` it needs
/// depends on its `type`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawQuestion {
    #[schemars(with = "String", regex(pattern = r"^[a-z0-9-]+$"))]
    pub id: Spanned<String>,
    #[schemars(with = "String")]
    pub dimension: Spanned<String>,
    #[serde(rename = "type")]
    #[schemars(with = "RawQuestionType")]
    pub kind: Spanned<String>,
    #[schemars(with = "RawText")]
    pub text: Spanned<RawText>,
    #[serde(default)]
    #[schemars(with = "Option<RawText>")]
    pub text_others: Option<Spanned<RawText>>,
    #[serde(default)]
    #[schemars(with = "Option<RawText>")]
    pub help: Option<Spanned<RawText>>,
    #[serde(default)]
    #[schemars(with = "Option<f64>")]
    pub weight: Option<Spanned<f64>>,
    #[serde(default)]
    pub required: bool,
    #[serde(default)]
    #[schemars(with = "Option<Vec<RawChoice>>")]
    pub options: Option<Spanned<Vec<Spanned<RawChoice>>>>,
    #[serde(default)]
    #[schemars(with = "Option<Vec<RawChoice>>")]
    pub rows: Option<Spanned<Vec<Spanned<RawChoice>>>>,
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub scale: Option<Spanned<String>>,
    #[serde(default)]
    #[schemars(with = "Option<bool>")]
    pub reversed: Option<Spanned<bool>>,
    #[serde(default)]
    #[schemars(with = "Option<Vec<RawLevel>>")]
    pub levels: Option<Spanned<Vec<Spanned<RawLevel>>>>,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawRule {
    #[schemars(with = "String")]
    pub id: Spanned<String>,
    /// `advice` or `leader_profile`.
    #[schemars(with = "RawRuleKind")]
    pub kind: Spanned<String>,
    /// Dimension ids, `overall`, numbers, `< <= > >= ==`, `&&`, `||`, `!`, parentheses.
    #[schemars(with = "String")]
    pub when: Spanned<String>,
    #[schemars(with = "RawText")]
    pub title: Spanned<RawText>,
    #[schemars(with = "RawText")]
    pub text: Spanned<RawText>,
}
