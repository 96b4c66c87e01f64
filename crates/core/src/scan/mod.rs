//! Scan's domain: assessment models as files, answers, scoring, aggregation over
//! perspectives with the anonymity rule, perception gaps and peer benchmarks.
//!
//! - [`model`]: the model file, checked into a [`Model`] (errors with line and column);
//! - [`builtin`]: the models shipped in the binary;
//! - [`answers`]: one respondent's answers, parsed from form fields or import rows;
//! - [`score`]: the JRC scoring of one respondent (0–10 per question, 0–100 per
//!   dimension);
//! - [`results`]: a wave's results over perspectives with the one anonymity rule,
//!   perception gaps, advice and rules, change since the previous wave;
//! - [`benchmark`]: the organisation against its peers (median, P25–P75, percentile).

pub mod answers;
pub mod benchmark;
pub mod builtin;
pub mod expr;
mod file;
pub mod model;
pub mod results;
pub mod score;

pub use answers::{
    field_name, grid_field_name, Answer, AnswerError, Answers, GridCell, GridColumn, LikertAnswer,
    Tri,
};
pub use benchmark::{benchmark, BenchmarkFigure, MIN_PEERS};
pub use builtin::builtin_models;
pub use model::{
    json_schema, Advice, Band, Choice, Dimension, GridReading, Level, Mode, Model, ModelError,
    ModelMeta, Overall, Question, QuestionKind, Rule, RuleKind, Scale, ScalePoint, ScoredOption,
    Text,
};
pub use results::{
    aggregate, change, Change, DimensionResult, Gap, Interval, PerspectiveInput, WaveResults,
};
pub use score::{question_score, score, ResponseScore};
