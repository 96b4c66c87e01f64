//! Table and property tests for the domain rules. One test binary for the crate;
//! larger groups of rules live in `rules/` as modules of it.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use koers_core::account::LockoutPolicy;
use koers_core::*;
use proptest::prelude::*;

#[test]
fn email_is_normalised_and_shape_checked() {
    assert_eq!(
        Email::parse("  Anne@Voorbeeld.NL ").unwrap().as_str(),
        "anne@voorbeeld.nl"
    );
    for bad in [
        "",
        "anne",
        "anne@",
        "@voorbeeld.nl",
        "anne@voorbeeld",
        "a b@c.nl",
        "a@b@c.nl",
        "a@.nl",
        "a@b..nl",
    ] {
        assert!(Email::parse(bad).is_err(), "{bad:?} should be rejected");
    }
}

#[test]
fn organisation_name_rules() {
    assert_eq!(
        OrganisationName::parse("  Gemeente   Voorbeeld ")
            .unwrap()
            .as_str(),
        "Gemeente Voorbeeld"
    );
    assert_eq!(
        OrganisationName::parse("x").unwrap_err().key,
        "error-org-name-short"
    );
    assert_eq!(
        OrganisationName::parse(&"a".repeat(121)).unwrap_err().key,
        "error-org-name-long"
    );
}

#[test]
fn closed_sets_round_trip() {
    for k in OrganisationKind::ALL {
        assert_eq!(OrganisationKind::parse(k.as_str()).unwrap(), k);
    }
    for s in SizeClass::ALL {
        assert_eq!(SizeClass::parse(s.as_str()).unwrap(), s);
    }
    for c in Country::ALL {
        assert_eq!(Country::parse(c.as_str()).unwrap(), c);
    }
    for r in Role::ALL {
        assert_eq!(Role::parse(r.as_str()).unwrap(), r);
    }
    assert!(OrganisationKind::parse("bedrijf").is_err());
    assert!(Country::parse("DE").is_err());
    assert!(Role::parse("admin").is_err());
}

#[test]
fn roles_are_ordered() {
    assert!(Role::Beheerder.allows(Role::Facilitator));
    assert!(Role::Facilitator.allows(Role::Lid));
    assert!(!Role::Lid.allows(Role::Facilitator));
    assert!(!Role::Facilitator.allows(Role::Beheerder));
}

#[test]
fn password_policy() {
    assert_eq!(
        Password::parse("kort").unwrap_err().key,
        "error-password-short"
    );
    assert!(Password::parse("lang genoeg wachtwoord").is_ok());
    assert_eq!(
        Password::parse_confirmed("lang genoeg 1", "lang genoeg 2", None)
            .unwrap_err()
            .field,
        "password_again"
    );
    assert!(!format!("{:?}", Password::parse("geheim paard staal").unwrap()).contains("geheim"));
}

#[test]
fn password_policy_refuses_what_is_guessed_first() {
    let email = Email::parse("jan.jansen@alfa.nl").unwrap();
    let key = |p: &str| {
        Password::parse_for(p, Some(&email))
            .map(|_| ())
            .map_err(|e| e.key)
    };
    for p in [
        "aaaaaaaaaa",
        "AAAAAAAAAAAA",
        "1111111111",
        "          ",
        "abcabcabca",
        "abababababab",
        "12121212121",
    ] {
        assert_eq!(key(p), Err("error-password-repeated"), "{p:?}");
    }
    for p in [
        "abcdefghij",
        "ABCDEFGHIJKL",
        "1234567890",
        "0987654321",
        "jihgfedcba",
        "qwertyuiop",
        "qwerty123456",
        "123456qwerty",
        "asdfghjkl123",
        "azertyuiop",
        "abc123456789",
    ] {
        assert_eq!(key(p), Err("error-password-sequence"), "{p:?}");
    }
    for p in [
        "jan.jansen@alfa.nl",
        "Jan.Jansen@Alfa.nl!",
        "mijn jan.jansen wachtwoord",
        "xxjan.jansenxx",
        "jansen2024!",
        "Jansen12345",
    ] {
        assert_eq!(key(p), Err("error-password-email"), "{p:?}");
    }
    for p in [
        "wachtwoord",
        "Wachtwoord1",
        "wachtwoord123!",
        "W@chtw00rd2024",
        "password1234",
        "P@ssw0rd2024",
        "Welkom2024!",
        "welkomwelkom",
        "MijnWachtwoord1",
        "Feyenoord1908",
        "zomer12345",
        "1q2w3e4r5t",
        "!!geheim!!2024",
    ] {
        assert_eq!(key(p), Err("error-password-common"), "{p:?}");
    }
    // Sentences and passphrases stay welcome, also for someone whose address they
    // do not contain.
    for p in [
        "lang genoeg wachtwoord",
        "wachtwoord alfa",
        "kerstboom in juli",
        "correct horse battery staple",
        "Tz8#kP2m!qL",
        "de fiets staat buiten",
        "koers-demo-2026",
    ] {
        assert_eq!(key(p), Ok(()), "{p:?}");
    }
    // Without an address, the address rule cannot apply.
    assert!(Password::parse("jansen2024!").is_ok());
    assert_eq!(
        Password::parse_confirmed("qwertyuiop", "qwertyuiop", None)
            .unwrap_err()
            .key,
        "error-password-sequence"
    );
}

