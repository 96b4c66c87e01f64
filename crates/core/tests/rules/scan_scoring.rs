//! Scan scoring and answers: the hand-worked `digitale-volwassenheid-pso` case, every
//! question type, form and import parsing, page-by-page saving.

use super::scan_model::small;
use koers_core::scan::*;
use koers_core::AnonymityRule;
use proptest::prelude::*;

fn f(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

fn close(a: Option<f64>, b: f64) {
    let a = a.unwrap_or_else(|| panic!("no score, expected {b}"));
    assert!((a - b).abs() < 1e-9, "{a} != {b}");
}

/// One key informant's answers, every figure worked out by hand.
#[test]
fn hand_worked_pso_answer_set() {
    let m = builtin::builtin_model("digitale-volwassenheid-pso").unwrap();
    let mut fields = vec![
        ("csrf", "niet-een-antwoord"),
        // Strategie. Checklist: 4 of 8 ticked → 10·4/8 = 5.0.
        ("strategie-gereedheid:bestuurlijk-commitment", "1"),
        ("strategie-gereedheid:strategie-vastgelegd", "1"),
        ("strategie-gereedheid:meerjarig-budget", "1"),
        ("strategie-gereedheid:ict-specialisten", "1"),
        // Grid (row reading), 8 rows: dienstverlening implemented 1, vergunningen
        // planned 0.5, financien implemented 1, personeel planned 0.5, communicatie
        // both 1, the other three 0 → 4.0 / 8 = 0.5 → 5.0.
        ("strategie-investeringen:dienstverlening:gerealiseerd", "1"),
        ("strategie-investeringen:vergunningen:gepland", "1"),
        ("strategie-investeringen:financien:gerealiseerd", "1"),
        ("strategie-investeringen:personeel:gepland", "1"),
        ("strategie-investeringen:communicatie:gepland", "1"),
        ("strategie-investeringen:communicatie:gerealiseerd", "1"),
        // → strategie = 10 · mean(5.0, 5.0) = 50.0: band gemiddeld (26 ≤ 50 < 51).
        //
        // Gereedheid. Checklist 6 of 8 → 7.5.
        ("gereedheid-basis:breedband", "1"),
        ("gereedheid-basis:werkplek", "1"),
        ("gereedheid-basis:thuiswerken", "1"),
        ("gereedheid-basis:cloud", "1"),
        ("gereedheid-basis:website", "1"),
        ("gereedheid-basis:eid", "1"),
        // Adoption, 4 of 7 rows answered: 3, 4, 5, 0 → mean(0.6, 0.8, 1.0, 0) = 0.6 → 6.0.
        ("gereedheid-geavanceerd:ai", "3"),
        ("gereedheid-geavanceerd:data-analyse", "4"),
        ("gereedheid-geavanceerd:automatisering", "5"),
        ("gereedheid-geavanceerd:iot", "0"),
        // → gereedheid = 10 · mean(7.5, 6.0) = 67.5: gevorderd.
        //
        // Mensen. Checklist with nothing ticked is an answer: 0.
        // Tristate, 4 of 6 rows: ja, deels, nee, nee → mean(1, 0.5, 0, 0) = 0.375 → 3.75.
        ("mensen-betrokkenheid:medewerkers-ontwerp", "ja"),
        ("mensen-betrokkenheid:gebruikers-ontwerp", "deels"),
        ("mensen-betrokkenheid:gebruikers-testen", "nee"),
        ("mensen-betrokkenheid:hulp-digitaal", "nee"),
        // → mensen = 10 · mean(0, 3.75) = 18.75: basis.
    ];
    // Data: both checklists fully ticked → 10 and 10 → data = 100: geavanceerd.
    let data_beheer = [
        "databeleid",
        "data-eigenaren",
        "koppelingen",
        "analyse",
        "dashboards",
        "open-data",
        "datakwaliteit",
    ];
    let data_beveiliging = [
        "beveiligingsbeleid",
        "functionaris",
        "mfa",
        "back-ups",
        "bewustwording",
        "incidentplan",
        "privacy",
    ];
    let owned: Vec<(String, String)> = data_beheer
        .iter()
        .map(|o| (format!("data-beheer:{o}"), "1".to_owned()))
        .chain(
            data_beveiliging
                .iter()
                .map(|o| (format!("data-beveiliging:{o}"), "1".to_owned())),
        )
        // Interoperabiliteit, 16 rows: 8 implemented (1 each), 4 only planned (0.5
        // each), 4 nothing → (8 + 2) / 16 = 0.625 → 6.25 → 62.5: gevorderd.
        .chain(
            [
                "subsidiariteit",
                "openheid",
                "transparantie",
                "hergebruik",
                "technologieneutraal",
                "gebruiker-centraal",
                "eenmalige-uitvraag",
                "een-loket",
            ]
            .iter()
            .map(|r| {
                (
                    format!("interoperabiliteit-principes:{r}:gerealiseerd"),
                    "1".to_owned(),
                )
            }),
        )
        .chain(
            [
                "kanaalkeuze",
                "inclusie",
                "toegankelijkheid",
                "meertaligheid",
            ]
            .iter()
            .map(|r| {
                (
                    format!("interoperabiliteit-principes:{r}:gepland"),
                    "1".to_owned(),
                )
            }),
        )
        .collect();
    // Groen: checklist 1 of 5 → 2.0; the tristate has no row answered and is left
    // out → groen = 10 · 2.0 = 20.0: basis.
    fields.push(("groen-maatregelen:groen-beleid", "1"));
    let mut all = f(&fields);
    all.extend(owned);
    let answers = Answers::from_form(&m, &all).unwrap();
    let s = score(&m, &answers);
    let expected = [50.0, 67.5, 18.75, 100.0, 62.5, 20.0];
    for (got, want) in s.dimensions.iter().zip(expected) {
        close(*got, want);
    }
    // Overall = unweighted mean = (50 + 67.5 + 18.75 + 100 + 62.5 + 20) / 6
    //         = 318.75 / 6 = 53.125: gevorderd.
    close(s.overall, 53.125);

    // A key informant: one respondent is shown, the threshold does not apply.
    let scores = [s];
    let r = aggregate(
        &m,
        AnonymityRule::DEFAULT,
        &[PerspectiveInput {
            name: "sleutelpersoon",
            weight: 1.0,
            rates_self: true,
            scores: &scores,
        }],
    );
    assert_eq!(r.respondents, 1);
    let bands: Vec<&str> = r
        .dimensions
        .iter()
        .map(|d| d.band.as_deref().unwrap())
        .collect();
    assert_eq!(
        bands,
        [
            "gemiddeld",
            "gevorderd",
            "basis",
            "geavanceerd",
            "gevorderd",
            "basis"
        ]
    );
    close(r.overall, 53.125);
    assert_eq!(r.overall_band.as_deref(), Some("gevorderd"));
    assert_eq!(r.weakest.as_deref(), Some("mensen"));
    assert_eq!(r.advice.len(), 6);
    assert_eq!(r.advice[2], ("mensen".to_owned(), "basis".to_owned()));
    // techniek-voor-mensen: gereedheid 67.5 ≥ 51 and mensen 18.75 < 26 → holds;
    // ambitie-zonder-basis: strategie 50 < 51 → not; koppelen-zonder-databeheer:
    // data 100 ≥ 26 → not; groen-blijft-achter: overall 53.125 ≥ 51, groen 20 < 26 → holds.
    assert_eq!(r.rules, ["techniek-voor-mensen", "groen-blijft-achter"]);
    assert!(r.leader_profiles.is_empty());
    assert!(r.dimensions.iter().all(|d| d.gap.is_none()));
}

#[test]
fn every_question_type_scores_per_the_rules() {
    let m = small();
    let q = |id: &str| m.question(id).unwrap();
    let row = GridReading::Row;
    let a = Answers::from_form(
        &m,
        &f(&[
            ("v-lijst:a", "1"),
            ("v-keuze", "wel"),
            ("v-niveau:c1", "1"),
            ("v-niveau:c3", "1"),
            ("m-stelling", "4"),
            ("m-omgekeerd", "4"),
            ("m-raster:r1:gepland", "1"),
            ("m-adoptie:x", "5"),
            ("m-drie:p", "deels"),
            ("m-tekst", "Een opmerking"),
        ]),
    )
    .unwrap();
    close(question_score(q("v-lijst"), a.get("v-lijst"), row), 5.0);
    close(question_score(q("v-keuze"), a.get("v-keuze"), row), 10.0);
    // Level 1 reached; level 2 needs c2 and c3 → 10 · 1/2.
    close(question_score(q("v-niveau"), a.get("v-niveau"), row), 5.0);
    // (4 − 1) / (5 − 1) = 0.75 → 7.5; reversed → 2.5.
    close(
        question_score(q("m-stelling"), a.get("m-stelling"), row),
        7.5,
    );
    close(
        question_score(q("m-omgekeerd"), a.get("m-omgekeerd"), row),
        2.5,
    );
    // Row reading: r1 planned 0.5, r2 nothing → 0.25 → 2.5. Columns: planned 1/2,
    // implemented 0 → mean 0.25 → 2.5; with r2 implemented: rows (0.5 + 1)/2 = 7.5,
    // columns (1/2 + 1/2)/2 = 5.
    close(question_score(q("m-raster"), a.get("m-raster"), row), 2.5);
    close(
        question_score(q("m-raster"), a.get("m-raster"), GridReading::Columns),
        2.5,
    );
    let g = Answers::from_form(
        &m,
        &f(&[
            ("v-keuze", "niet"),
            ("m-raster:r1:gepland", "1"),
            ("m-raster:r2:gerealiseerd", "1"),
        ]),
    )
    .unwrap();
    close(question_score(q("m-raster"), g.get("m-raster"), row), 7.5);
    close(
        question_score(q("m-raster"), g.get("m-raster"), GridReading::Columns),
        5.0,
    );
    close(
        question_score(q("m-adoptie"), a.get("m-adoptie"), row),
        10.0,
    );
    close(question_score(q("m-drie"), a.get("m-drie"), row), 5.0);
    assert_eq!(question_score(q("m-tekst"), a.get("m-tekst"), row), None);
    // Left out: unanswered likert, adoption, tristate, single choice; not applicable.
    let empty = Answers::default();
    for id in ["m-stelling", "m-adoptie", "m-drie", "v-keuze"] {
        assert_eq!(question_score(q(id), empty.get(id), row), None, "{id}");
    }
    let na =
        Answers::from_form(&m, &f(&[("v-keuze", "niet"), ("m-stelling", "weet-niet")])).unwrap();
    assert_eq!(
        na.get("m-stelling"),
        Some(&Answer::Likert(LikertAnswer::NotApplicable(
            "weet-niet".into()
        )))
    );
    assert_eq!(
        question_score(q("m-stelling"), na.get("m-stelling"), row),
        None
    );
    // Always scored: nothing ticked is 0.
    close(question_score(q("v-lijst"), empty.get("v-lijst"), row), 0.0);
    close(
        question_score(q("m-raster"), empty.get("m-raster"), row),
        0.0,
    );
    close(
        question_score(q("v-niveau"), empty.get("v-niveau"), row),
        0.0,
    );

    // Dimensions: visie = 10 · mean(5, 10, 5) = 66.67; mensen = 10 · mean(7.5, 2.5,
    // 2.5, 10, 5) = 55; overall (mean) = 60.83.
    let s = score(&m, &a);
    close(s.dimensions[0], 200.0 / 3.0);
    close(s.dimensions[1], 55.0);
    close(s.overall, (200.0 / 3.0 + 55.0) / 2.0);
}

#[test]
fn a_dimension_without_scored_answers_has_no_score() {
    let m = small();
    // Only the single choice is answered in visie… and mensen has its grid: 0.
    let a = Answers::from_form(&m, &f(&[("v-keuze", "wel")])).unwrap();
    let s = score(&m, &a);
    // visie: checklist 0, choice 10, gated 0 → 33.3; mensen: grid 0 only → 0.
    close(s.dimensions[1], 0.0);
    // A model where a dimension holds only likert questions: none answered → None.
    let src = super::scan_model::SMALL.replace(
        "[[questions]]\nid = \"m-raster\"\ndimension = \"mensen\"",
        "[[questions]]\nid = \"m-raster\"\ndimension = \"visie\"",
    );
    let m2 = Model::parse("k.toml", &src).unwrap();
    let only = Answers::from_form(&m2, &f(&[("v-keuze", "wel")])).unwrap();
    let s = score(&m2, &only);
    assert_eq!(s.dimensions[1], None, "no mensen question answered");
    close(s.overall, s.dimensions[0].unwrap());
}

#[test]
fn form_errors_are_collected_and_change_nothing() {
    let m = small();
    let bad = f(&[
        ("v-keuze", "misschien"),
        ("v-lijst:z", "1"),
        ("m-adoptie:x", "6"),
        ("m-adoptie:zz", "1"),
        ("m-drie:p", "soms"),
        ("m-raster:r1:ooit", "1"),
        ("onbekend:a", "1"),
        ("m-stelling", "9"),
    ]);
    let errs = Answers::from_form(&m, &bad).unwrap_err();
    let has = |q: &str, key: &str| errs.iter().any(|e| e.question == q && e.key == key);
    assert!(has("v-keuze", "scan-error-unknown-option"), "{errs:?}");
    assert!(has("v-lijst", "scan-error-unknown-option"));
    assert!(has("m-adoptie", "scan-error-invalid-value"));
    assert!(has("m-adoptie", "scan-error-unknown-row"));
    assert!(has("m-drie", "scan-error-invalid-value"));
    assert!(has("m-raster", "scan-error-unknown-option"));
    assert!(has("onbekend", "scan-error-unknown-question"));
    assert!(has("m-stelling", "scan-error-unknown-option"));
    // Required.
    let errs = Answers::from_form(&m, &f(&[("m-stelling", "3")])).unwrap_err();
    assert_eq!(
        errs,
        vec![AnswerError {
            question: "v-keuze".into(),
            key: "scan-error-required"
        }]
    );
    // Two values for one question.
    let errs = Answers::from_form(&m, &f(&[("v-keuze", "wel"), ("v-keuze", "niet")])).unwrap_err();
    assert_eq!(errs[0].key, "scan-error-duplicate");
    // A form tick must be "1".
    let errs = Answers::from_form(&m, &f(&[("v-keuze", "wel"), ("v-lijst:a", "ja")])).unwrap_err();
    assert_eq!(errs[0].key, "scan-error-invalid-value");
}

#[test]
fn field_names_round_trip_through_the_parser() {
    let m = small();
    let grid = m.question("m-raster").unwrap();
    let list = m.question("v-lijst").unwrap();
    let choice = m.question("v-keuze").unwrap();
    assert_eq!(field_name(choice, None), "v-keuze");
    assert_eq!(field_name(list, Some("a")), "v-lijst:a");
    assert_eq!(
        grid_field_name(grid, "r2", GridColumn::Implemented),
        "m-raster:r2:gerealiseerd"
    );
    assert_eq!(
        grid_field_name(grid, "r1", GridColumn::Planned),
        "m-raster:r1:gepland"
    );
    let fields = vec![
        (field_name(choice, None), "wel".to_owned()),
        (field_name(list, Some("b")), "1".to_owned()),
        (
            grid_field_name(grid, "r2", GridColumn::Implemented),
            "1".to_owned(),
        ),
    ];
    let a = Answers::from_form(&m, &fields).unwrap();
    assert_eq!(
        a.get("v-lijst"),
        Some(&Answer::Checklist(["b".to_owned()].into()))
    );
    assert_eq!(
        a.get("m-raster"),
        Some(&Answer::Grid(
            [(
                "r2".to_owned(),
                GridCell {
                    planned: false,
                    implemented: true
                }
            )]
            .into()
        ))
    );
    // Stored as JSON and read back unchanged.
    let json = serde_json::to_string(&a).unwrap();
    let back: Answers = serde_json::from_str(&json).unwrap();
    assert_eq!(back, a);
}

#[test]
fn pages_are_saved_one_by_one() {
    let m = small();
    let page1 = ["v-lijst", "v-keuze", "v-niveau"];
    let page2 = [
        "m-stelling",
        "m-omgekeerd",
        "m-raster",
        "m-adoptie",
        "m-drie",
        "m-tekst",
    ];
    let mut saved = Answers::default();
    // Page 2 alone: the required single choice on page 1 is not asked for.
    let p2 =
        Answers::from_page(&m, &page2, &f(&[("m-stelling", "2"), ("v-keuze", "wel")])).unwrap();
    assert!(
        p2.get("v-keuze").is_none(),
        "a field of another page is ignored"
    );
    saved.merge_page(&page2, p2);
    let errs = Answers::from_page(&m, &page1, &f(&[("v-lijst:a", "1")])).unwrap_err();
    assert_eq!(errs[0].key, "scan-error-required");
    saved.merge_page(
        &page1,
        Answers::from_page(&m, &page1, &f(&[("v-lijst:a", "1"), ("v-keuze", "niet")])).unwrap(),
    );
    assert!(saved.get("m-stelling").is_some() && saved.get("v-lijst").is_some());
    // Saving page 1 again with nothing ticked clears the checklist.
    saved.merge_page(
        &page1,
        Answers::from_page(&m, &page1, &f(&[("v-keuze", "niet")])).unwrap(),
    );
    assert!(saved.get("v-lijst").is_none());
    assert_eq!(
        saved.get("m-stelling"),
        Some(&Answer::Likert(LikertAnswer::Point(2)))
    );
    assert!(saved.missing_required(&m, None).is_empty());
}

#[test]
fn import_rows_are_read_tolerantly() {
    let m = small();
    let a = Answers::from_import_row(
        &m,
        &f(&[
            ("v-keuze", "WEL"),
            ("v-lijst:a", "x"),
            ("v-lijst:b", "nee"),
            ("m-drie:p", "Yes"),
            ("m-drie:q", "partially"),
            ("m-raster:r1:gerealiseerd", "ja"),
            ("m-stelling", "5"),
            ("m-omgekeerd", ""),
            ("m-adoptie:x", " 2 "),
        ]),
    )
    .unwrap();
    assert_eq!(a.get("v-keuze"), Some(&Answer::SingleChoice("wel".into())));
    assert_eq!(
        a.get("v-lijst"),
        Some(&Answer::Checklist(["a".to_owned()].into()))
    );
    assert_eq!(
        a.get("m-drie"),
        Some(&Answer::Tristate(
            [("p".to_owned(), Tri::Ja), ("q".to_owned(), Tri::Deels)].into()
        ))
    );
    assert!(a.get("m-omgekeerd").is_none(), "an empty cell is no answer");
    assert_eq!(
        a.get("m-adoptie"),
        Some(&Answer::Adoption([("x".to_owned(), 2)].into()))
    );
    let errs = Answers::from_import_row(&m, &f(&[("v-keuze", "wel"), ("v-lijst:a", "misschien")]))
        .unwrap_err();
    assert_eq!(errs[0].key, "scan-error-invalid-value");
}

fn likert_model() -> Model {
    small()
}

proptest! {
    /// Any answers at all keep every score within 0–100.
    #[test]
    fn scores_stay_in_range(
        ticks in proptest::collection::vec(any::<bool>(), 9),
        points in proptest::collection::vec(1i64..=5, 2),
        adoption in proptest::collection::vec(0u8..=5, 2),
        tri in proptest::collection::vec(0usize..3, 2),
        choice in any::<bool>(),
    ) {
        let m = small();
        let names = ["v-lijst:a", "v-lijst:b", "v-niveau:c1", "v-niveau:c2", "v-niveau:c3", "m-raster:r1:gepland", "m-raster:r1:gerealiseerd", "m-raster:r2:gepland", "m-raster:r2:gerealiseerd"];
        let mut fields: Vec<(String, String)> = names.iter().zip(&ticks).filter(|(_, t)| **t).map(|(n, _)| (n.to_string(), "1".to_string())).collect();
        fields.push(("v-keuze".into(), if choice { "wel" } else { "niet" }.into()));
        fields.push(("m-stelling".into(), points[0].to_string()));
        fields.push(("m-omgekeerd".into(), points[1].to_string()));
        fields.push(("m-adoptie:x".into(), adoption[0].to_string()));
        fields.push(("m-adoptie:y".into(), adoption[1].to_string()));
        fields.push(("m-drie:p".into(), ["nee", "deels", "ja"][tri[0]].into()));
        fields.push(("m-drie:q".into(), ["nee", "deels", "ja"][tri[1]].into()));
        let a = Answers::from_form(&m, &fields).unwrap();
        let s = score(&m, &a);
        for d in s.dimensions.iter().chain(std::iter::once(&s.overall)) {
            let d = d.unwrap();
            prop_assert!((0.0..=100.0).contains(&d), "{d}");
        }
    }

    /// A reversed likert item mirrors the plain one: v and (min + max − v) swap scores.
    #[test]
    fn reversed_likert_mirrors(v in 1i64..=5) {
        let m = likert_model();
        let plain = m.question("m-stelling").unwrap();
        let rev = m.question("m-omgekeerd").unwrap();
        let at = |q: &Question, v: i64| question_score(q, Some(&Answer::Likert(LikertAnswer::Point(v))), GridReading::Row).unwrap();
        prop_assert!((at(rev, v) - (10.0 - at(plain, v))).abs() < 1e-12);
        prop_assert!((at(rev, v) - at(plain, 6 - v)).abs() < 1e-12);
    }
}
