//! The engine's behaviour on small, made-up conversations.

use std::collections::BTreeMap;

use koers_consensus::{
    analyse, AnalysisError, Direction, Engine, EngineConfig, Export, GroupCount, Statement,
    VoteSource,
};

use crate::common::{two_camps, vote};

fn export(votes: Vec<koers_consensus::VoteEvent>) -> Export {
    Export {
        votes,
        statements: Vec::new(),
        source: VoteSource::EventLog,
    }
}

#[test]
fn an_empty_conversation_gives_a_clear_message() {
    let err = analyse(&export(vec![]), &EngineConfig::default(), None).unwrap_err();
    assert_eq!(err, AnalysisError::Empty);
    assert!(err.to_string().contains("no votes"));
}

#[test]
fn a_one_participant_conversation_gives_a_clear_message() {
    let votes = (0..10).map(|s| vote(s, 7, s as u64, 1)).collect();
    let err = analyse(&export(votes), &EngineConfig::default(), None).unwrap_err();
    assert_eq!(err, AnalysisError::OneParticipant);
    assert!(err.to_string().contains("one participant"));
}

#[test]
fn an_all_pass_conversation_gives_a_clear_message() {
    let votes = (0..30)
        .map(|i| vote(i, i as u64 % 5, i as u64 / 5, 0))
        .collect();
    let err = analyse(&export(votes), &EngineConfig::default(), None).unwrap_err();
    assert_eq!(err, AnalysisError::AllPass);
    assert!(err.to_string().contains("pass"));
}

#[test]
fn an_all_moderated_conversation_gives_a_clear_message() {
    let mut e = export(two_camps(5, 4));
    e.statements = (0..4)
        .map(|id| Statement {
            id,
            text: String::new(),
            moderated_out: true,
            is_meta: false,
        })
        .collect();
    let err = analyse(&e, &EngineConfig::default(), None).unwrap_err();
    assert_eq!(err, AnalysisError::AllModerated);
}

#[test]
fn the_latest_vote_on_a_cell_wins() {
    let mut votes = two_camps(10, 6);
    let n = votes.len();
    // Voter 0 changes their mind on statement 0, later in time.
    votes.push(vote(1_000_000, 0, 0, -1));
    let (_, a) = analyse(&export(votes), &EngineConfig::default(), None).unwrap();
    assert_eq!(a.votes, n, "a replaced vote is not an extra vote");
    let g = a.groups.iter().find(|g| g.members.contains(&0)).unwrap();
    let r = g.representative.iter().find(|r| r.statement == 0);
    if let Some(r) = r {
        assert_eq!(r.n_votes as usize, g.members.len());
    }
}

#[test]
fn two_clear_camps_become_two_groups() {
    let (_, a) = analyse(&export(two_camps(20, 8)), &EngineConfig::default(), None).unwrap();
    assert_eq!(a.groups.len(), 2);
    let mut sizes: Vec<usize> = a.groups.iter().map(|g| g.members.len()).collect();
    sizes.sort();
    assert_eq!(sizes, vec![20, 20]);
    // Camp 0 agrees with even statements: that is what represents it.
    let g0 = a.groups.iter().find(|g| g.members.contains(&0)).unwrap();
    let top = &g0.representative[0];
    assert_eq!(top.direction, Direction::Agree);
    assert_eq!(top.statement % 2, 0);
    assert!(top.pa > 0.8 && top.z > 1.2816);
    assert_eq!(a.participants, 40);
    assert_eq!(a.coordinates.participants.len(), 40);
    assert_eq!(a.coordinates.statements.len(), 8);
    // Nothing bridges two camps that disagree on everything.
    assert!(a.bridging.is_empty());
}

#[test]
fn a_fixed_group_count_is_honoured_and_checked() {
    let config = EngineConfig {
        groups: GroupCount::Fixed(4),
        ..EngineConfig::default()
    };
    let export =
        koers_consensus::load_export(&crate::common::conversation("vtaiwan.uberx")).unwrap();
    let (_, a) = analyse(&export, &config, None).unwrap();
    assert_eq!(a.groups.len(), 4);
    let members: usize = a.groups.iter().map(|g| g.members.len()).sum();
    assert_eq!(members, a.in_conversation);
    for bad in [0, 1, 9] {
        let config = EngineConfig {
            groups: GroupCount::Fixed(bad),
            ..EngineConfig::default()
        };
        assert_eq!(
            Engine::new(config).unwrap_err(),
            AnalysisError::BadGroupCount(bad)
        );
    }
}

