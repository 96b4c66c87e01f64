//! Session rules moved out of the handlers: phase actions, participant names, the
//! session title, next steps and ids from forms.

use koers_core::sessie::*;
use koers_core::{IdError, LiveSessionId, NextStepId, StatementId};
use proptest::prelude::*;

#[test]
fn each_phase_state_offers_the_consoles_buttons() {
    use PhaseAction::*;
    for (state, actions) in [
        (PhaseState::NotStarted, &[Open][..]),
        (PhaseState::Open, &[Pause, Close][..]),
        (PhaseState::Paused, &[Open, Close][..]),
        (PhaseState::Closed, &[Reopen][..]),
    ] {
        assert_eq!(state.allowed_actions(), actions, "{state:?}");
        for a in PhaseAction::ALL {
            assert_eq!(state.allows(a), actions.contains(&a), "{state:?} {a:?}");
        }
    }
    let p = Phases::default().apply(Phase::Stemmen, Open).unwrap();
    assert_eq!(p.allowed_actions(Phase::Stemmen), &[Pause, Close]);
    assert_eq!(p.allowed_actions(Phase::Inbreng), &[Open]);
}

#[test]
fn phase_words_round_trip() {
    for a in PhaseAction::ALL {
        assert_eq!(PhaseAction::parse(a.as_str()), Some(a));
    }
    for s in PhaseState::ALL {
        assert_eq!(PhaseState::parse(s.as_str()), Some(s));
    }
    assert_eq!(PhaseAction::parse("start"), None);
    assert_eq!(PhaseAction::Reopen.target(), PhaseState::Open);
    assert_eq!(PhaseAction::Pause.target(), PhaseState::Paused);
    assert_eq!(PhaseAction::Close.target(), PhaseState::Closed);
}

#[test]
fn read_only_sessions_take_no_input_and_no_phase_changes() {
    let open = Phases::default()
        .apply(Phase::Inbreng, PhaseAction::Open)
        .unwrap();
    assert_eq!(open.accepts_input(Phase::Inbreng, false), Ok(()));
    assert_eq!(
        open.accepts_input(Phase::Inbreng, true),
        Err(SessieError::ReadOnly)
    );
    assert_eq!(
        open.accepts_input(Phase::Stemmen, false),
        Err(SessieError::PhaseNotOpen)
    );
    assert_eq!(
        Phases::default().change(Phase::Inbreng, PhaseAction::Open, true),
        Err(SessieError::ReadOnly)
    );
    assert_eq!(
        Phases::default().change(Phase::Inbreng, PhaseAction::Open, false),
        Phases::default().apply(Phase::Inbreng, PhaseAction::Open)
    );
    assert_eq!(
        Phases::default().change(Phase::Inbreng, PhaseAction::Close, false),
        Err(SessieError::InvalidTransition)
    );
}

#[test]
fn session_titles() {
    assert_eq!(
        SessionTitle::parse("  Minder   regeldruk ")
            .unwrap()
            .as_str(),
        "Minder regeldruk"
    );
    for (typed, ok) in [
        ("", false),
        ("ab", false),
        ("  a   b ", true),
        (&*"é".repeat(120), true),
        (&*"é".repeat(121), false),
    ] {
        match SessionTitle::parse(typed) {
            Ok(_) => assert!(ok, "{typed:?}"),
            Err(e) => {
                assert!(!ok, "{typed:?}");
                assert_eq!((e.field, e.key), ("title", "error-session-title"));
            }
        }
    }
}

#[test]
fn participant_names_are_optional_and_short() {
    for (typed, stored) in [
        ("", ""),
        ("   ", ""),
        ("Anne", "Anne"),
        ("  Anne   de\tVries ", "Anne de Vries"),
        ("a\nb", "a b"),
    ] {
        let n = ParticipantName::parse(typed).unwrap();
        assert_eq!(n.as_str(), stored, "{typed:?}");
        assert_eq!(n.is_anonymous(), stored.is_empty());
    }
    assert!(ParticipantName::parse(&"é".repeat(40)).is_ok());
    for bad in ["é".repeat(41), "An\u{0}ne".to_owned(), "\u{7f}".to_owned()] {
        let e = ParticipantName::parse(&bad).unwrap_err();
        assert_eq!(
            (e.field, e.key),
            ("display_name", "error-join-name"),
            "{bad:?}"
        );
    }
}

