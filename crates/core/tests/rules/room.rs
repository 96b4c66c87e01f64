//! The room screen's rules: which phase it shows, hidden results per phase, the
//! countdown and whether its join code still works.

use koers_core::sessie::room::{clock, joining_open, CountdownMinutes, HiddenResults, ScreenView};
use koers_core::sessie::{Phase, PhaseState, Phases};
use proptest::prelude::*;

fn phases(states: [PhaseState; 4]) -> Phases {
    Phases::from_states(states)
}

use PhaseState::{Closed, NotStarted, Open, Paused};

#[test]
fn following_shows_the_open_phase_else_the_latest_started() {
    let f = ScreenView::Follow;
    assert_eq!(f.shown(&phases([NotStarted; 4])), None);
    assert_eq!(
        f.shown(&phases([Open, NotStarted, NotStarted, NotStarted])),
        Some(Phase::Inbreng)
    );
    assert_eq!(
        f.shown(&phases([Paused, Open, NotStarted, NotStarted])),
        Some(Phase::Stemmen)
    );
    // A pause keeps the room where it got to; after the end it stays on afronden.
    assert_eq!(
        f.shown(&phases([Paused, Paused, NotStarted, NotStarted])),
        Some(Phase::Stemmen)
    );
    assert_eq!(f.shown(&phases([Closed; 4])), Some(Phase::Afronden));
    // A phase picked by hand wins over the open one.
    assert_eq!(
        ScreenView::Fixed(Phase::Afronden)
            .shown(&phases([Open, NotStarted, NotStarted, NotStarted])),
        Some(Phase::Afronden)
    );
}

#[test]
fn a_view_parses_from_its_stored_form_and_refuses_anything_else() {
    assert_eq!(ScreenView::parse(""), Ok(ScreenView::Follow));
    assert_eq!(ScreenView::parse("volgen"), Ok(ScreenView::Follow));
    for p in Phase::ALL {
        let v = ScreenView::parse(p.as_str()).unwrap();
        assert_eq!(v, ScreenView::Fixed(p));
        assert_eq!(ScreenView::parse(v.as_str()), Ok(v));
    }
    let e = ScreenView::parse("alles").unwrap_err();
    assert_eq!((e.field, e.key), ("view", "error-room-view"));
}

#[test]
fn results_are_hidden_per_phase() {
    let mut h = HiddenResults::default();
    assert!(
        Phase::ALL.iter().all(|p| !h.hides(*p)),
        "nothing hidden by default"
    );
    h.set(Phase::Stemmen, true);
    assert!(h.hides(Phase::Stemmen));
    assert!(
        !h.hides(Phase::Prioriteren),
        "hiding one phase leaves the others"
    );
    h.set(Phase::Prioriteren, true);
    assert_eq!(h.to_stored(), "stemmen,prioriteren");
    assert_eq!(HiddenResults::from_stored(&h.to_stored()), h);
    h.set(Phase::Stemmen, false);
    assert_eq!(h.to_stored(), "prioriteren");
    // A value a newer Koers might write loses only what this one does not know.
    assert_eq!(
        HiddenResults::from_stored("stemmen,,later").to_stored(),
        "stemmen"
    );
}

#[test]
fn countdown_minutes_are_whole_minutes_from_1_to_60() {
    for ok in ["1", " 5 ", "10", "60"] {
        assert!(CountdownMinutes::parse(ok).is_ok(), "{ok:?}");
    }
    for bad in ["", "0", "61", "-3", "2.5", "vijf", "99999999999"] {
        let e = CountdownMinutes::parse(bad).unwrap_err();
        assert_eq!(
            (e.field, e.key),
            ("minutes", "error-countdown-minutes"),
            "{bad:?}"
        );
    }
    for p in CountdownMinutes::PRESETS {
        assert!(CountdownMinutes::parse(&p.to_string()).is_ok());
    }
}

#[test]
fn a_countdown_belongs_to_its_phase_and_ends_at_a_stored_moment() {
    let c = CountdownMinutes::parse("5")
        .unwrap()
        .start(Phase::Inbreng, 1_000);
    assert_eq!(c.ends_at, 1_300);
    assert_eq!(c.remaining(1_000), 300);
    assert_eq!(c.remaining(1_299), 1);
    assert_eq!(c.remaining(1_300), 0);
    assert_eq!(c.remaining(9_999), 0, "never below zero");
    assert!(c.applies_to(Some(Phase::Inbreng)));
    assert!(
        !c.applies_to(Some(Phase::Stemmen)),
        "not carried into the next phase"
    );
    assert!(!c.applies_to(None));
    assert_eq!(clock(300), "5:00");
    assert_eq!(clock(65), "1:05");
    assert_eq!(clock(0), "0:00");
}

#[test]
fn the_join_code_works_only_while_joining_is_possible() {
    let running = phases([Open, NotStarted, NotStarted, NotStarted]);
    assert!(joining_open(false, &running, 2_000, 1_000));
    assert!(
        !joining_open(false, &running, 1_000, 1_000),
        "the window closes at its end"
    );
    assert!(
        !joining_open(true, &running, 2_000, 1_000),
        "an imported session"
    );
    assert!(
        !joining_open(false, &phases([Closed; 4]), 2_000, 1_000),
        "a finished session"
    );
    // Between phases people may still join.
    assert!(joining_open(
        false,
        &phases([Paused, NotStarted, NotStarted, NotStarted]),
        2_000,
        1_000
    ));
}

proptest! {
    /// The remaining time never grows as time passes and reaches zero at the end.
    #[test]
    fn remaining_time_only_goes_down(mins in 1u32..=60, start in 0i64..2_000_000_000, a in 0i64..5_000, b in 0i64..5_000) {
        let c = CountdownMinutes::parse(&mins.to_string()).unwrap().start(Phase::Stemmen, start);
        let (early, late) = (start + a.min(b), start + a.max(b));
        prop_assert!(c.remaining(late) <= c.remaining(early));
        prop_assert!(c.remaining(early) <= u64::from(mins) * 60);
        prop_assert_eq!(c.remaining(c.ends_at), 0);
    }
}
