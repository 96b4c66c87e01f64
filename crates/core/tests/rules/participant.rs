//! A participant's screen: the grace window for a statement, the +/− dot steps,
//! the next card and "you are here".

use koers_core::anonymity::{AnonymityRule, MinGroupSize};
use koers_core::sessie::participant::{
    accepts_statement, dots_left, my_group, next_card, step_dots, CardCandidate,
    STATEMENT_GRACE_SECS,
};
use koers_core::sessie::{Phase, PhaseAction, Phases, SessieError};
use koers_core::StatementId;
use std::collections::BTreeMap;

fn open_inbreng() -> Phases {
    Phases::default()
        .apply(Phase::Inbreng, PhaseAction::Open)
        .unwrap()
}

#[test]
fn a_statement_is_accepted_for_a_short_while_after_inbreng_closed() {
    let open = open_inbreng();
    assert_eq!(accepts_statement(&open, false, None, 100), Ok(()));
    // Opening the next phase pauses inbreng; closing it closes it.
    let paused = open.apply(Phase::Stemmen, PhaseAction::Open).unwrap();
    let closed = open.apply(Phase::Inbreng, PhaseAction::Close).unwrap();
    for phases in [paused, closed] {
        assert_eq!(accepts_statement(&phases, false, Some(100), 100), Ok(()));
        assert_eq!(
            accepts_statement(&phases, false, Some(100), 100 + STATEMENT_GRACE_SECS),
            Ok(())
        );
        assert_eq!(
            accepts_statement(&phases, false, Some(100), 101 + STATEMENT_GRACE_SECS),
            Err(SessieError::PhaseNotOpen)
        );
        // Not knowing when it closed means no grace.
        assert_eq!(
            accepts_statement(&phases, false, None, 100),
            Err(SessieError::PhaseNotOpen)
        );
        // Read-only wins over everything.
        assert_eq!(
            accepts_statement(&phases, true, Some(100), 100),
            Err(SessieError::ReadOnly)
        );
    }
    // Inbreng that never started has nothing to be late for.
    assert_eq!(
        accepts_statement(&Phases::default(), false, Some(100), 100),
        Err(SessieError::PhaseNotOpen)
    );
}

#[test]
fn dot_steps_stay_within_the_budget() {
    let none = BTreeMap::new();
    assert_eq!(dots_left(&none, 3), 3);
    let one = step_dots(&none, 7, true, 3).unwrap();
    assert_eq!(one, BTreeMap::from([(7, 1)]));
    let three = step_dots(&step_dots(&one, 7, true, 3).unwrap(), 8, true, 3).unwrap();
    assert_eq!(three, BTreeMap::from([(7, 2), (8, 1)]));
    assert_eq!(dots_left(&three, 3), 0);
    assert_eq!(step_dots(&three, 9, true, 3), Err(SessieError::OverBudget));
    // "−" takes one away, and the statement leaves the allocation at zero.
    let two = step_dots(&three, 8, false, 3).unwrap();
    assert_eq!(two, BTreeMap::from([(7, 2)]));
    assert_eq!(dots_left(&two, 3), 1);
    assert_eq!(step_dots(&two, 8, false, 3), Err(SessieError::NoDotToTake));
    // A budget lowered below what is given leaves nothing, never wraps.
    assert_eq!(dots_left(&three, 2), 0);
}

fn card(id: i64, priority: Option<f64>, own: bool) -> CardCandidate {
    CardCandidate {
        id: StatementId(id),
        priority,
        own,
    }
}

#[test]
fn own_statements_come_last_and_the_card_is_kept_until_answered() {
    let cs = [
        card(1, Some(0.2), false),
        card(2, Some(0.9), true),
        card(3, Some(0.5), false),
    ];
    // 2 weighs most but is the participant's own.
    assert_eq!(next_card(&cs, None), Some(StatementId(3)));
    // New statements (no weight yet) first, ties by the lower id.
    let fresh = [
        card(5, None, false),
        card(4, None, false),
        card(1, Some(0.9), false),
    ];
    assert_eq!(next_card(&fresh, None), Some(StatementId(4)));
    // Only own statements left: they are still offered.
    assert_eq!(next_card(&cs[1..2], None), Some(StatementId(2)));
    // The kept card stays, even when weights moved; once answered, it is gone.
    assert_eq!(next_card(&cs, Some(StatementId(1))), Some(StatementId(1)));
    assert_eq!(next_card(&cs, Some(StatementId(9))), Some(StatementId(3)));
    assert_eq!(next_card(&[], Some(StatementId(1))), None);
}

#[test]
fn a_participant_learns_their_group_only_when_it_may_be_shown() {
    let rule =
        AnonymityRule::new(MinGroupSize::new(3).unwrap(), MinGroupSize::new(3).unwrap()).unwrap();
    let small: &[u64] = &[1, 2];
    let big: &[u64] = &[3, 4, 5];
    let other: &[u64] = &[6, 7, 8, 9];
    let groups = [small, big, other];
    // Under the threshold: nothing, not even that there is a group.
    assert_eq!(my_group(&rule, &groups, &1), None);
    // Positions count only the groups shown, as the projector's letters do.
    assert_eq!(my_group(&rule, &groups, &4), Some((0, 3)));
    assert_eq!(my_group(&rule, &groups, &9), Some((1, 4)));
    assert_eq!(my_group(&rule, &groups, &42), None);
}