#[test]
fn the_common_password_list_has_a_few_hundred_entries() {
    let list = include_str!("../src/common_passwords.txt");
    let entries = list
        .lines()
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .count();
    assert!(entries >= 300, "{entries}");
}

#[test]
fn lockout_after_max_failures() {
    let p = LockoutPolicy {
        max_failures: 5,
        lockout_secs: 900,
    };
    assert_eq!(p.locked_until(4, 1000), None);
    assert_eq!(p.locked_until(5, 1000), Some(1900));
    assert!(LockoutPolicy::is_locked(Some(1900), 1899));
    assert!(!LockoutPolicy::is_locked(Some(1900), 1900));
    assert!(!LockoutPolicy::is_locked(None, 0));
}

#[test]
fn size_class_from_employees() {
    assert_eq!(SizeClass::for_employees(10), SizeClass::UpTo50);
    assert_eq!(SizeClass::for_employees(251), SizeClass::UpTo1000);
    assert_eq!(SizeClass::for_employees(100_000), SizeClass::Over5000);
}

proptest! {
    #[test]
    fn parsers_never_panic(s in ".*") {
        let _ = Email::parse(&s);
        let _ = OrganisationName::parse(&s);
        let _ = DisplayName::parse(&s);
        let _ = Password::parse(&s);
        let _ = OrganisationKind::parse(&s);
    }

    #[test]
    fn parsed_names_are_within_bounds(s in ".{0,200}") {
        if let Ok(n) = OrganisationName::parse(&s) {
            let len = n.as_str().chars().count();
            prop_assert!((2..=120).contains(&len));
            prop_assert_eq!(n.as_str().trim(), n.as_str());
        }
    }
}

#[test]
fn accessibility_statement_validation() {
    use koers_core::accessibility::*;
    let ok = AccessibilityStatement::parse(
        "Gemeente Voorbeeld",
        "partial",
        "2026-11-01",
        "a11y@voorbeeld.nl",
        "Kaart heeft tabel.",
    )
    .unwrap();
    assert_eq!(ok.status, ComplianceStatus::Partial);
    let errs = AccessibilityStatement::parse("", "maybe", "2026-02-30", "nope", "").unwrap_err();
    let fields: Vec<_> = errs.iter().map(|e| e.field).collect();
    assert_eq!(fields, ["organisation", "status", "date", "contact_email"]);
    assert!(is_iso_date("2024-02-29"));
    assert!(!is_iso_date("2023-02-29"));
    assert!(!is_iso_date("2023-1-01"));
}

mod sessie {
    use koers_core::sessie::*;
    use proptest::prelude::*;
    use std::collections::BTreeMap;

    #[test]
    fn one_phase_open_at_a_time() {
        let p = Phases::default();
        let p = p.apply(Phase::Inbreng, PhaseAction::Open).unwrap();
        assert_eq!(p.current(), Some(Phase::Inbreng));
        let p = p.apply(Phase::Stemmen, PhaseAction::Open).unwrap();
        assert_eq!(p.current(), Some(Phase::Stemmen));
        assert_eq!(p.state(Phase::Inbreng), PhaseState::Paused);
        let p = p.apply(Phase::Stemmen, PhaseAction::Close).unwrap();
        assert_eq!(p.current(), None);
        assert_eq!(
            p.apply(Phase::Stemmen, PhaseAction::Pause),
            Err(SessieError::InvalidTransition)
        );
        let p = p.apply(Phase::Stemmen, PhaseAction::Reopen).unwrap();
        assert!(p.require_open(Phase::Stemmen).is_ok());
        assert_eq!(
            p.require_open(Phase::Inbreng),
            Err(SessieError::PhaseNotOpen)
        );
        assert_eq!(
            Phases::default().apply(Phase::Afronden, PhaseAction::Close),
            Err(SessieError::InvalidTransition)
        );
    }

