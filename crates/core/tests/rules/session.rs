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
