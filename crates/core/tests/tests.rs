//! Table and property tests for the domain rules.

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
        Password::parse_confirmed("lang genoeg 1", "lang genoeg 2")
            .unwrap_err()
            .field,
        "password_again"
    );
    assert!(!format!("{:?}", Password::parse("geheim geheim").unwrap()).contains("geheim"));
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
