//! The built-in `digitaal-leiderschap` model: it parses with core's checker, has the
//! shape the issue asks for, and its leader profiles cover every profile.

use koers_core::scan::{Mode, Model, QuestionKind, RuleKind};
use rand::{rngs::StdRng, Rng, SeedableRng};

const SOURCE: &str = include_str!("../../../core/models/digitaal-leiderschap.toml");

const DIMENSIONS: [&str; 9] = [
    "verdiepen",
    "mensen",
    "adoptie",
    "verankeren",
    "ecosysteem",
    "waarde",
    "inclusie",
    "agenda",
    "samen",
];

fn model() -> Model {
    match Model::parse("digitaal-leiderschap.toml", SOURCE) {
        Ok(m) => m,
        Err(e) => panic!("the built-in model does not parse: {e}"),
    }
}

#[test]
fn leadership_model_parses_with_the_documented_shape() {
    let m = model();
    assert_eq!(m.id(), "digitaal-leiderschap");
    assert_eq!(m.meta.mode, Mode::Perspectives);
    assert_eq!(m.meta.languages, ["nl", "en"]);
    let dims: Vec<&str> = m.dimensions.iter().map(|d| d.id.as_str()).collect();
    assert_eq!(dims, DIMENSIONS);
    let bands: Vec<&str> = m.bands.iter().map(|b| b.id.as_str()).collect();
    assert_eq!(
        bands,
        ["beginnend", "ontwikkelend", "gevorderd", "voorlopend"]
    );

    let mut dims_with_reversed = 0;
    for d in &m.dimensions {
        assert!(d.description.is_some(), "{} has no description", d.id);
        for b in &bands {
            let advice = d
                .advice_for(b)
                .unwrap_or_else(|| panic!("{} lacks advice for {b}", d.id));
            let steps = advice.first_steps.len();
            assert!(
                (2..=3).contains(&steps),
                "{} {b}: {steps} first steps",
                d.id
            );
        }
        let likert: Vec<_> = m
            .questions
            .iter()
            .filter(|q| q.dimension == d.id)
            .filter_map(|q| match &q.kind {
                QuestionKind::Likert { reversed, .. } => Some((q, *reversed)),
                _ => None,
            })
            .collect();
        assert!(
            likert.len() >= 5,
            "{} has {} likert items",
            d.id,
            likert.len()
        );
        for (q, _) in &likert {
            let others = q
                .text_others
                .as_ref()
                .unwrap_or_else(|| panic!("{} has no others wording", q.id));
            assert!(
                q.text.get("nl").starts_with("Ik ") || q.text.get("nl").contains(" ik "),
                "{}: self wording",
                q.id
            );
            assert!(
                others.get("nl").contains("onze leiding")
                    || others.get("nl").contains("Onze leiding"),
                "{}: others wording",
                q.id
            );
            assert!(
                others.get("en").contains("our leadership")
                    || others.get("en").contains("Our leadership"),
                "{}: others wording (en)",
                q.id
            );
            assert!(q.id.starts_with(&format!("{}-", d.id)), "{}: id", q.id);
        }
        if likert.iter().any(|(_, r)| *r) {
            dims_with_reversed += 1;
        }
    }
    assert!(
        dims_with_reversed >= 3,
        "only {dims_with_reversed} dimensions with a reversed item"
    );

    let count = |f: fn(&QuestionKind) -> bool| m.questions.iter().filter(|q| f(&q.kind)).count();
    assert_eq!(count(|k| matches!(k, QuestionKind::SingleChoice { .. })), 1);
    assert_eq!(count(|k| matches!(k, QuestionKind::Text)), 1);
    let rules = |k: RuleKind| m.rules.iter().filter(|r| r.kind == k).count();
    assert!(rules(RuleKind::Advice) >= 4);
    assert!(rules(RuleKind::LeaderProfile) >= 5);
}

