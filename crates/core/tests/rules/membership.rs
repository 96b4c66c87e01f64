//! The last-beheerder rule, invitation status and notes.

use koers_core::membership::*;
use koers_core::{Role, UserId};
use proptest::prelude::*;

const B: Role = Role::Beheerder;
const F: Role = Role::Facilitator;
const L: Role = Role::Lid;

type Case<'a> = (
    &'a [(UserId, Role)],
    i64,
    MemberChange,
    Result<(), MembershipError>,
);

#[test]
fn the_last_beheerder_cannot_be_demoted_or_removed() {
    use MemberChange::*;
    let one_beheerder = [(UserId(1), B), (UserId(2), F), (UserId(3), L)];
    let two_beheerders = [(UserId(1), B), (UserId(2), B)];
    let refused = Err(MembershipError::LastBeheerder);
    let cases: &[Case] = &[
        (&one_beheerder, 1, SetRole(F), refused),
        (&one_beheerder, 1, SetRole(L), refused),
        (&one_beheerder, 1, Remove, refused),
        // Staying beheerder is always fine, even as the only one.
        (&one_beheerder, 1, SetRole(B), Ok(())),
        // Others may change freely.
        (&one_beheerder, 2, SetRole(L), Ok(())),
        (&one_beheerder, 3, Remove, Ok(())),
        (&one_beheerder, 2, SetRole(B), Ok(())),
        // With a second beheerder, either may step down.
        (&two_beheerders, 1, SetRole(L), Ok(())),
        (&two_beheerders, 2, Remove, Ok(())),
        // Not a member: not this rule's refusal (the handler answers 404 first).
        (&one_beheerder, 9, Remove, Ok(())),
        (&[], 1, Remove, Ok(())),
    ];
    for (members, target, change, expected) in cases {
        assert_eq!(
            check_member_change(members.iter().copied(), UserId(*target), *change),
            *expected,
            "{members:?} {target} {change:?}"
        );
    }
    let e = MembershipError::LastBeheerder.field_error();
    assert_eq!((e.field, e.key), ("members", "error-last-beheerder"));
}

#[test]
fn invitation_status_from_the_stored_dates() {
    use InvitationStatus::*;
    let now = 1_000;
    let d = |expires_at, accepted_at, revoked_at| InvitationDates {
        expires_at,
        accepted_at,
        revoked_at,
    };
    for (dates, expected) in [
        (d(2_000, None, None), Open),
        (d(1_001, None, None), Open),
        (d(1_000, None, None), Expired),
        (d(999, None, None), Expired),
        (d(2_000, Some(500), None), Accepted),
        (d(999, Some(500), None), Accepted),
        (d(2_000, None, Some(500)), Revoked),
        (d(999, None, Some(500)), Revoked),
        (d(2_000, Some(500), Some(600)), Accepted),
    ] {
        assert_eq!(dates.status(now), expected, "{dates:?}");
        assert_eq!(InvitationStatus::at(dates, now), expected);
    }
    for s in InvitationStatus::ALL {
        assert_eq!(s.message_key(), format!("invitation-status-{}", s.as_str()));
        assert_eq!(s.is_open(), s == Open);
    }
}

#[test]
fn invitation_notes_are_short() {
    assert_eq!(
        InvitationNote::parse("  voor Anne  ").unwrap().as_str(),
        "voor Anne"
    );
    assert_eq!(InvitationNote::parse("").unwrap().as_str(), "");
    assert!(InvitationNote::parse(&"é".repeat(200)).is_ok());
    let e = InvitationNote::parse(&"é".repeat(201)).unwrap_err();
    assert_eq!((e.field, e.key), ("note", "error-note-long"));
}

fn role() -> impl Strategy<Value = Role> {
    prop_oneof![Just(B), Just(F), Just(L)]
}

fn change() -> impl Strategy<Value = MemberChange> {
    prop_oneof![
        role().prop_map(MemberChange::SetRole),
        Just(MemberChange::Remove)
    ]
}

proptest! {
    #[test]
    fn an_allowed_change_keeps_a_beheerder(
        roles in proptest::collection::vec(role(), 0..8),
        target in 0i64..9,
        change in change(),
    ) {
        let members: Vec<(UserId, Role)> = roles.iter().enumerate().map(|(i, r)| (UserId(i as i64), *r)).collect();
        let had = members.iter().any(|(_, r)| *r == B);
        if check_member_change(members.iter().copied(), UserId(target), change).is_ok() {
            let after: Vec<(UserId, Role)> = members
                .iter()
                .filter_map(|(u, r)| match (*u == UserId(target), change) {
                    (true, MemberChange::Remove) => None,
                    (true, MemberChange::SetRole(new)) => Some((*u, new)),
                    (false, _) => Some((*u, *r)),
                })
                .collect();
            prop_assert!(!had || after.iter().any(|(_, r)| *r == B));
        }
    }

    #[test]
    fn open_means_usable_as_the_store_checks_it(
        expires_at in -5i64..5,
        accepted in proptest::option::of(-5i64..5),
        revoked in proptest::option::of(-5i64..5),
        now in -5i64..5,
    ) {
        let dates = InvitationDates { expires_at, accepted_at: accepted, revoked_at: revoked };
        // The store's `Invitation::is_open` and `accept_invitation` condition.
        let store_open = accepted.is_none() && revoked.is_none() && expires_at > now;
        prop_assert_eq!(dates.status(now).is_open(), store_open);
    }
}
