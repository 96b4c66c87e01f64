//! The prioritisation shortlist, held to the participant page's former rule.

use koers_core::sessie::shortlist::SHORTLIST_MAX;
use koers_core::sessie::{shortlist, ShortlistCandidates, Tallies, VoteChoice};
use koers_core::StatementId;
use proptest::prelude::*;
use std::collections::{BTreeMap, BTreeSet};

fn ids(v: &[i64]) -> Vec<StatementId> {
    v.iter().copied().map(StatementId).collect()
}

fn no_votes() -> Tallies {
    Tallies::default()
}

fn agrees(counts: &[(i64, u32)]) -> Tallies {
    Tallies::from_choices(
        counts
            .iter()
            .flat_map(|(s, n)| (0..*n).map(move |_| (StatementId(*s), VoteChoice::Agree))),
    )
}

#[test]
fn analysis_first_bridging_then_groups_then_consensus() {
    let c = ShortlistCandidates {
        bridging: ids(&[5, 9]),
        group_agreements: vec![ids(&[1, 2, 3]), ids(&[5, 4])],
        consensus_agreements: ids(&[6, 1]),
    };
    let accepted = ids(&[1, 2, 3, 4, 5, 6, 7, 8]);
    // 9 is not accepted; 3 is a group's third; 5 and 1 only once.
    assert_eq!(
        shortlist(&c, accepted, &agrees(&[(7, 9)])),
        ids(&[5, 1, 2, 4, 6])
    );
}

#[test]
fn a_rejected_favourite_is_not_replaced_by_the_groups_third() {
    let c = ShortlistCandidates {
        group_agreements: vec![ids(&[1, 2, 3])],
        consensus_agreements: ids(&[4, 5]),
        ..ShortlistCandidates::default()
    };
    assert_eq!(
        shortlist(&c, ids(&[2, 3, 4, 5]), &no_votes()),
        ids(&[2, 4, 5])
    );
}

#[test]
fn early_on_the_most_agreed_fill_the_ballot() {
    let none = ShortlistCandidates::default();
    let accepted = ids(&[1, 2, 3, 4]);
    assert_eq!(
        shortlist(&none, accepted.clone(), &agrees(&[(3, 2), (2, 5), (4, 2)])),
        ids(&[2, 3, 4, 1])
    );
    // Two from the analysis are too few: the rest follow by agreement.
    let two = ShortlistCandidates {
        bridging: ids(&[4, 1]),
        ..ShortlistCandidates::default()
    };
    assert_eq!(
        shortlist(&two, accepted, &agrees(&[(3, 1)])),
        ids(&[4, 1, 3, 2])
    );
    assert!(shortlist(&none, [], &no_votes()).is_empty());
}

#[test]
fn at_most_ten() {
    let c = ShortlistCandidates {
        bridging: ids(&(1..=15).collect::<Vec<_>>()),
        ..ShortlistCandidates::default()
    };
    let accepted = ids(&(1..=20).collect::<Vec<_>>());
    assert_eq!(
        shortlist(&c, accepted.clone(), &no_votes()),
        ids(&(1..=10).collect::<Vec<_>>())
    );
    assert_eq!(
        shortlist(&ShortlistCandidates::default(), accepted, &no_votes()).len(),
        SHORTLIST_MAX
    );
}

/// deelnemer.rs `shortlist`, as it was, on plain ids.
fn old_shortlist(
    c: &ShortlistCandidates,
    accepted: &BTreeSet<StatementId>,
    agree: &BTreeMap<StatementId, usize>,
) -> Vec<StatementId> {
    let mut ids: Vec<StatementId> = c.bridging.clone();
    for g in &c.group_agreements {
        ids.extend(g.iter().take(2));
    }
    ids.extend(c.consensus_agreements.iter());
    let mut out: Vec<StatementId> = vec![];
    for id in ids {
        if accepted.contains(&id) && !out.contains(&id) {
            out.push(id);
        }
    }
    if out.len() < 3 {
        let mut by_agree: Vec<(StatementId, usize)> = accepted
            .iter()
            .map(|id| (*id, agree.get(id).copied().unwrap_or(0)))
            .collect();
        by_agree.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        for (id, _) in by_agree {
            if !out.contains(&id) {
                out.push(id);
            }
        }
    }
    out.truncate(10);
    out
}

fn id_list(max: usize) -> impl Strategy<Value = Vec<StatementId>> {
    proptest::collection::vec((0i64..20).prop_map(StatementId), 0..max)
}

fn candidates() -> impl Strategy<Value = ShortlistCandidates> {
    (
        id_list(6),
        proptest::collection::vec(id_list(5), 0..4),
        id_list(6),
    )
        .prop_map(
            |(bridging, group_agreements, consensus_agreements)| ShortlistCandidates {
                bridging,
                group_agreements,
                consensus_agreements,
            },
        )
}

proptest! {
    #[test]
    fn the_shortlist_is_the_old_shortlist(
        c in candidates(),
        accepted in proptest::collection::btree_set((0i64..20).prop_map(StatementId), 0..20),
        agree in proptest::collection::btree_map((0i64..20).prop_map(StatementId), 0usize..6, 0..20),
    ) {
        let tallies = Tallies::from_choices(agree.iter().flat_map(|(s, n)| (0..*n).map(move |_| (*s, VoteChoice::Agree))));
        let new = shortlist(&c, accepted.iter().copied(), &tallies);
        prop_assert_eq!(&new, &old_shortlist(&c, &accepted, &agree));

        // The invariants, stated once more on their own.
        prop_assert!(new.len() <= SHORTLIST_MAX);
        prop_assert!(new.iter().all(|id| accepted.contains(id)));
        let unique: BTreeSet<_> = new.iter().collect();
        prop_assert_eq!(unique.len(), new.len());
    }

    #[test]
    fn the_order_of_accepted_statements_does_not_matter(
        c in candidates(),
        accepted in proptest::collection::vec((0i64..20).prop_map(StatementId), 0..20)
            .prop_flat_map(|v| (Just(v.clone()), Just(v).prop_shuffle())),
    ) {
        let (a, b) = accepted;
        let tallies = no_votes();
        prop_assert_eq!(shortlist(&c, a, &tallies), shortlist(&c, b, &tallies));
    }
}