/// Names the leader profiles that hold for these dimension scores (overall = mean).
fn profiles_for(m: &Model, scores: &[f64; 9]) -> Vec<String> {
    let overall = scores.iter().sum::<f64>() / 9.0;
    let value = |name: &str| {
        if name == "overall" {
            return Some(overall);
        }
        DIMENSIONS
            .iter()
            .position(|d| *d == name)
            .map(|i| scores[i])
    };
    m.rules
        .iter()
        .filter(|r| r.kind == RuleKind::LeaderProfile && r.condition.holds(&value))
        .map(|r| r.id.clone())
        .collect()
}

#[test]
fn every_leadership_profile_calls_for_a_kind_of_leader() {
    let m = model();
    // Flat profiles at every level, including the band edges.
    for step in 0..=200 {
        let s = f64::from(step) / 2.0;
        assert!(!profiles_for(&m, &[s; 9]).is_empty(), "flat profile at {s}");
    }
    // One dimension far from the rest, each way.
    for i in 0..9 {
        for (rest, odd) in [(80.0, 20.0), (40.0, 90.0), (45.0, 34.0), (55.0, 49.0)] {
            let mut s = [rest; 9];
            s[i] = odd;
            assert!(!profiles_for(&m, &s).is_empty(), "{s:?}");
        }
    }
    // Random realistic profiles: a level with spread around it.
    let mut rng = StdRng::seed_from_u64(10);
    for _ in 0..20_000 {
        let base: f64 = rng.gen_range(0.0..100.0);
        let spread: f64 = rng.gen_range(0.0..30.0);
        let s: [f64; 9] =
            std::array::from_fn(|_| (base + rng.gen_range(-spread..=spread)).clamp(0.0, 100.0));
        assert!(!profiles_for(&m, &s).is_empty(), "{s:?}");
    }
}

#[test]
fn leadership_profiles_name_what_is_weak() {
    let m = model();
    let mut s = [70.0; 9];
    s[3] = 30.0; // verankeren
    assert_eq!(profiles_for(&m, &s), ["bouwer"]);
    assert_eq!(profiles_for(&m, &[20.0; 9]), ["kwartiermaker"]);
    assert_eq!(profiles_for(&m, &[40.0; 9]), ["gangmaker"]);
    assert_eq!(profiles_for(&m, &[80.0; 9]), ["koershouder"]);
}

/// The small example in `docs/scan.md` ("Writing a model file") is valid and scores as
/// the text under it says.
#[test]
fn docs_example_model_parses_and_scores_as_documented() {
    let doc = include_str!("../../../../docs/scan.md");
    let section = doc
        .split("## Writing a model file")
        .nth(1)
        .unwrap_or_else(|| panic!("docs/scan.md has no 'Writing a model file' section"));
    let example = section
        .split("```toml\n")
        .nth(1)
        .and_then(|s| s.split("```").next())
        .unwrap_or_else(|| panic!("no toml example in the section"));
    let m = Model::parse("voorbeeld.toml", example).unwrap_or_else(|e| panic!("{e}"));
    let fields: Vec<(String, String)> =
        [("data-basis:beleid", "1"), ("team-1", "4"), ("team-2", "2")]
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
    let answers =
        koers_core::scan::Answers::from_form(&m, &fields).unwrap_or_else(|e| panic!("{e:?}"));
    let s = koers_core::scan::score(&m, &answers);
    let close = |a: Option<f64>, b: f64| a.is_some_and(|a| (a - b).abs() < 1e-9);
    assert!(close(s.dimensions[0], 50.0), "{:?}", s.dimensions);
    assert!(close(s.dimensions[1], 75.0), "{:?}", s.dimensions);
    assert!(close(s.overall, 62.5), "{:?}", s.overall);
    assert_eq!(m.band_for(50.0).map(|b| b.id.as_str()), Some("hoog"));
    let value = |n: &str| match n {
        "data" => s.dimensions[0],
        "team" => s.dimensions[1],
        _ => s.overall,
    };
    assert!(!m.rules[0].condition.holds(&value));
}
