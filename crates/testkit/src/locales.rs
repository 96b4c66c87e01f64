//! The locale checks every part's tests run: both languages hold the same keys, and
//! every key the code and templates ask for exists. One scanner, so that the shell
//! and each part check their strings the same way.

use std::collections::BTreeSet;
use std::path::Path;

/// The message ids defined in a Fluent source (attributes and comments skipped).
pub fn keys(source: &str) -> BTreeSet<String> {
    source
        .lines()
        .filter(|l| !l.starts_with('#') && !l.starts_with(' ') && l.contains(" = "))
        .filter_map(|l| l.split(" = ").next())
        .map(|k| k.trim().to_owned())
        .collect()
}

/// The text of every file under `dir` with extension `ext`, skipping paths for which
/// `skip` says so (a directory skipped is not entered).
pub fn sources(dir: &Path, ext: &str, skip: &dyn Fn(&Path) -> bool) -> Vec<String> {
    let mut out = Vec::new();
    collect(dir, ext, skip, &mut out);
    out
}

fn collect(dir: &Path, ext: &str, skip: &dyn Fn(&Path) -> bool, out: &mut Vec<String>) {
    let entries = std::fs::read_dir(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
    for entry in entries {
        let p = entry.unwrap().path();
        if skip(&p) {
            continue;
        }
        if p.is_dir() {
            collect(&p, ext, skip, out);
        } else if p.extension().is_some_and(|e| e == ext) {
            out.push(std::fs::read_to_string(&p).unwrap());
        }
    }
}

/// What counts as a key in code: lowercase ASCII, digits and dashes, not ending in a
/// dash (a prefix that the code completes at run time is checked elsewhere).
fn is_key(key: &str) -> bool {
    !key.is_empty()
        && key
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && !key.ends_with('-')
}

/// Keys asked for in `texts`: `.t("…")`, `.t_with("…"` (also with the key on the
/// next line), `.t_n("…"`, and string literals starting with one of `literal_prefixes`
/// (e.g. `"error-"`, which a rule returns for the page to translate).
pub fn used_keys(texts: &[String], literal_prefixes: &[&str]) -> BTreeSet<String> {
    let mut used = BTreeSet::new();
    let calls = [".t(\"", ".t_with(\"", ".t_n(\"", "t_with(\n", "t_n(\n"];
    for text in texts {
        for start in calls {
            let mut rest = text.as_str();
            while let Some(i) = rest.find(start) {
                let mut after = &rest[i + start.len()..];
                if start.ends_with('\n') {
                    let Some(q) = after.find('"') else { break };
                    after = &after[q + 1..];
                }
                let end = after.find('"').unwrap_or(0);
                if is_key(&after[..end]) {
                    used.insert(after[..end].to_owned());
                }
                rest = &after[end..];
            }
        }
        for prefix in literal_prefixes {
            let start = format!("\"{prefix}");
            let mut rest = text.as_str();
            while let Some(i) = rest.find(&start) {
                let after = &rest[i + 1..];
                let end = after.find('"').unwrap_or(0);
                if is_key(&after[..end]) {
                    used.insert(after[..end].to_owned());
                }
                rest = &after[end..];
            }
        }
    }
    used
}

/// Fails with both lists when the two languages do not hold the same keys.
pub fn assert_same_keys(nl: &str, en: &str) {
    let (nl, en) = (keys(nl), keys(en));
    let only_nl: Vec<_> = nl.difference(&en).collect();
    let only_en: Vec<_> = en.difference(&nl).collect();
    assert!(
        only_nl.is_empty() && only_en.is_empty(),
        "only nl: {only_nl:?}; only en: {only_en:?}"
    );
}
