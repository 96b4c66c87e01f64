//! Scan model files: parsing, errors with their place, built-ins, the schema, the
//! hand-worked scoring of the `digitale-volwassenheid-pso` model.

use koers_core::scan::*;

/// A small model with every question type, used by the scan tests.
pub const SMALL: &str = r#"
[model]
id = "klein"
version = "0.1.0"
languages = ["nl", "en"]
mode = "perspectives"
title = { nl = "Klein", en = "Small" }
description = { nl = "Een klein model", en = "A small model" }
gap_threshold = 15.0

[[bands]]
id = "laag"
from = 0.0
label = { nl = "Laag", en = "Low" }

[[bands]]
id = "hoog"
from = 50.0
label = { nl = "Hoog", en = "High" }

[[scales]]
id = "eens5"
points = [
  { id = "1", value = 1, label = { nl = "Oneens", en = "Disagree" } },
  { id = "2", value = 2, label = { nl = "Beetje oneens", en = "Somewhat disagree" } },
  { id = "3", value = 3, label = { nl = "Neutraal", en = "Neutral" } },
  { id = "4", value = 4, label = { nl = "Beetje eens", en = "Somewhat agree" } },
  { id = "5", value = 5, label = { nl = "Eens", en = "Agree" } },
]
not_applicable = [ { id = "weet-niet", label = { nl = "Weet niet", en = "Don't know" } } ]

[[dimensions]]
id = "visie"
label = { nl = "Visie", en = "Vision" }
gap_threshold = 10.0

[[dimensions]]
id = "mensen"
label = { nl = "Mensen", en = "People" }
weight = 3.0

[[questions]]
id = "v-lijst"
dimension = "visie"
type = "checklist"
text = { nl = "Wat is er?", en = "What is there?" }
options = [
  { id = "a", label = { nl = "A", en = "A" } },
  { id = "b", label = { nl = "B", en = "B" } },
]

[[questions]]
id = "v-keuze"
dimension = "visie"
type = "single_choice"
required = true
text = { nl = "Kies", en = "Choose" }
options = [
  { id = "niet", label = { nl = "Niet", en = "Not" }, score = 0.0 },
  { id = "wel", label = { nl = "Wel", en = "Yes" }, score = 10.0 },
]

[[questions]]
id = "v-niveau"
dimension = "visie"
type = "gated_level"
text = { nl = "Niveau", en = "Level" }
levels = [
  { label = { nl = "Eén", en = "One" }, criteria = [ { id = "c1", label = { nl = "C1", en = "C1" } } ] },
  { label = { nl = "Twee", en = "Two" }, criteria = [ { id = "c2", label = { nl = "C2", en = "C2" } }, { id = "c3", label = { nl = "C3", en = "C3" } } ] },
]

[[questions]]
id = "m-stelling"
dimension = "mensen"
type = "likert"
scale = "eens5"
text = { nl = "Ik leer", en = "I learn" }
text_others = { nl = "Zij leert", en = "She learns" }

[[questions]]
id = "m-omgekeerd"
dimension = "mensen"
type = "likert"
scale = "eens5"
reversed = true
text = { nl = "Ik stop", en = "I stop" }

[[questions]]
id = "m-raster"
dimension = "mensen"
type = "grid"
text = { nl = "Raster", en = "Grid" }
rows = [
  { id = "r1", label = { nl = "R1", en = "R1" } },
  { id = "r2", label = { nl = "R2", en = "R2" } },
]

[[questions]]
id = "m-adoptie"
dimension = "mensen"
type = "adoption"
text = { nl = "Adoptie", en = "Adoption" }
rows = [
  { id = "x", label = { nl = "X", en = "X" } },
  { id = "y", label = { nl = "Y", en = "Y" } },
]

[[questions]]
id = "m-drie"
dimension = "mensen"
type = "tristate"
text = { nl = "Drie", en = "Three" }
rows = [
  { id = "p", label = { nl = "P", en = "P" } },
  { id = "q", label = { nl = "Q", en = "Q" } },
]

[[questions]]
id = "m-tekst"
dimension = "mensen"
type = "text"
text = { nl = "Toelichting", en = "Comment" }

[[rules]]
id = "visie-zonder-mensen"
kind = "advice"
when = "visie >= 50 && mensen < 50"
title = { nl = "Visie zonder mensen", en = "Vision without people" }
text = { nl = "Tekst", en = "Text" }

[[rules]]
id = "bouwer"
kind = "leader_profile"
when = "!(overall < 50) || mensen == 100"
title = { nl = "Bouwer", en = "Builder" }
text = { nl = "Tekst", en = "Text" }
"#;

