//! Sessie's locale files: both languages hold the same keys, they load beside the
//! shell's without a clash, and every key Sessie's code and templates ask for exists.

use koers_web::i18n::{Locale, Translations};
use koers_web::part::Part;
use std::collections::BTreeSet;
use std::sync::Arc;

fn keys(source: &str) -> BTreeSet<String> {
    source
        .lines()
        .filter(|l| !l.starts_with('#') && !l.starts_with(' ') && l.contains(" = "))
        .map(|l| l.split(" = ").next().unwrap().trim().to_owned())
        .collect()
}

fn texts(dir: &std::path::Path, ext: &str, out: &mut Vec<String>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let p = entry.unwrap().path();
        if p.is_dir() {
            texts(&p, ext, out);
        } else if p.extension().is_some_and(|e| e == ext) {
            out.push(std::fs::read_to_string(&p).unwrap());
        }
    }
}

/// `t("…")`, `t_with("…"`, `t_n("…"` and `"error-…"`/`"notice-…"` keys in the part's code and templates.
fn used_keys() -> BTreeSet<String> {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut all = vec![];
    texts(&root.join("templates"), "html", &mut all);
    texts(&root.join("src"), "rs", &mut all);
    // Sessie's rules live in core; their messages are Sessie's strings.
    texts(&root.join("../core/src/sessie"), "rs", &mut all);
    all.push(std::fs::read_to_string(root.join("../core/src/sessie.rs")).unwrap());
    let mut used = BTreeSet::new();
    for text in all {
        for start in [
            ".t(\"",
            "t_with(\n",
            ".t_with(\"",
            ".t_n(\"",
            "\"error-",
            "\"notice-",
            "\"card-",
        ] {
            let mut rest = text.as_str();
            while let Some(i) = rest.find(start) {
                let mut after = &rest[i + start.len()..];
                if start == "t_with(\n" {
                    let Some(q) = after.find('"') else { break };
                    after = &after[q + 1..];
                }
                let end = after.find('"').unwrap_or(0);
                let prefix = start
                    .trim_start_matches(".t(\"")
                    .trim_start_matches(".t_with(\"")
                    .trim_start_matches(".t_n(\"");
                let prefix = prefix.strip_prefix('"').unwrap_or("");
                let key = format!("{prefix}{}", &after[..end]);
                if !key.is_empty()
                    && key
                        .chars()
                        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
                    && !key.ends_with('-')
                {
                    used.insert(key);
                }
                rest = &after[end..];
            }
        }
    }
    used
}

#[test]
fn both_languages_have_the_same_keys() {
    let l = koers_sessie::Sessie.locales();
    let (nl, en) = (keys(l.nl), keys(l.en));
    let only_nl: Vec<_> = nl.difference(&en).collect();
    let only_en: Vec<_> = en.difference(&nl).collect();
    assert!(
        only_nl.is_empty() && only_en.is_empty(),
        "only nl: {only_nl:?}; only en: {only_en:?}"
    );
    assert!(nl.len() > 100);
}

#[test]
fn every_key_sessie_uses_exists() {
    let parts: Vec<Arc<dyn Part>> = vec![Arc::new(koers_sessie::Sessie)];
    let t = Translations::load(&parts).unwrap();
    let mut missing = vec![];
    for key in used_keys() {
        for l in Locale::ALL {
            if !t.has(l, &key) {
                missing.push(format!("{}:{key}", l.code()));
            }
        }
    }
    assert!(missing.is_empty(), "missing translations: {missing:?}");
}

#[test]
fn sessie_defines_no_key_of_the_shell() {
    let shell = keys(koers_web::i18n::NL_SOURCE);
    let part = keys(koers_sessie::Sessie.locales().nl);
    let both: Vec<_> = shell.intersection(&part).collect();
    assert!(both.is_empty(), "defined twice: {both:?}");
}

/// Every action Sessie writes to the organisation's audit log (`"session.…"`) has
/// a message in both languages, so the log never shows a raw action name.
#[test]
fn every_audit_action_has_words() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut all = vec![];
    texts(&root.join("src"), "rs", &mut all);
    let parts: Vec<Arc<dyn Part>> = vec![Arc::new(koers_sessie::Sessie)];
    let t = Translations::load(&parts).unwrap();
    let mut missing = vec![];
    let mut found = 0;
    for text in all {
        let mut rest = text.as_str();
        while let Some(i) = rest.find("\"session.") {
            let after = &rest[i + 1..];
            let end = after.find('"').unwrap_or(0);
            let action = &after[..end];
            rest = &after[end..];
            if !action
                .chars()
                .all(|c| c.is_ascii_lowercase() || c == '.' || c == '_')
            {
                continue;
            }
            found += 1;
            let key = format!("audit-{}", action.replace(['.', '_'], "-"));
            for loc in Locale::ALL {
                if !t.has(loc, &key) {
                    missing.push(format!("{}:{key}", loc.code()));
                }
            }
        }
    }
    assert!(found >= 4, "the scan finds Sessie's audit actions");
    assert!(
        missing.is_empty(),
        "audit actions without words: {missing:?}"
    );
}
