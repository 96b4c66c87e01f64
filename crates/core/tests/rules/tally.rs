//! The one vote tally, checked against the counts the handlers made by hand before.

use koers_core::anonymity::{AnonymityRule, MinGroupSize, Suppressed};
use koers_core::sessie::tally::{percent_one_decimal, DIVISIVE_LIMIT};
use koers_core::sessie::{Tallies, Tally, VoteChoice};
use koers_core::StatementId;
use proptest::prelude::*;
use std::collections::{BTreeMap, HashMap};

use VoteChoice::{Agree as A, Disagree as D, Pass as P};

fn t(agree: u32, disagree: u32, pass: u32) -> Tally {
    Tally {
        agree,
        disagree,
        pass,
    }
}

#[test]
fn a_tally_counts_and_reports_percent_agree_of_all_votes() {
    assert_eq!(
        [A, A, D, P, P, P].into_iter().collect::<Tally>(),
        t(2, 1, 3)
    );
    // (tally, share, export percent, results percent)
    for (tally, share, pct, whole) in [
        (t(0, 0, 0), None, None, 0),
        (t(1, 1, 1), Some(1.0 / 3.0), Some(33.3), 33),
        (t(2, 1, 0), Some(2.0 / 3.0), Some(66.7), 67),
        (t(1, 0, 1), Some(0.5), Some(50.0), 50),
        (t(1, 7, 0), Some(0.125), Some(12.5), 13),
        (t(0, 3, 2), Some(0.0), Some(0.0), 0),
        (t(4, 0, 0), Some(1.0), Some(100.0), 100),
    ] {
        assert_eq!(tally.agree_share(), share, "{tally:?}");
        assert_eq!(tally.percent_agree(), pct, "{tally:?}");
        assert_eq!(tally.percent_agree_whole(), whole, "{tally:?}");
    }
    assert_eq!(t(1, 2, 3).total(), 6);
    let mut big = t(u32::MAX, 0, 0);
    big.add(A);
    assert_eq!(big.agree, u32::MAX, "saturates instead of panicking");
    assert_eq!(percent_one_decimal(1, 0), None);
}

#[test]
fn tallies_overall_and_per_perspective() {
    let s = StatementId;
    let votes = vec![
        (s(1), Some("beleid".to_owned()), A),
        (s(1), Some("beleid".to_owned()), D),
        (s(1), Some("inwoner".to_owned()), A),
        (s(1), None, P),
        (s(2), Some("inwoner".to_owned()), D),
    ];
    let tallies = Tallies::from_votes(votes);
    assert_eq!(tallies.statement(s(1)), t(2, 1, 1));
    assert_eq!(tallies.statement(s(2)), t(0, 1, 0));
    assert_eq!(tallies.statement(s(3)), Tally::default());
    assert_eq!(tallies.group(s(1), "beleid"), t(1, 1, 0));
    assert_eq!(tallies.group(s(1), "toezicht"), Tally::default());
    let groups: Vec<(&str, Tally)> = tallies.groups(s(1)).map(|(k, t)| (k.as_str(), t)).collect();
    assert_eq!(groups, [("beleid", t(1, 1, 0)), ("inwoner", t(1, 0, 0))]);
    assert_eq!(tallies.total_votes(), 5);
    let ids: Vec<StatementId> = tallies.statements().map(|(id, _)| id).collect();
    assert_eq!(ids, [s(1), s(2)]);
    let overall = Tallies::from_choices([(s(1), A), (s(1), P)]);
    assert_eq!(overall.statement(s(1)), t(1, 0, 1));
}

#[test]
fn a_group_figure_needs_enough_votes_behind_it() {
    let s = StatementId(1);
    let votes = (0..5).map(|i| {
        (
            s,
            Some(if i < 4 { "beleid" } else { "bestuur" }),
            if i % 2 == 0 { A } else { D },
        )
    });
    let mut tallies = Tallies::from_votes(votes);
    let rule = AnonymityRule::DEFAULT;
    assert_eq!(
        tallies.group_figure(s, &"beleid", &rule),
        Suppressed::TooFew
    );
    assert_eq!(
        tallies.group_figure(s, &"bestuur", &rule),
        Suppressed::TooFew
    );
    tallies.add(s, Some("beleid"), P);
    assert_eq!(
        tallies.group_figure(s, &"beleid", &rule),
        Suppressed::Shown(t(2, 2, 1))
    );
    let low =
        AnonymityRule::new(MinGroupSize::new(3).unwrap(), MinGroupSize::new(3).unwrap()).unwrap();
    let ranked = tallies.agreement_by_group(&low);
    assert_eq!(
        ranked.keys().copied().collect::<Vec<_>>(),
        ["beleid"],
        "bestuur has one vote"
    );
    assert_eq!(ranked["beleid"][0].votes, 5);
    assert!(tallies.agreement_by_group(&AnonymityRule::DEFAULT)["beleid"].len() == 1);
}