pub fn small() -> Model {
    Model::parse("klein.toml", SMALL).unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn every_builtin_model_parses() {
    for (name, src) in builtin::SOURCES {
        let m = Model::parse(name, src).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(format!("{}.toml", m.id()), *name);
        assert_eq!(m.hash().len(), 64);
    }
    assert_eq!(builtin_models().len(), builtin::SOURCES.len());
}

#[test]
fn the_pso_model_follows_the_jrc_structure() {
    let m = builtin::builtin_model("digitale-volwassenheid-pso").unwrap();
    assert_eq!(m.meta.mode, Mode::KeyInformant);
    assert_eq!(m.meta.overall, Overall::Mean);
    assert_eq!(m.meta.grid_reading, GridReading::Row);
    let dims: Vec<&str> = m.dimensions.iter().map(|d| d.id.as_str()).collect();
    assert_eq!(
        dims,
        [
            "strategie",
            "gereedheid",
            "mensen",
            "data",
            "interoperabiliteit",
            "groen"
        ]
    );
    let froms: Vec<f64> = m.bands.iter().map(|b| b.from).collect();
    assert_eq!(froms, [0.0, 26.0, 51.0, 76.0]);
    assert_eq!(m.bands[2].label.get("en"), "Moderately advanced");
    for d in &m.dimensions {
        assert_eq!(d.advice.len(), 4, "{}", d.id);
        for a in &d.advice {
            assert!(
                (2..=3).contains(&a.first_steps.len()),
                "{} {}",
                d.id,
                a.band
            );
        }
    }
    let interop = m.question("interoperabiliteit-principes").unwrap();
    match &interop.kind {
        QuestionKind::Grid { rows } => assert_eq!(rows.len(), 16),
        other => panic!("{other:?}"),
    }
    // 25.5 lies between Basic's written end (25) and Average's start (26): Basic.
    assert_eq!(m.band_for(25.5).unwrap().id, "basis");
    assert_eq!(m.band_for(26.0).unwrap().id, "gemiddeld");
    assert_eq!(m.band_for(100.0).unwrap().id, "geavanceerd");
    assert!(m.band_for(100.5).is_none() && m.band_for(f64::NAN).is_none());
}

#[test]
fn the_hash_is_the_sha256_of_the_source() {
    let m = small();
    // Independent: the hash of a known text, then that a one-byte change changes it.
    let empty_like = Model::parse("k.toml", SMALL).unwrap();
    assert_eq!(m.hash(), empty_like.hash());
    let other = Model::parse("k.toml", &format!("{SMALL}\n# ander commentaar\n")).unwrap();
    assert_ne!(m.hash(), other.hash());
    assert!(m
        .hash()
        .bytes()
        .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase()));
    assert_eq!(m.source(), SMALL);
}

#[test]
fn lookups_and_texts() {
    let m = small();
    assert_eq!(m.id(), "klein");
    assert_eq!(m.version(), "0.1.0");
    assert_eq!(m.dimension("mensen").unwrap().weight, 3.0);
    assert_eq!(m.dimension("visie").unwrap().gap_threshold, 10.0);
    assert_eq!(m.dimension("mensen").unwrap().gap_threshold, 15.0);
    assert_eq!(m.questions_of("visie").count(), 3);
    assert_eq!(m.meta.title.get("en"), "Small");
    assert_eq!(
        m.meta.title.get("fr"),
        "Klein",
        "falls back to the first language"
    );
    let q = m.question("m-stelling").unwrap();
    assert_eq!(q.wording(true).get("nl"), "Ik leer");
    assert_eq!(q.wording(false).get("nl"), "Zij leert");
    let q = m.question("m-omgekeerd").unwrap();
    assert_eq!(q.wording(false).get("nl"), "Ik stop");
    assert_eq!(m.band_for(49.99).unwrap().id, "laag");
    assert_eq!(m.band_for(50.0).unwrap().id, "hoog");
}

/// Replaces `from` (once, must be present) in the small model and parses it.
fn broken(from: &str, to: &str) -> ModelError {
    assert!(SMALL.contains(from), "{from}");
    let src = SMALL.replacen(from, to, 1);
    match Model::parse("klein.toml", &src) {
        Ok(_) => panic!("accepted: {from} -> {to}"),
        Err(e) => e,
    }
}

/// The line (1-based) of the first occurrence of `needle` in the changed source.
fn line_of(from: &str, to: &str, needle: &str) -> usize {
    let src = SMALL.replacen(from, to, 1);
    let at = src.find(needle).unwrap_or_else(|| panic!("{needle}"));
    src[..at].matches('\n').count() + 1
}

