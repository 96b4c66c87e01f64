//! What the room decided in the end: dot totals and the order of the results.

use super::tally::Tally;
use crate::StatementId;
use std::cmp::Ordering;
use std::collections::BTreeMap;

/// Dots per statement summed over every participant's allocation, from
/// (statement, dots) pairs (the store's rows without the participant).
pub fn dot_totals(
    dots: impl IntoIterator<Item = (StatementId, i64)>,
) -> BTreeMap<StatementId, i64> {
    let mut totals: BTreeMap<StatementId, i64> = BTreeMap::new();
    for (statement, n) in dots {
        let t = totals.entry(statement).or_default();
        *t = t.saturating_add(n);
    }
    totals
}

/// The statements with the most dots, most first (ties by id), at most `limit`: the
/// "what we prioritised" list participants see when the session closes.
pub fn top_by_dots(totals: &BTreeMap<StatementId, i64>, limit: usize) -> Vec<(StatementId, i64)> {
    let mut ranked: Vec<(StatementId, i64)> = totals.iter().map(|(s, n)| (*s, *n)).collect();
    ranked.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    ranked.truncate(limit);
    ranked
}

/// The order of the results page: most dots first, then statements with enough
/// votes to rank ([`super::tally::MIN_VOTES_TO_RANK`]) before those without, then
/// the highest whole percent agree. Equal statements keep their order, so sort
/// with a stable sort.
pub fn compare_results(a: (i64, &Tally), b: (i64, &Tally)) -> Ordering {
    b.0.cmp(&a.0)
        .then(b.1.enough_to_rank().cmp(&a.1.enough_to_rank()))
        .then(b.1.percent_agree_whole().cmp(&a.1.percent_agree_whole()))
}
