//! The anonymity rule: thresholds, suppression, and the invariants of the filters.

use koers_core::anonymity::*;
use proptest::prelude::*;
use serde::de::value::{Error as DeError, MapDeserializer, U32Deserializer};
use serde::Deserialize;
use std::cell::Cell;

#[test]
fn min_group_size_has_a_floor_of_three() {
    for (n, ok) in [
        (0, false),
        (1, false),
        (2, false),
        (3, true),
        (4, true),
        (5, true),
        (100, true),
    ] {
        assert_eq!(MinGroupSize::new(n).is_ok(), ok, "{n}");
    }
    assert_eq!(
        MinGroupSize::new(2),
        Err(AnonymityError::BelowFloor {
            requested: 2,
            floor: 3
        })
    );
    assert_eq!(MinGroupSize::DEFAULT.get(), 5);
    assert_eq!(MinGroupSize::DEFAULT_FREE_TEXT.get(), 8);
    assert_eq!(MinGroupSize::default(), MinGroupSize::DEFAULT);
}

#[test]
fn default_rule_shows_figures_from_five_and_text_from_eight() {
    let r = AnonymityRule::DEFAULT;
    assert_eq!(r, AnonymityRule::default());
    for (size, figure, text) in [
        (0, false, false),
        (1, false, false),
        (4, false, false),
        (5, true, false),
        (7, true, false),
        (8, true, true),
        (1_000, true, true),
    ] {
        assert_eq!(r.shows(size), figure, "figure at {size}");
        assert_eq!(r.shows_text(size), text, "text at {size}");
    }
}

#[test]
fn free_text_may_not_be_shown_from_smaller_groups_than_figures() {
    let m = |n| MinGroupSize::new(n).unwrap();
    assert!(AnonymityRule::new(m(3), m(3)).is_ok());
    assert!(AnonymityRule::new(m(3), m(8)).is_ok());
    assert_eq!(
        AnonymityRule::new(m(6), m(5)),
        Err(AnonymityError::FreeTextBelowFigures {
            free_text: 5,
            figures: 6
        })
    );
    let lowest = AnonymityRule::new(m(3), m(3)).unwrap();
    assert!(!lowest.shows(2));
    assert!(lowest.shows(3));
    assert!(lowest.shows_text(3));
}

#[test]
fn a_suppressed_figure_is_never_computed() {
    let r = AnonymityRule::DEFAULT;
    let computed = Cell::new(false);
    let f = r.figure(4, || {
        computed.set(true);
        42
    });
    assert_eq!(f, Suppressed::TooFew);
    assert!(!computed.get());
    assert_eq!(r.figure(5, || 42), Suppressed::Shown(42));
    assert_eq!(r.text(7, || "quote"), Suppressed::TooFew);
    assert_eq!(r.text(8, || "quote").shown(), Some("quote"));
    assert_eq!(Suppressed::Shown(2).map(|n| n * 2), Suppressed::Shown(4));
    assert_eq!(Suppressed::<u8>::TooFew.map(|n| n * 2), Suppressed::TooFew);
    assert!(!Suppressed::<u8>::TooFew.is_shown());
}

#[test]
fn small_groups_are_left_out_not_merged() {
    let r = AnonymityRule::DEFAULT;
    let groups = vec![
        ("bestuur", 1, 1.0),
        ("uitvoering", 12, 0.5),
        ("toezicht", 4, 0.25),
        ("inwoner", 5, 0.8),
    ];
    assert_eq!(
        r.visible_groups(groups.clone()),
        vec![("uitvoering", 0.5), ("inwoner", 0.8)]
    );
    assert_eq!(r.visible_texts(groups.clone()), vec![("uitvoering", 0.5)]);
    assert_eq!(
        r.label_groups(groups),
        vec![
            ("bestuur", Suppressed::TooFew),
            ("uitvoering", Suppressed::Shown(0.5)),
            ("toezicht", Suppressed::TooFew),
            ("inwoner", Suppressed::Shown(0.8)),
        ]
    );
}

#[test]
fn configuration_cannot_go_below_the_floor() {
    let size = |n: u32| MinGroupSize::deserialize(U32Deserializer::<DeError>::new(n));
    assert_eq!(size(4).unwrap().get(), 4);
    assert!(size(2).is_err());
    let rule = |pairs: Vec<(&'static str, u32)>| {
        AnonymityRule::deserialize(MapDeserializer::<_, DeError>::new(pairs.into_iter()))
    };
    assert_eq!(rule(vec![]).unwrap(), AnonymityRule::DEFAULT);
    let r = rule(vec![("figures", 3), ("free_text", 6)]).unwrap();
    assert_eq!((r.figures().get(), r.free_text().get()), (3, 6));
    assert!(rule(vec![("figures", 2)]).is_err(), "below the floor");
    assert!(
        rule(vec![("figures", 10)]).is_err(),
        "free text (8) below figures"
    );
    assert!(rule(vec![("minimum", 5)]).is_err(), "unknown key");
}

fn rule_with(figures: u32, extra: u32) -> AnonymityRule {
    AnonymityRule::new(
        MinGroupSize::new(figures).unwrap(),
        MinGroupSize::new(figures + extra).unwrap(),
    )
    .unwrap()
}

proptest! {
    #[test]
    fn no_output_comes_from_a_group_below_the_threshold(
        figures in 3u32..15,
        extra in 0u32..10,
        sizes in proptest::collection::vec(0usize..30, 0..40),
    ) {
        let r = rule_with(figures, extra);
        let groups: Vec<(usize, usize, usize)> = sizes.iter().enumerate().map(|(i, n)| (i, *n, *n)).collect();
        for (_, size) in r.visible_groups(groups.clone()) {
            prop_assert!(size >= figures as usize);
        }
        for (_, size) in r.visible_texts(groups.clone()) {
            prop_assert!(size >= (figures + extra) as usize);
        }
        for (i, s) in r.label_groups(groups) {
            prop_assert_eq!(s.is_shown(), sizes[i] >= figures as usize);
        }
    }

    #[test]
    fn a_group_at_or_above_the_threshold_is_never_dropped_and_order_is_kept(
        figures in 3u32..15,
        sizes in proptest::collection::vec(0usize..30, 0..40),
    ) {
        let r = rule_with(figures, 0);
        let groups: Vec<(usize, usize, ())> = sizes.iter().enumerate().map(|(i, n)| (i, *n, ())).collect();
        let kept: Vec<usize> = r.visible_groups(groups).into_iter().map(|(i, _)| i).collect();
        let expected: Vec<usize> = (0..sizes.len()).filter(|i| sizes[*i] >= figures as usize).collect();
        prop_assert_eq!(kept, expected);
    }

    #[test]
    fn raising_the_threshold_never_shows_more(a in 3u32..20, b in 3u32..20, size in 0usize..40) {
        let (lo, hi) = (a.min(b), a.max(b));
        if rule_with(hi, 0).shows(size) {
            prop_assert!(rule_with(lo, 0).shows(size));
        }
    }
}