    #[test]
    fn join_codes_are_forgiving_to_type() {
        let c = JoinCode::from_random([0, 1, 2, 3, 4, 250]);
        assert_eq!(c.as_str().len(), 6);
        let typed = format!(" {}-{} ", &c.as_str()[..3].to_lowercase(), &c.as_str()[3..]);
        assert_eq!(JoinCode::parse(&typed).unwrap(), c);
        assert!(JoinCode::parse("ABC").is_err());
        assert!(
            JoinCode::parse("ABCDE0").is_err(),
            "0 is not in the alphabet"
        );
    }

    #[test]
    fn join_code_refusals_say_what_is_wrong() {
        for (typed, key) in [
            ("", "error-join-code-empty"),
            (" - ", "error-join-code-empty"),
            ("ABC-DE0", "error-join-code-confusable"),
            ("abc-deo", "error-join-code-confusable"),
            ("K7M-Q2l", "error-join-code-confusable"),
            ("ABCDE1", "error-join-code-confusable"),
            ("ABC-DE!", "error-join-code-char"),
            ("ABCDÉF", "error-join-code-char"),
            ("ABC-DE", "error-join-code-short"),
            ("ABC-DEFG", "error-join-code-long"),
        ] {
            let err = JoinCode::parse(typed).unwrap_err();
            assert_eq!((typed, err.key), (typed, key));
            assert_eq!(err.field, "code");
        }
        // An en dash pasted from a chat app is harmless, like a hyphen.
        assert_eq!(
            JoinCode::parse("abc\u{2013}def").unwrap().as_str(),
            "ABCDEF"
        );
    }

    #[test]
    fn perspectives_list() {
        let p = parse_perspectives("beleid\nuitvoering, Beleid\n\n toezicht ").unwrap();
        let names: Vec<_> = p.iter().map(|p| p.as_str()).collect();
        assert_eq!(names, ["beleid", "uitvoering", "toezicht"]);
        assert!(parse_perspectives("  \n ").is_err());
        assert!(parse_perspectives("x\n").is_ok());
        let too_many: Vec<String> = (0..21).map(|i| format!("perspectief {i}")).collect();
        assert!(parse_perspectives(&too_many.join("\n")).is_err());
    }

    #[test]
    fn statements_have_a_length_limit() {
        assert_eq!(
            StatementText::parse("  te   veel regels ", 140)
                .unwrap()
                .as_str(),
            "te veel regels"
        );
        assert_eq!(
            StatementText::parse("   ", 140).unwrap_err().key,
            "error-statement-empty"
        );
        assert_eq!(
            StatementText::parse(&"é".repeat(141), 140).unwrap_err().key,
            "error-statement-long"
        );
        assert!(StatementText::parse(&"é".repeat(140), 140).is_ok());
    }

    #[test]
    fn statements_of_invisible_characters_only_are_refused() {
        for text in [
            "\u{200B}",
            "\u{200B}\u{200C}\u{200D}\u{2060}",
            "\u{3164}\u{3164}",
            "\u{2800}\u{2800}\u{2800}",
            "\u{FEFF}",
            "\u{00AD}\u{034F}",
            "\u{115F}\u{1160}\u{FFA0}",
            "\u{180E}",
            "\u{202E}\u{202D}\u{2066}\u{2069}",
            "\u{200E}\u{200F}\u{061C}",
            "\u{FE0F}\u{E0041}\u{E007F}",
            "\u{1D173}\u{1BCA0}",
            " \u{200B} \u{3000}\u{00A0} ",
            "\u{0301}\u{0301}",
        ] {
            assert_eq!(
                StatementText::parse(text, 140).unwrap_err().key,
                "error-statement-empty",
                "{text:?}"
            );
        }
        // Visible text with invisible characters in it is still a statement.
        assert!(StatementText::parse("\u{202E}Gegevens delen", 140).is_ok());
        assert!(StatementText::parse("e\u{0301}\u{200D}n", 140).is_ok());
        assert!(StatementText::parse("👍🏽", 140).is_ok());
    }