#[test]
fn next_steps_report_the_field_at_fault() {
    let ok = NextStepDraft::parse("  Pilot in wijk Noord ", " team Dienstverlening ").unwrap();
    assert_eq!(
        (ok.text(), ok.owner()),
        ("Pilot in wijk Noord", "team Dienstverlening")
    );
    assert_eq!(NextStepDraft::parse("Pilot", "").unwrap().owner(), "");
    assert!(NextStepDraft::parse(&"é".repeat(300), &"é".repeat(100)).is_ok());
    for (text, owner, field, key) in [
        ("", "", "step_text", "error-step-empty"),
        ("  ", "Anne", "step_text", "error-step-empty"),
        (&*"é".repeat(301), "", "step_text", "error-step-long"),
        ("Pilot", &*"é".repeat(101), "owner", "error-step-owner-long"),
        // The text is checked first.
        ("", &*"é".repeat(101), "step_text", "error-step-empty"),
    ] {
        let e = NextStepDraft::parse(text, owner).unwrap_err();
        assert_eq!((e.field, e.key), (field, key), "{text:?} / {owner:?}");
    }
}

#[test]
fn ids_from_forms_and_paths() {
    assert_eq!("12".parse::<StatementId>(), Ok(StatementId(12)));
    assert_eq!(" 7 ".parse::<NextStepId>(), Ok(NextStepId(7)));
    assert_eq!("3".parse::<LiveSessionId>(), Ok(LiveSessionId(3)));
    for bad in ["", "x", "1.5", "12a", "99999999999999999999"] {
        assert_eq!(bad.parse::<StatementId>(), Err(IdError), "{bad:?}");
    }
    assert_eq!(NextStepId(4).to_string(), "4");
}

fn state() -> impl Strategy<Value = PhaseState> {
    proptest::sample::select(PhaseState::ALL.to_vec())
}

proptest! {
    #[test]
    fn apply_succeeds_exactly_when_the_button_is_offered(
        states in proptest::array::uniform4(state()),
        phase in proptest::sample::select(Phase::ALL.to_vec()),
        action in proptest::sample::select(PhaseAction::ALL.to_vec()),
    ) {
        let p = Phases::from_states(states);
        let offered = p.allowed_actions(phase).contains(&action);
        match p.apply(phase, action) {
            Ok(next) => {
                prop_assert!(offered);
                prop_assert_eq!(next.state(phase), action.target());
            }
            Err(e) => {
                prop_assert!(!offered);
                prop_assert_eq!(e, SessieError::InvalidTransition);
            }
        }
    }

    #[test]
    fn parse_title_is_session_title(s in ".{0,130}") {
        prop_assert_eq!(parse_title(&s), SessionTitle::parse(&s).map(SessionTitle::into_inner));
    }

    #[test]
    fn accepted_names_fit_the_rule(s in ".{0,60}") {
        if let Ok(n) = ParticipantName::parse(&s) {
            prop_assert!(n.as_str().chars().count() <= 40);
            prop_assert!(!n.as_str().chars().any(char::is_control));
            prop_assert_eq!(n.as_str().trim(), n.as_str());
        }
    }

    #[test]
    fn next_step_parse_never_panics_and_trims(text in ".{0,320}", owner in ".{0,120}") {
        if let Ok(d) = NextStepDraft::parse(&text, &owner) {
            prop_assert!(!d.text().is_empty());
            prop_assert_eq!(d.text(), text.trim());
            prop_assert_eq!(d.owner(), owner.trim());
        }
    }

    #[test]
    fn ids_round_trip(n in any::<i64>()) {
        prop_assert_eq!(n.to_string().parse::<StatementId>(), Ok(StatementId(n)));
    }
}

