//! Sessie's locale files: both languages hold the same keys, they load beside the
//! shell's without a clash, and every key Sessie's code and templates ask for exists.

use koers_web::i18n::{Locale, Translations};
use koers_web::part::Part;
use std::collections::BTreeSet;
use std::sync::Arc;

use koers_testkit::locales;

/// Keys asked for in the part's code and templates, and in Sessie's rules in core.
fn used_keys() -> BTreeSet<String> {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let none = |_: &std::path::Path| false;
    let mut all = locales::sources(&root.join("templates"), "html", &none);
    all.extend(locales::sources(&root.join("src"), "rs", &none));
    // Sessie's rules live in core; their messages are Sessie's strings.
    all.extend(locales::sources(
        &root.join("../core/src/sessie"),
        "rs",
        &none,
    ));
    all.push(std::fs::read_to_string(root.join("../core/src/sessie.rs")).unwrap());
    let used = locales::used_keys(&all, &["error-", "notice-", "card-"]);
    assert!(used.len() > 50, "the scanner finds the keys the code uses");
    used
}

#[test]
fn both_languages_have_the_same_keys() {
    let l = koers_sessie::Sessie.locales();
    locales::assert_same_keys(l.nl, l.en);
    assert!(locales::keys(l.nl).len() > 100);
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
    let shell = locales::keys(koers_web::i18n::NL_SOURCE);
    let part = locales::keys(koers_sessie::Sessie.locales().nl);
    let both: Vec<_> = shell.intersection(&part).collect();
    assert!(both.is_empty(), "defined twice: {both:?}");
}

/// Every action Sessie writes to the organisation's audit log (`"session.…"`) has
/// a message in both languages, so the log never shows a raw action name.
#[test]
fn every_audit_action_has_words() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let all = locales::sources(&root.join("src"), "rs", &|_| false);
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
