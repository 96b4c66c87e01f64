//! `koers model …`: check, list and show Scan assessment models, and print the JSON
//! Schema of the model file format. All the rules live in `koers_core::scan`; this
//! module reads files, calls it and prints.

use anyhow::Context;
use koers_core::scan::{builtin_models, json_schema, Model, QuestionKind};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

#[derive(clap::Subcommand, Debug)]
pub enum ModelAction {
    /// Check model files; prints `file:line:column: message` for each problem (exit 1)
    Validate {
        /// Model files (TOML)
        #[arg(required = true)]
        files: Vec<PathBuf>,
    },
    /// List the built-in models and the model files in DIR
    List {
        /// A directory with model files (*.toml)
        #[arg(long, value_name = "DIR")]
        dir: Option<PathBuf>,
    },
    /// Show a model: dimensions, questions per type, bands and rules
    Show {
        /// The model id
        id: String,
        /// A directory with model files (*.toml), searched before the built-ins
        #[arg(long, value_name = "DIR")]
        dir: Option<PathBuf>,
        /// Language of the texts
        #[arg(long, value_name = "nl|en", default_value = "nl")]
        lang: String,
    },
    /// Print the JSON Schema of the model file format
    Schema,
}

/// Parses one file; the error is already in `file:line:column: message` form.
fn load(path: &Path) -> Result<Model, String> {
    let name = path.display().to_string();
    let source = std::fs::read_to_string(path).map_err(|e| {
        format!("{name}:0:0: cannot read the file / kan het bestand niet lezen: {e}")
    })?;
    Model::parse(&name, &source).map_err(|e| e.to_string())
}

/// The model files in a directory, sorted by name.
fn dir_files(dir: &Path) -> anyhow::Result<Vec<PathBuf>> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .with_context(|| format!("map / directory {}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    files.sort();
    Ok(files)
}

/// The models in DIR (first) and the built-ins, each with where it came from; models
/// that do not parse are reported on stderr and counted.
fn all_models(dir: Option<&Path>) -> anyhow::Result<(Vec<(String, Model)>, usize)> {
    let mut out = Vec::new();
    let mut bad = 0;
    if let Some(dir) = dir {
        for f in dir_files(dir)? {
            match load(&f) {
                Ok(m) => out.push((f.display().to_string(), m)),
                Err(e) => {
                    eprintln!("{e}");
                    bad += 1;
                }
            }
        }
    }
    out.extend(
        builtin_models()
            .into_iter()
            .map(|m| ("ingebouwd / built-in".to_owned(), m)),
    );
    Ok((out, bad))
}

pub fn run(action: &ModelAction) -> anyhow::Result<()> {
    match action {
        ModelAction::Validate { files } => {
            let mut bad = 0;
            for f in files {
                match load(f) {
                    Ok(m) => println!(
                        "{}: ok ({} {}, {} dimensies / dimensions, {} vragen / questions)",
                        f.display(),
                        m.id(),
                        m.version(),
                        m.dimensions.len(),
                        m.questions.len()
                    ),
                    Err(e) => {
                        eprintln!("{e}");
                        bad += 1;
                    }
                }
            }
            if bad > 0 {
                anyhow::bail!("{bad} modelbestand(en) ongeldig / model file(s) invalid");
            }
            Ok(())
        }
        ModelAction::List { dir } => {
            let (models, bad) = all_models(dir.as_deref())?;
            println!("| id | version | title | dimensions | questions | hash | source |");
            println!("| --- | --- | --- | --- | --- | --- | --- |");
            for (from, m) in &models {
                println!(
                    "| {} | {} | {} | {} | {} | {} | {} |",
                    m.id(),
                    m.version(),
                    m.meta.title.get("nl"),
                    m.dimensions.len(),
                    m.questions.len(),
                    m.hash().get(..12).unwrap_or(m.hash()),
                    from
                );
            }
            if bad > 0 {
                anyhow::bail!("{bad} modelbestand(en) ongeldig / model file(s) invalid");
            }
            Ok(())
        }
        ModelAction::Show { id, dir, lang } => {
            let (models, _) = all_models(dir.as_deref())?;
            let Some((from, m)) = models.iter().find(|(_, m)| m.id() == id) else {
                let known: Vec<&str> = models.iter().map(|(_, m)| m.id()).collect();
                anyhow::bail!(
                    "onbekend model / unknown model `{id}` (bekend / known: {})",
                    known.join(", ")
                );
            };
            print!("{}", show(m, from, lang));
            Ok(())
        }
        ModelAction::Schema => {
            print!("{}", json_schema());
            Ok(())
        }
    }
}

fn show(m: &Model, from: &str, lang: &str) -> String {
    use std::fmt::Write;
    let mut s = String::new();
    let _ = writeln!(
        s,
        "{} — {} {} ({from})",
        m.meta.title.get(lang),
        m.id(),
        m.version()
    );
    let _ = writeln!(s, "{}", m.meta.description.get(lang));
    let _ = writeln!(s, "hash: {}", m.hash());
    let _ = writeln!(
        s,
        "mode: {:?}, overall: {:?}, grid_reading: {:?}, gap_threshold: {}",
        m.meta.mode, m.meta.overall, m.meta.grid_reading, m.meta.gap_threshold
    );
    let _ = writeln!(s, "\nBands:");
    for (i, b) in m.bands.iter().enumerate() {
        let to = m
            .bands
            .get(i + 1)
            .map_or("100".to_owned(), |n| format!("< {}", n.from));
        let _ = writeln!(s, "  {} ({}): {} – {to}", b.label.get(lang), b.id, b.from);
    }
    let _ = writeln!(s, "\nDimensions:");
    for d in &m.dimensions {
        let mut types: BTreeMap<&str, usize> = BTreeMap::new();
        for q in m.questions_of(&d.id) {
            *types.entry(q.kind.type_name()).or_default() += 1;
        }
        let types: Vec<String> = types.iter().map(|(t, n)| format!("{n} {t}")).collect();
        let _ = writeln!(
            s,
            "  {} ({}): weight {}, gap threshold {}; {}",
            d.label.get(lang),
            d.id,
            d.weight,
            d.gap_threshold,
            types.join(", ")
        );
        for q in m.questions_of(&d.id) {
            let size = match &q.kind {
                QuestionKind::Checklist { options } => format!("{} options", options.len()),
                QuestionKind::SingleChoice { options } => format!("{} options", options.len()),
                QuestionKind::Grid { rows }
                | QuestionKind::Adoption { rows }
                | QuestionKind::Tristate { rows } => {
                    format!("{} rows", rows.len())
                }
                QuestionKind::Likert { scale, reversed } => {
                    format!(
                        "scale {}{}",
                        scale.id,
                        if *reversed { ", reversed" } else { "" }
                    )
                }
                QuestionKind::GatedLevel { levels } => format!("{} levels", levels.len()),
                QuestionKind::Text => "not scored".to_owned(),
            };
            let _ = writeln!(
                s,
                "    - {} [{}, {size}]: {}",
                q.id,
                q.kind.type_name(),
                q.text.get(lang)
            );
        }
    }
    if !m.rules.is_empty() {
        let _ = writeln!(s, "\nRules:");
        for r in &m.rules {
            let _ = writeln!(
                s,
                "  {} ({:?}): {} — when {}",
                r.id,
                r.kind,
                r.title.get(lang),
                r.when
            );
        }
    }
    s
}