    #[test]
    fn votes_follow_the_polis_export_signs() {
        assert_eq!(VoteChoice::Agree.value(), 1);
        assert_eq!(VoteChoice::from_value(-1), Some(VoteChoice::Disagree));
        assert_eq!(VoteChoice::from_value(2), None);
        assert_eq!(VoteChoice::parse("eens"), Some(VoteChoice::Agree));
        assert_eq!(VoteChoice::parse("misschien"), None);
    }

    #[test]
    fn dots_stay_within_budget() {
        let ok: BTreeMap<i64, i64> = [(1, 2), (2, 0), (3, 1)].into();
        assert_eq!(check_dots(&ok, 3).unwrap().len(), 2);
        assert_eq!(check_dots(&ok, 2), Err(SessieError::OverBudget));
        assert_eq!(
            check_dots(&[(1, -1)].into(), 3),
            Err(SessieError::OverBudget)
        );
    }

    #[test]
    fn profanity_is_a_hint_on_whole_words() {
        assert!(profanity_hint("Wat een klote systeem"));
        assert!(profanity_hint("This is SHIT."));
        assert!(!profanity_hint("Klotsende golven bij de dijk"));
        assert!(!profanity_hint("Kunstgras op het sportveld"));
    }

    #[test]
    fn profanity_hint_finds_dutch_compounds() {
        for text in [
            "Wat een kutsmoes van de gemeente",
            "Dat kloteweer ook altijd",
            "Die wethouder is een zeiklul",
            "Teringherrie bij het station",
            "Tyfuszooi op straat",
            "KLOOTZAKKEN in de raad",
            "Een kankerlijer, die man",
            "Wat een debielenbeleid",
            "Klóte-idee",
        ] {
            assert!(profanity_hint(text), "{text}");
        }
    }

    #[test]
    fn profanity_hint_leaves_innocent_words_alone() {
        for text in [
            "Hoera, de bibliotheek blijft open",
            "De stoep is versleten",
            "Catering bij het buurthuis",
            "Meer geld voor kankeronderzoek en borstkanker",
            "Flikkerend licht in de tunnel",
            "The truth about scrap metal in Amsterdam",
            "Mevrouw Eikelenboom van de wijkraad",
            "Klotsende golven bij de dijk",
        ] {
            assert!(!profanity_hint(text), "{text}");
        }
    }

    proptest! {
        #[test]
        fn phase_transitions_keep_at_most_one_open(actions in proptest::collection::vec((0usize..4, 0usize..4), 0..40)) {
            let mut p = Phases::default();
            for (phase, action) in actions {
                let phase = Phase::ALL[phase];
                let action = [PhaseAction::Open, PhaseAction::Pause, PhaseAction::Close, PhaseAction::Reopen][action];
                if let Ok(next) = p.apply(phase, action) {
                    p = next;
                }
                let open = p.states().iter().filter(|s| **s == PhaseState::Open).count();
                prop_assert!(open <= 1);
            }
        }

        #[test]
        fn session_parsers_never_panic(s in ".*") {
            let _ = JoinCode::parse(&s);
            let _ = parse_perspectives(&s);
            let _ = StatementText::parse(&s, 140);
            let _ = parse_title(&s);
            let _ = parse_description(&s);
            let _ = profanity_hint(&s);
        }
    }
}

// `#[path]`: files directly in `tests/` would each become a test binary of their own.
#[path = "rules/anonymity.rs"]
mod anonymity;
#[path = "rules/membership.rs"]
mod membership;
#[path = "rules/moderation.rs"]
mod moderation;
#[path = "rules/participant.rs"]
mod participant;
#[path = "rules/room.rs"]
mod room;
#[path = "rules/scan_model.rs"]
mod scan_model;
#[path = "rules/scan_results.rs"]
mod scan_results;
#[path = "rules/scan_scoring.rs"]
mod scan_scoring;
#[path = "rules/session.rs"]
mod session;
#[path = "rules/shortlist.rs"]
mod shortlist;
#[path = "rules/tally.rs"]
mod tally;