#[test]
fn divisive_statements_split_the_groups() {
    let s = StatementId;
    let three =
        AnonymityRule::new(MinGroupSize::new(3).unwrap(), MinGroupSize::new(3).unwrap()).unwrap();
    let mut votes = vec![];
    // Statement 1: group 0 agrees, group 1 disagrees: strength 1.0.
    for _ in 0..3 {
        votes.push((s(1), Some(0u32), A));
        votes.push((s(1), Some(1u32), D));
    }
    // Statement 2: both agree: nobody disagrees, no divide.
    for g in [0, 1] {
        for _ in 0..3 {
            votes.push((s(2), Some(g), A));
        }
    }
    // Statement 3: a divide, but group 1 has two votes only (below the rule).
    votes.extend([(s(3), Some(0), A), (s(3), Some(0), A), (s(3), Some(0), A)]);
    votes.extend([(s(3), Some(1), D), (s(3), Some(1), D)]);
    // Statement 4: group 0 agrees, group 1 passes: a pass is not a disagreement.
    for _ in 0..3 {
        votes.push((s(4), Some(0), A));
        votes.push((s(4), Some(1), P));
    }
    // Statement 5: 2 of 3 agree in group 0, 2 of 4 disagree in group 1
    // (the other two pass): strength min(2/3, 1/2) = 0.5.
    votes.extend([(s(5), Some(0), A), (s(5), Some(0), A), (s(5), Some(0), D)]);
    votes.extend([
        (s(5), Some(1), D),
        (s(5), Some(1), D),
        (s(5), Some(1), P),
        (s(5), Some(1), P),
    ]);
    let d = Tallies::from_votes(votes).divisive(&three);
    let got: Vec<(StatementId, f64)> = d.iter().map(|x| (x.statement, x.strength)).collect();
    assert_eq!(got, vec![(s(1), 1.0), (s(5), 0.5)]);
    assert_eq!(d[0].agreeing.0, 0);
    assert_eq!(d[0].disagreeing.0, 1);
    assert_eq!(
        d[1].disagreeing.1,
        t(0, 2, 2),
        "the plain counts of the disagreeing group"
    );
    assert_eq!(d[1].groups.len(), 2);
}

#[test]
fn statements_with_few_votes_are_never_ranked_first() {
    let s = StatementId;
    let three =
        AnonymityRule::new(MinGroupSize::new(3).unwrap(), MinGroupSize::new(3).unwrap()).unwrap();
    // Statement 1 divides perfectly but has six votes in all; statement 2 divides
    // less but has enough votes: both have enough. Statement 3 has 4 votes (two
    // groups of two) under a rule of two... use three-vote cells: 3 + 3 = 6.
    let mut votes = vec![];
    for _ in 0..3 {
        votes.push((s(1), Some(0u32), A));
        votes.push((s(1), Some(1u32), D));
    }
    // Statement 2: 5 of 6 agree in group 0, 4 of 6 disagree in group 1.
    for i in 0..6 {
        votes.push((s(2), Some(0), if i < 5 { A } else { D }));
        votes.push((s(2), Some(1), if i < 4 { D } else { A }));
    }
    let d = Tallies::from_votes(votes.clone()).divisive(&three);
    assert_eq!(
        d[0].statement,
        s(1),
        "strongest first when both have enough votes"
    );
    // A perspective list: 4 of 4 agree ranks after 5 of 6.
    let mut persp = vec![];
    for _ in 0..4 {
        persp.push((s(7), Some("beleid"), A));
    }
    for i in 0..6 {
        persp.push((s(8), Some("beleid"), if i < 5 { A } else { D }));
    }
    let ranked = Tallies::from_votes(persp).agreement_by_group(&three);
    let order: Vec<StatementId> = ranked["beleid"].iter().map(|g| g.statement).collect();
    assert_eq!(
        order,
        [s(8), s(7)],
        "four votes are not enough to rank first"
    );
    // The results order: equal dots, 100 % of 3 votes after 60 % of 5.
    use koers_core::sessie::compare_results;
    let few = t(3, 0, 0);
    let enough = t(3, 2, 0);
    assert_eq!(
        compare_results((0, &few), (0, &enough)),
        std::cmp::Ordering::Greater
    );
    assert_eq!(
        compare_results((1, &few), (0, &enough)),
        std::cmp::Ordering::Less,
        "dots first"
    );
    // The partition keeps each part's own order.
    let mut list = vec![
        (1, t(1, 0, 0)),
        (2, t(5, 0, 0)),
        (3, t(0, 1, 0)),
        (4, t(0, 5, 0)),
    ];
    koers_core::sessie::rank_enough_first(&mut list, |x| x.1);
    assert_eq!(list.iter().map(|x| x.0).collect::<Vec<_>>(), [2, 4, 1, 3]);
}

