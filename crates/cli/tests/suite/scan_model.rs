//! `koers model …` and `koers bench-scan` as a user runs them.

use super::{run, stderr, stdout};

const GOOD: &str = r#"[model]
id = "proef"
version = "2.0.0"
languages = ["nl"]
mode = "perspectives"
title = { nl = "Proefmodel" }
description = { nl = "Een proef" }

[[bands]]
id = "alles"
from = 0.0
label = { nl = "Alles" }

[[dimensions]]
id = "een"
label = { nl = "Een" }

[[questions]]
id = "vraag"
dimension = "een"
type = "checklist"
text = { nl = "Vraag" }
options = [ { id = "a", label = { nl = "A" } } ]
"#;

#[test]
fn validate_reports_file_line_and_column() {
    let dir = tempfile::tempdir().unwrap();
    let good = dir.path().join("proef.toml");
    std::fs::write(&good, GOOD).unwrap();
    let o = run(&["model", "validate", good.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("ok (proef 2.0.0"), "{}", stdout(&o));

    let bad = dir.path().join("fout.toml");
    std::fs::write(
        &bad,
        GOOD.replace("dimension = \"een\"", "dimension = \"twee\""),
    )
    .unwrap();
    let o = run(&[
        "model",
        "validate",
        good.to_str().unwrap(),
        bad.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    // Line 20, column 13: the value of `dimension`.
    assert!(
        err.contains(&format!(
            "{}:20:13: unknown dimension `twee` (known: een)",
            bad.display()
        )),
        "{err}"
    );
    assert!(!err.contains("panicked"));

    let o = run(&[
        "model",
        "validate",
        dir.path().join("geen.toml").to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("geen.toml:0:0:"), "{}", stderr(&o));
}

#[test]
fn list_and_show_cover_builtins_and_a_directory() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("proef.toml"), GOOD).unwrap();
    let o = run(&["model", "list", "--dir", dir.path().to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(
        out.contains(
            "| digitale-volwassenheid-pso | 1.0.0 | Digitale volwassenheid publieke sector | 6 |"
        ),
        "{out}"
    );
    assert!(
        out.contains("| proef | 2.0.0 | Proefmodel | 1 | 1 |"),
        "{out}"
    );

    let o = run(&[
        "model",
        "show",
        "digitale-volwassenheid-pso",
        "--lang",
        "en",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    for part in [
        "Interoperability (interoperabiliteit)",
        "[grid, 16 rows]",
        "Moderately advanced (gevorderd): 51 – < 76",
        "techniek-voor-mensen",
    ] {
        assert!(out.contains(part), "{part}\n{out}");
    }
    let o = run(&[
        "model",
        "show",
        "proef",
        "--dir",
        dir.path().to_str().unwrap(),
    ]);
    assert!(stdout(&o).contains("Proefmodel"));
    let o = run(&["model", "show", "bestaat-niet"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("unknown model `bestaat-niet`"));
}

#[test]
fn schema_prints_the_committed_schema() {
    let o = run(&["model", "schema"]);
    assert!(o.status.success());
    let committed = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../docs/scan-model.schema.json"
    ))
    .unwrap();
    assert_eq!(stdout(&o), committed);
}

#[test]
fn bench_scan_runs_small_and_writes_its_section() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("BENCHMARKS.md");
    std::fs::write(&file, "# Benchmarks\n\n## Scan\noud\n\n## Anders\nblijft\n").unwrap();
    let o = run(&[
        "bench-scan",
        "--respondents",
        "300",
        "--organisations",
        "20",
        "--runs",
        "1",
        "--write",
        "--file",
        file.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stdout(&o).contains("| score + aggregate: 300 respondents"),
        "{}",
        stdout(&o)
    );
    let text = std::fs::read_to_string(&file).unwrap();
    assert!(
        !text.contains("oud")
            && text.contains("## Anders\nblijft")
            && text.contains("bench-scan --write"),
        "{text}"
    );
}
