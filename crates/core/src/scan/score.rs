//! Scoring one respondent, the JRC way: each question 0–10, a dimension 10 × the
//! weighted mean of its scored questions (0–100), overall per the model's `overall`.
//!
//! Per question type:
//! - checklist: 10 · ticked / options (nothing ticked is an answer: 0);
//! - grid, `row` reading: a row scores 1 if implemented, 0.5 if only planned, else 0;
//!   `columns` reading: the planned share and the implemented share of rows are each
//!   a sub-score and the row value is their mean; 10 × the mean over all rows;
//! - adoption: 10 · mean(v / 5) over answered rows;
//! - tristate: 10 · mean(nee 0, deels 0.5, ja 1) over answered rows;
//! - single_choice: the chosen option's score;
//! - likert: 10 · (v − min) / (max − min), reversed: 10 minus that;
//! - gated_level: 10 · reached / levels, reached = the highest level whose criteria
//!   and all lower levels' criteria are ticked;
//! - text: never scored.
//!
//! Left out (not counted in the dimension): an adoption or tristate question with no
//! row answered, an unanswered or not-applicable likert, an unanswered single choice.
//! A dimension with no scored question has no score; overall has no score when no
//! dimension has one, and otherwise combines the dimensions that have one.

use super::answers::{Answer, Answers, LikertAnswer};
use super::model::{GridReading, Model, Overall, Question, QuestionKind};
use serde::{Deserialize, Serialize};

/// One respondent's scores: per dimension in model order (0–100), and overall.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct ResponseScore {
    pub dimensions: Vec<Option<f64>>,
    pub overall: Option<f64>,
}

fn mean(values: impl Iterator<Item = f64>) -> Option<f64> {
    let (sum, n) = values.fold((0.0, 0usize), |(s, n), v| (s + v, n + 1));
    (n > 0).then(|| sum / n as f64)
}

/// A question's score, 0–10, or `None` when it is left out. An answer of the wrong
/// type for the question (a stored answer from another model version) is left out.
pub fn question_score(
    q: &Question,
    answer: Option<&Answer>,
    grid_reading: GridReading,
) -> Option<f64> {
    match (&q.kind, answer) {
        (QuestionKind::Text, _) => None,
        (QuestionKind::Checklist { options }, a) => {
            let ticked = match a {
                Some(Answer::Checklist(set)) => {
                    options.iter().filter(|o| set.contains(&o.id)).count()
                }
                None => 0,
                Some(_) => return None,
            };
            Some(10.0 * ticked as f64 / options.len().max(1) as f64)
        }
        (QuestionKind::Grid { rows }, a) => {
            let empty = Default::default();
            let cells = match a {
                Some(Answer::Grid(m)) => m,
                None => &empty,
                Some(_) => return None,
            };
            let n = rows.len().max(1) as f64;
            let cell = |id: &str| cells.get(id).copied().unwrap_or_default();
            let v = match grid_reading {
                GridReading::Row => {
                    rows.iter()
                        .map(|r| {
                            let c = cell(&r.id);
                            if c.implemented {
                                1.0
                            } else if c.planned {
                                0.5
                            } else {
                                0.0
                            }
                        })
                        .sum::<f64>()
                        / n
                }
                GridReading::Columns => {
                    let planned = rows.iter().filter(|r| cell(&r.id).planned).count() as f64 / n;
                    let implemented =
                        rows.iter().filter(|r| cell(&r.id).implemented).count() as f64 / n;
                    (planned + implemented) / 2.0
                }
            };
            Some(10.0 * v)
        }
        (QuestionKind::Adoption { rows }, Some(Answer::Adoption(m))) => mean(
            rows.iter()
                .filter_map(|r| m.get(&r.id))
                .map(|v| f64::from((*v).min(5)) / 5.0),
        )
        .map(|v| 10.0 * v),
        (QuestionKind::Tristate { rows }, Some(Answer::Tristate(m))) => {
            mean(rows.iter().filter_map(|r| m.get(&r.id)).map(|t| t.value())).map(|v| 10.0 * v)
        }
        (QuestionKind::SingleChoice { options }, Some(Answer::SingleChoice(id))) => {
            options.iter().find(|o| &o.id == id).map(|o| o.score)
        }
        (
            QuestionKind::Likert { scale, reversed },
            Some(Answer::Likert(LikertAnswer::Point(v))),
        ) => {
            let (min, max) = (scale.min(), scale.max());
            if max <= min || *v < min || *v > max {
                return None;
            }
            let s = 10.0 * (*v - min) as f64 / (max - min) as f64;
            Some(if *reversed { 10.0 - s } else { s })
        }
        (QuestionKind::GatedLevel { levels }, a) => {
            let ticked = match a {
                Some(Answer::GatedLevel(set)) => Some(set),
                None => None,
                Some(_) => return None,
            };
            let reached = levels
                .iter()
                .take_while(|l| {
                    l.criteria
                        .iter()
                        .all(|c| ticked.is_some_and(|t| t.contains(&c.id)))
                })
                .count();
            Some(10.0 * reached as f64 / levels.len().max(1) as f64)
        }
        _ => None,
    }
}

/// Combines dimension scores (model order) into the overall score.
pub fn overall(model: &Model, dimensions: &[Option<f64>]) -> Option<f64> {
    let (sum, weights) = model
        .dimensions
        .iter()
        .zip(dimensions)
        .filter_map(|(d, s)| s.map(|s| (s, d.weight)))
        .fold((0.0, 0.0), |(sum, w), (s, dw)| match model.meta.overall {
            Overall::Mean => (sum + s, w + 1.0),
            Overall::Weighted => (sum + s * dw, w + dw),
        });
    (weights > 0.0).then(|| sum / weights)
}

/// Scores one respondent's answers.
pub fn score(model: &Model, answers: &Answers) -> ResponseScore {
    let grid = model.meta.grid_reading;
    let mut sums = vec![(0.0f64, 0.0f64); model.dimensions.len()];
    for q in &model.questions {
        let Some(i) = model.dimension_index(&q.dimension) else {
            continue;
        };
        if let Some(s) = question_score(q, answers.get(&q.id), grid) {
            if let Some(slot) = sums.get_mut(i) {
                slot.0 += s * q.weight;
                slot.1 += q.weight;
            }
        }
    }
    let dimensions: Vec<Option<f64>> = sums
        .into_iter()
        .map(|(s, w)| (w > 0.0).then(|| (10.0 * s / w).clamp(0.0, 100.0)))
        .collect();
    ResponseScore {
        overall: overall(model, &dimensions),
        dimensions,
    }
}