// ---- the handlers' own counts, as they were, to hold the new tally to ----------

type Votes = BTreeMap<(u64, i64), VoteChoice>;

/// live.rs `tallies`: per-perspective agree shares.
fn old_live_tallies(
    votes: &Votes,
    persp_of: &HashMap<u64, String>,
) -> BTreeMap<String, Vec<(StatementId, f64, usize)>> {
    let mut persp_tally: HashMap<(&str, i64), (usize, usize)> = HashMap::new();
    for ((voter, statement), vote) in votes {
        let agree = usize::from(*vote == A);
        let persp = persp_of.get(voter).map_or("", String::as_str);
        let e = persp_tally.entry((persp, *statement)).or_default();
        e.0 += agree;
        e.1 += 1;
    }
    let mut by_perspective: BTreeMap<String, Vec<(StatementId, f64, usize)>> = BTreeMap::new();
    for ((persp, st), (agree, n)) in persp_tally {
        by_perspective.entry(persp.to_owned()).or_default().push((
            StatementId(st),
            agree as f64 / n as f64,
            n,
        ));
    }
    for list in by_perspective.values_mut() {
        list.sort_by(|a, b| b.1.total_cmp(&a.1).then(b.2.cmp(&a.2)).then(a.0.cmp(&b.0)));
    }
    by_perspective
}

fn choice() -> impl Strategy<Value = VoteChoice> {
    prop_oneof![Just(A), Just(D), Just(P)]
}

fn votes() -> impl Strategy<Value = Votes> {
    proptest::collection::btree_map((0u64..12, 0i64..6), choice(), 0..60)
}

const PERSPECTIVES: [&str; 3] = ["beleid", "uitvoering", "inwoner"];

