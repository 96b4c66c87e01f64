//! Merging duplicates, the edited ballot, and phases shown as closed.

use koers_core::sessie::{
    ballot, carried_over, check_merge, BallotEdit, MergeError, MergeSide, Phase, PhaseAction,
    PhaseState, Phases, SessionLogAction,
};
use koers_core::StatementId;
use std::collections::{BTreeMap, BTreeSet};

fn side(id: i64) -> MergeSide {
    MergeSide {
        id: StatementId(id),
        in_session: true,
        accepted: true,
        merged: false,
        has_duplicates: false,
    }
}

#[test]
fn a_merge_is_refused_into_itself_another_session_a_merged_one_or_a_chain() {
    assert_eq!(check_merge(side(1), side(2)), Ok(()));
    assert_eq!(
        check_merge(side(1), side(1)),
        Err(MergeError::SameStatement)
    );
    let foreign = MergeSide {
        in_session: false,
        ..side(2)
    };
    assert_eq!(check_merge(side(1), foreign), Err(MergeError::OtherSession));
    assert_eq!(check_merge(foreign, side(1)), Err(MergeError::OtherSession));
    let merged = |id| MergeSide {
        merged: true,
        ..side(id)
    };
    assert_eq!(
        check_merge(merged(1), side(2)),
        Err(MergeError::AlreadyMerged)
    );
    assert_eq!(
        check_merge(side(1), merged(2)),
        Err(MergeError::TargetMerged)
    );
    let survivor_of_others = MergeSide {
        has_duplicates: true,
        ..side(1)
    };
    assert_eq!(
        check_merge(survivor_of_others, side(2)),
        Err(MergeError::Chain)
    );
    // A statement others were merged into may itself survive another merge.
    assert_eq!(
        check_merge(
            side(3),
            MergeSide {
                has_duplicates: true,
                ..side(2)
            }
        ),
        Ok(())
    );
    let rejected = MergeSide {
        accepted: false,
        ..side(2)
    };
    assert_eq!(
        check_merge(side(1), rejected),
        Err(MergeError::TargetNotAccepted)
    );
    // A pending or rejected duplicate may be merged away.
    assert_eq!(
        check_merge(
            MergeSide {
                accepted: false,
                ..side(1)
            },
            side(2)
        ),
        Ok(())
    );
}

#[test]
fn a_merge_carries_over_only_the_votes_of_who_did_not_vote_on_the_survivor() {
    // Participant 1 voted on both, 2 only on the duplicate, 3 only on the survivor.
    let survivor: BTreeMap<i64, i16> = [(1, 1), (3, -1)].into();
    let duplicate: BTreeMap<i64, i16> = [(1, -1), (2, 0)].into();
    assert_eq!(carried_over(&survivor, &duplicate), vec![(2, 0)]);
    assert!(carried_over(&duplicate, &BTreeMap::new()).is_empty());
}

#[test]
fn the_ballot_drops_removed_and_appends_added_accepted_statements() {
    let id = StatementId;
    let accepted: BTreeSet<StatementId> = [1, 2, 3, 4, 5].map(id).into();
    let computed = [id(3), id(1), id(9)];
    let edits: BTreeMap<StatementId, BallotEdit> = [
        (id(1), BallotEdit::Removed),
        (id(5), BallotEdit::Added),
        (id(3), BallotEdit::Added),
        (id(8), BallotEdit::Added),
    ]
    .into();
    // 9 and 8 are not accepted (merged or rejected since): never on the ballot.
    assert_eq!(ballot(&computed, &edits, &accepted), vec![id(3), id(5)]);
    assert_eq!(
        ballot(&computed, &BTreeMap::new(), &accepted),
        vec![id(3), id(1)]
    );
}

#[test]
fn a_phase_shown_closed_offers_to_open_it_again_never_to_close_it() {
    let p = Phases::default()
        .apply(Phase::Inbreng, PhaseAction::Open)
        .and_then(|p| p.apply(Phase::Stemmen, PhaseAction::Open))
        .unwrap();
    assert_eq!(p.state(Phase::Inbreng), PhaseState::Paused);
    assert_eq!(p.shown_state(Phase::Inbreng), PhaseState::Closed);
    assert_eq!(p.shown_actions(Phase::Inbreng), &[PhaseAction::Open]);
    for a in p.shown_actions(Phase::Inbreng) {
        assert!(p.apply(Phase::Inbreng, *a).is_ok());
    }
    // A phase paused with nothing later started is paused, with both actions.
    let paused = Phases::default()
        .apply(Phase::Inbreng, PhaseAction::Open)
        .and_then(|p| p.apply(Phase::Inbreng, PhaseAction::Pause))
        .unwrap();
    assert_eq!(paused.shown_state(Phase::Inbreng), PhaseState::Paused);
    assert_eq!(
        paused.shown_actions(Phase::Inbreng),
        &[PhaseAction::Open, PhaseAction::Close]
    );
}

#[test]
fn log_actions_round_trip_through_their_stored_names() {
    for a in SessionLogAction::ALL {
        assert_eq!(SessionLogAction::parse(a.as_str()), Some(a));
    }
    assert_eq!(SessionLogAction::parse("session.phase"), None);
}