#[test]
fn moderated_statements_are_never_selected_and_meta_gets_a_fixed_priority() {
    let mut e = export(two_camps(20, 8));
    e.statements = vec![
        Statement {
            id: 0,
            text: "weg".into(),
            moderated_out: true,
            is_meta: false,
        },
        Statement {
            id: 1,
            text: "meta".into(),
            moderated_out: false,
            is_meta: true,
        },
    ];
    let (_, a) = analyse(&e, &EngineConfig::default(), None).unwrap();
    for g in &a.groups {
        assert!(g.representative.iter().all(|r| r.statement > 1));
    }
    assert!(a.consensus.iter().all(|c| c.statement > 1));
    assert_eq!(a.priorities.get(&1), Some(&49.0));
    assert!(!a.priorities.contains_key(&0));
    assert!(a.priorities.values().all(|p| p.is_finite() && *p >= 0.0));
}

#[test]
fn statements_everyone_agrees_with_are_consensus_and_bridging() {
    let mut votes = two_camps(20, 6);
    // Statement 100: everyone agrees.
    for p in 0..40 {
        votes.push(vote(10_000 + p as i64, p, 100, 1));
    }
    let perspectives: BTreeMap<u64, String> = (0..40)
        .map(|p| (p, if p % 3 == 0 { "beleid" } else { "inwoner" }.to_string()))
        .collect();
    let (_, a) = analyse(
        &export(votes),
        &EngineConfig::default(),
        Some(&perspectives),
    )
    .unwrap();
    assert_eq!(a.bridging.first().map(|b| b.statement), Some(100));
    assert!(a.bridging[0].score > 0.5 && a.bridging[0].min_agree_share == 1.0);
    assert!(a
        .consensus
        .iter()
        .any(|c| c.statement == 100 && c.direction == Direction::Agree));
    assert_eq!(a.perspectives.len(), 2);
    let sizes: usize = a.perspectives.iter().map(|p| p.members.len()).sum();
    assert_eq!(sizes, 40);
    assert!(a.perspective_informed_consensus[&100] > 0.8);
    assert!(a.group_informed_consensus[&100] > 0.8);
}

#[test]
fn updates_keep_group_labels_and_a_warm_update_without_votes_changes_nothing() {
    let votes = two_camps(30, 10);
    let (first, rest) = votes.split_at(votes.len() * 2 / 3);
    let mut engine = Engine::new(EngineConfig::default()).unwrap();
    engine.add_votes(first);
    let a = engine.update().unwrap();
    let label_of_0 = a.groups.iter().find(|g| g.members.contains(&0)).unwrap().id;
    engine.add_votes(rest);
    let b = engine.update().unwrap();
    let again = b.groups.iter().find(|g| g.members.contains(&0)).unwrap().id;
    assert_eq!(label_of_0, again);
    let c = engine.update().unwrap();
    assert_eq!(
        b.groups.iter().map(|g| &g.members).collect::<Vec<_>>(),
        c.groups.iter().map(|g| &g.members).collect::<Vec<_>>()
    );
}

#[test]
fn the_json_contract_keeps_its_keys_and_types() {
    let mut votes = two_camps(20, 7);
    for p in 0..40 {
        votes.push(vote(10_000 + p as i64, p, 7, 1));
    }
    let (_, a) = analyse(&export(votes), &EngineConfig::default(), None).unwrap();
    let v = serde_json::to_value(&a).unwrap();
    for key in ["participants", "statements", "votes"] {
        assert!(v[key].is_u64(), "{key}");
    }
    let g = &v["groups"][0];
    assert!(g["id"].is_u64());
    assert!(g["members"].as_array().unwrap().iter().all(|m| m.is_u64()));
    let r = &g["representative"][0];
    assert!(r["statement"].is_u64());
    assert!(["agree", "disagree"].contains(&r["direction"].as_str().unwrap()));
    for key in ["pa", "pd", "z"] {
        assert!(r[key].is_f64(), "{key}");
    }
    let c = &v["consensus"][0];
    assert!(c["statement"].is_u64() && c["direction"].is_string() && c["score"].is_f64());
    let gic = v["group_informed_consensus"].as_object().unwrap();
    assert_eq!(gic.len(), 8);
    assert!(gic
        .iter()
        .all(|(k, x)| k.parse::<u64>().is_ok() && x.is_f64()));
    assert!(v["bridging"].is_array());
    assert!(v["coordinates"]["participants"].is_array());
    assert!(v["coordinates"]["statements"].is_array());
    let p = &v["coordinates"]["participants"][0];
    assert!(p["participant"].is_u64() && p["x"].is_f64() && p["y"].is_f64());
}

#[test]
fn the_text_report_names_groups_and_statements() {
    let mut e = export(two_camps(20, 4));
    e.statements = (0..4)
        .map(|id| Statement {
            id,
            text: format!("Stelling nummer {id}"),
            moderated_out: false,
            is_meta: false,
        })
        .collect();
    let (_, a) = analyse(&e, &EngineConfig::default(), None).unwrap();
    let text = koers_consensus::text::render(&a, &e.statements);
    assert!(text.contains("Group 0 (20 participants)"), "{text}");
    assert!(text.contains("Stelling nummer"), "{text}");
    assert!(text.contains("Consensus") && text.contains("Bridging"));
}