#[test]
fn session_settings_are_in_range() {
    for (typed, ok) in [
        ("140", true),
        (" 20 ", true),
        ("1000", true),
        ("19", false),
        ("1001", false),
        ("", false),
        ("-5", false),
        ("1e3", false),
    ] {
        match MaxStatementChars::parse(typed) {
            Ok(m) => {
                assert!(ok, "{typed:?}");
                assert_eq!(m.get(), typed.trim().parse::<u32>().unwrap());
            }
            Err(e) => {
                assert!(!ok, "{typed:?}");
                assert_eq!((e.field, e.key), ("max_chars", "error-max-chars"));
            }
        }
    }
    for (typed, ok) in [
        ("5", true),
        ("1", true),
        ("20", true),
        ("0", false),
        ("21", false),
        ("vijf", false),
    ] {
        match DotBudget::parse(typed) {
            Ok(d) => assert!(ok && d.get() == typed.parse::<u32>().unwrap(), "{typed:?}"),
            Err(e) => {
                assert!(!ok, "{typed:?}");
                assert_eq!((e.field, e.key), ("dots", "error-dots"));
            }
        }
    }
}

#[test]
fn seeds_one_per_line() {
    let max = MaxStatementChars::parse("20").unwrap();
    let seeds = parse_seeds("Eerste stelling\n\n   \n  Tweede   stelling \r\n", max).unwrap();
    let texts: Vec<&str> = seeds.iter().map(StatementText::as_str).collect();
    assert_eq!(texts, ["Eerste stelling", "Tweede stelling"]);
    assert!(parse_seeds("", max).unwrap().is_empty());
    let keys = |r: Result<Vec<StatementText>, Vec<koers_core::FieldError>>| -> Vec<&'static str> {
        r.unwrap_err().iter().map(|e| e.key).collect()
    };
    assert_eq!(
        keys(parse_seeds("kort\nveel te lange stelling hier\nkort", max)),
        ["error-seed-long"]
    );
    let many = vec!["stelling"; 201].join("\n");
    assert_eq!(keys(parse_seeds(&many, max)), ["error-seed-count"]);
    assert!(parse_seeds(&vec!["stelling"; 200].join("\n"), max).is_ok());
}

#[test]
fn the_join_window() {
    let now = 1_000_000;
    assert_eq!(join_open_until(now), now + 14 * 86_400);
    assert!(join_is_open(now + 1, now));
    assert!(!join_is_open(now, now), "closes at the instant itself");
    assert_eq!(check_join(false, now + 1, now), Ok(()));
    assert_eq!(check_join(false, now, now), Err(JoinRefusal::Closed));
    assert_eq!(check_join(true, now + 1, now), Err(JoinRefusal::ReadOnly));
    assert_eq!(check_join(true, now, now), Err(JoinRefusal::ReadOnly));
}

#[test]
fn dots_totals_and_the_results_order() {
    let s = StatementId;
    let totals = dot_totals([(s(1), 2), (s(2), 3), (s(1), 2), (s(3), 1), (s(4), 4)]);
    assert_eq!(totals[&s(1)], 4);
    assert_eq!(
        top_by_dots(&totals, 3),
        vec![(s(1), 4), (s(4), 4), (s(2), 3)]
    );
    assert_eq!(top_by_dots(&totals, 10).len(), 4);

    let tally = |agree, disagree| Tally {
        agree,
        disagree,
        pass: 0,
    };
    // (name, dots, tally), in statement order.
    let mut rows = [
        ("a", 0, tally(1, 1)),
        ("b", 3, tally(0, 2)),
        ("c", 3, tally(2, 0)),
        ("d", 0, tally(1, 1)),
        ("e", 0, tally(3, 0)),
    ];
    rows.sort_by(|x, y| compare_results((x.1, &x.2), (y.1, &y.2)));
    let order: Vec<&str> = rows.iter().map(|r| r.0).collect();
    assert_eq!(order, ["c", "b", "e", "a", "d"]);
}