proptest! {
    #[test]
    fn overall_counts_match_the_console_count(votes in votes()) {
        // sessie.rs `tally`: (agree, disagree, pass) per statement.
        let mut old: HashMap<StatementId, (u32, u32, u32)> = HashMap::new();
        for ((_, st), c) in &votes {
            let e = old.entry(StatementId(*st)).or_default();
            match c { A => e.0 += 1, D => e.1 += 1, P => e.2 += 1 }
        }
        let new = Tallies::from_choices(votes.iter().map(|((_, st), c)| (StatementId(*st), *c)));
        for st in 0..6 {
            let (agree, disagree, pass) = old.get(&StatementId(st)).copied().unwrap_or_default();
            prop_assert_eq!(new.statement(StatementId(st)), t(agree, disagree, pass));
        }
        prop_assert_eq!(new.total_votes(), votes.len() as u64);
    }

    #[test]
    fn divides_take_two_sides_and_perspective_ranking_matches_the_live_room(
        votes in votes(),
        groups in proptest::collection::vec(proptest::option::of(0u32..3), 12),
        persps in proptest::collection::vec(0usize..3, 12),
        threshold in 3u32..6,
    ) {
        let group_of: HashMap<u64, u32> = groups.iter().enumerate().filter_map(|(v, g)| Some((v as u64, (*g)?))).collect();
        let persp_of: HashMap<u64, String> = persps.iter().enumerate().map(|(v, p)| (v as u64, PERSPECTIVES[*p].to_owned())).collect();
        let old_persp = old_live_tallies(&votes, &persp_of);

        let by_group = Tallies::from_votes(votes.iter().map(|((v, st), c)| (StatementId(*st), group_of.get(v).copied(), *c)));
        let rule = AnonymityRule::new(MinGroupSize::new(threshold).unwrap(), MinGroupSize::new(threshold).unwrap()).unwrap();
        let divisive = by_group.divisive(&rule);
        prop_assert!(divisive.len() <= DIVISIVE_LIMIT);
        for d in &divisive {
            // Each divide is made by two different groups the rule shows, one
            // where at least half agree and one where at least half disagree.
            prop_assert!(d.agreeing.0 != d.disagreeing.0);
            for (_, t) in [&d.agreeing, &d.disagreeing] {
                prop_assert!(t.total() >= threshold);
            }
            prop_assert!(d.agreeing.1.agree_share().unwrap() >= d.strength);
            prop_assert!(d.disagreeing.1.disagree_share().unwrap() >= d.strength);
            prop_assert!(d.strength >= koers_core::sessie::tally::DIVISIVE_MIN_SHARE);
        }
        // A pass is not a disagreement: turning every disagree into a pass leaves
        // nothing that divides.
        let passing = Tallies::from_votes(votes.iter().map(|((v, st), c)| {
            (StatementId(*st), group_of.get(v).copied(), if *c == D { P } else { *c })
        }));
        prop_assert!(passing.divisive(&rule).is_empty());

        let by_persp = Tallies::from_votes(votes.iter().map(|((v, st), c)| (StatementId(*st), persp_of.get(v).cloned(), *c)));
        let new: BTreeMap<String, Vec<(StatementId, f64, usize)>> = by_persp
            .agreement_by_group(&rule)
            .into_iter()
            .map(|(k, list)| (k, list.into_iter().map(|g| (g.statement, g.share, g.votes as usize)).collect()))
            .collect();
        // The old ranking, with the anonymity rule applied to each cell.
        let old: BTreeMap<String, Vec<(StatementId, f64, usize)>> = old_persp
            .into_iter()
            .map(|(k, list)| {
                let mut list: Vec<_> = list.into_iter().filter(|(_, _, n)| *n >= threshold as usize).collect();
                // Since issue 9: too few votes to rank sort after the rest.
                list.sort_by_key(|(_, _, n)| *n < koers_core::sessie::tally::MIN_VOTES_TO_RANK as usize);
                (k, list)
            })
            .filter(|(_, list)| !list.is_empty())
            .collect();
        prop_assert_eq!(new, old);
    }

    #[test]
    fn export_shares_match(votes in votes(), persps in proptest::collection::vec(0usize..3, 12)) {
        // export/mod.rs `Share`: agree out of all votes within the perspective.
        let persp_of = |v: u64| PERSPECTIVES[persps[v as usize]];
        let tallies = Tallies::from_votes(votes.iter().map(|((v, st), c)| (StatementId(*st), Some(persp_of(*v)), *c)));
        for st in 0..6 {
            for p in PERSPECTIVES {
                let cell: Vec<VoteChoice> = votes.iter().filter(|((v, s), _)| *s == st && persp_of(*v) == p).map(|(_, c)| *c).collect();
                let agree = cell.iter().filter(|c| **c == A).count() as u32;
                let n = cell.len() as u32;
                let old = (n > 0).then(|| (f64::from(agree) * 1000.0 / f64::from(n)).round() / 10.0);
                let g = tallies.group(StatementId(st), p);
                prop_assert_eq!((g.agree, g.total()), (agree, n));
                prop_assert_eq!(g.percent_agree(), old);
            }
        }
    }

    #[test]
    fn results_percent_matches_the_results_page(agree in 0u32..5_000, rest in 0u32..5_000, pass in 0u32..100) {
        let tally = t(agree, rest, pass);
        let n = (agree + rest + pass) as usize;
        let old = if n == 0 { 0 } else { (((agree as usize) * 100) as f64 / n as f64).round() as u32 };
        prop_assert_eq!(tally.percent_agree_whole(), old);
        prop_assert!(tally.percent_agree_whole() <= 100);
        if let Some(s) = tally.agree_share() {
            prop_assert!((0.0..=1.0).contains(&s));
        }
    }

    #[test]
    fn vote_order_does_not_matter(
        list in proptest::collection::vec((0i64..5, proptest::option::of(0u8..3), choice()), 0..40)
            .prop_flat_map(|v| (Just(v.clone()), Just(v).prop_shuffle())),
    ) {
        let (a, b) = list;
        let ta = Tallies::from_votes(a.into_iter().map(|(s, g, c)| (StatementId(s), g, c)));
        let tb = Tallies::from_votes(b.into_iter().map(|(s, g, c)| (StatementId(s), g, c)));
        prop_assert_eq!(&ta, &tb);
        // Group counts never exceed the overall count.
        for (id, overall) in ta.statements() {
            let in_groups: u32 = ta.groups(id).map(|(_, t)| t.total()).sum();
            prop_assert!(in_groups <= overall.total());
        }
    }
}

proptest! {
    /// Counting as votes come in (first votes and changed ones) ends where counting
    /// every current vote afresh does: the live room's console relies on it.
    #[test]
    fn counting_changes_as_they_come_equals_counting_afresh(
        votes in proptest::collection::vec((0u8..6, 0i64..5, 0u8..3), 0..200)
    ) {
        let choice = |c: u8| match c { 0 => A, 1 => D, _ => P };
        let mut current: HashMap<(u8, i64), VoteChoice> = HashMap::new();
        let mut live = Tallies::default();
        for (voter, statement, c) in votes {
            let before = current.insert((voter, statement), choice(c));
            live.change(StatementId(statement), before, choice(c));
        }
        let afresh = Tallies::from_choices(
            current.iter().map(|((_, s), c)| (StatementId(*s), *c)),
        );
        for s in 0..5 {
            prop_assert_eq!(live.statement(StatementId(s)), afresh.statement(StatementId(s)));
        }
        prop_assert_eq!(live.total_votes(), afresh.total_votes());
    }
}