#[test]
fn errors_say_what_was_expected_and_where() {
    let cases: &[(&str, &str, &str, &str)] = &[
        // (from, to, expected message part, text on the reported line)
        ("type = \"tristate\"", "type = \"driestand\"", "expected one of checklist, grid, adoption, tristate, single_choice, likert, gated_level, text for `type`", "driestand"),
        ("dimension = \"mensen\"\ntype = \"grid\"", "dimension = \"mensn\"\ntype = \"grid\"", "unknown dimension `mensn` (known: visie, mensen)", "mensn"),
        ("from = 50.0", "from = 0.0", "bands must cover 0–100", "from = 0.0\nlabel = { nl = \"Hoog\""),
        ("id = \"hoog\"", "id = \"laag\"", "duplicate band id `laag`", "id = \"laag\"\nfrom = 50"),
        ("id = \"m-drie\"", "id = \"m-tekst\"", "duplicate question id `m-tekst`", "id = \"m-tekst\"\ndimension = \"mensen\"\ntype = \"text\""),
        ("scale = \"eens5\"\nreversed", "scale = \"eens7\"\nreversed", "unknown scale `eens7` (known: eens5)", "eens7"),
        ("when = \"visie >= 50 && mensen < 50\"", "when = \"visie >= 50 && mensem < 50\"", "unknown dimension `mensem`", "mensem"),
        ("when = \"visie >= 50 && mensen < 50\"", "when = \"visie >= 50 &&\"", "expected a dimension id", "when = \"visie >= 50 &&\""),
        ("title = { nl = \"Bouwer\", en = \"Builder\" }", "title = { nl = \"Bouwer\" }", "missing the `en` text", "title = { nl = \"Bouwer\" }"),
        ("text = { nl = \"Drie\", en = \"Three\" }", "text = { nl = \"Drie\", en = \"Three\", fr = \"Trois\" }", "`fr` is not one of the model's languages", "Trois"),
        ("mode = \"perspectives\"", "mode = \"groepen\"", "expected one of key_informant, perspectives for `mode`", "groepen"),
        ("kind = \"leader_profile\"", "kind = \"leider\"", "expected one of advice, leader_profile for `kind`", "leider"),
        ("score = 10.0", "score = 11.0", "score must be between 0 and 10", "score = 11.0"),
        ("{ id = \"niet\", label = { nl = \"Niet\", en = \"Not\" }, score = 0.0 }", "{ id = \"niet\", label = { nl = \"Niet\", en = \"Not\" } }", "needs a `score`", "id = \"niet\""),
        ("type = \"adoption\"", "type = \"adoption\"\nscale = \"eens5\"", "`scale` is not used by a adoption question", "scale = \"eens5\"\ntext = { nl = \"Adoptie\""),
        ("id = \"v-lijst\"", "id = \"V Lijst\"", "[a-z0-9-]+", "V Lijst"),
        ("weight = 3.0", "weight = -1.0", "weight must be a number above 0", "weight = -1.0"),
        ("{ id = \"5\", value = 5,", "{ id = \"5\", value = 2,", "point values must be ascending", "value = 2, label = { nl = \"Eens\""),
        ("gap_threshold = 10.0", "gap_threshold = 150.0", "gap_threshold must be between 0 and 100", "150.0"),
    ];
    for (from, to, message, on_line) in cases {
        let e = broken(from, to);
        assert!(
            e.message.contains(message),
            "{from} -> {to}: got `{}`",
            e.message
        );
        assert_eq!(e.file, "klein.toml");
        assert_eq!(e.line, line_of(from, to, on_line), "{from} -> {to}: {e}");
        assert!(e.column >= 1);
        assert!(e
            .to_string()
            .starts_with(&format!("klein.toml:{}:", e.line)));
    }
}

#[test]
fn syntax_and_shape_errors_carry_a_position() {
    let e = Model::parse("x.toml", "[model]\nid = \"a\"\nversion = 1.0.0\n").unwrap_err();
    assert_eq!(e.line, 3);
    let e = broken("required = true", "verplicht = true");
    assert!(e.message.contains("verplicht"), "{}", e.message);
    assert_eq!(
        e.line,
        line_of("required = true", "verplicht = true", "verplicht")
    );
    let e = Model::parse("x.toml", "").unwrap_err();
    assert!(e.message.contains("model"), "{}", e.message);
    // A dimension without a scored question.
    let e = broken(
        "id = \"m-tekst\"\ndimension = \"mensen\"",
        "id = \"m-tekst\"\ndimension = \"leeg\"",
    );
    assert!(e.message.contains("unknown dimension `leeg`"));
    let src = SMALL.replacen(
        "[[dimensions]]\nid = \"mensen\"",
        "[[dimensions]]\nid = \"leeg\"\nlabel = { nl = \"Leeg\", en = \"Empty\" }\n\n[[dimensions]]\nid = \"mensen\"",
        1,
    );
    let e = Model::parse("k.toml", &src).unwrap_err();
    assert!(
        e.message
            .contains("dimension `leeg` has no scored question"),
        "{e}"
    );
}

#[test]
fn the_committed_schema_is_current() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../docs/scan-model.schema.json"
    );
    let committed = std::fs::read_to_string(path).unwrap_or_default();
    assert!(
        committed == json_schema(),
        "docs/scan-model.schema.json is stale; regenerate it with\n    cargo run -p koers -- model schema > docs/scan-model.schema.json"
    );
    let schema: serde_json::Value = serde_json::from_str(&committed).unwrap();
    let text = schema.to_string();
    for word in [
        "gated_level",
        "key_informant",
        "leader_profile",
        "grid_reading",
        "first_steps",
    ] {
        assert!(text.contains(word), "{word}");
    }
}
