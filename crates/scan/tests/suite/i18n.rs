//! Scan's locale files: both languages hold the same keys, they load beside the
//! shell's and Sessie's without a clash, and every key Scan's code, templates and
//! rules in core ask for exists.

use koers_testkit::locales;
use koers_web::i18n::{Locale, Translations};
use koers_web::part::Part;
use std::collections::BTreeSet;
use std::sync::Arc;

fn used_keys() -> BTreeSet<String> {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let none = |_: &std::path::Path| false;
    let mut all = locales::sources(&root.join("templates"), "html", &none);
    all.extend(locales::sources(&root.join("src"), "rs", &none));
    // Scan's rules live in core; their messages are Scan's strings.
    all.extend(locales::sources(
        &root.join("../core/src/scan"),
        "rs",
        &none,
    ));
    locales::used_keys(&all, &["error-", "notice-", "card-", "scan-error-"])
}

#[test]
fn both_languages_have_the_same_keys() {
    let l = koers_scan::Scan.locales();
    locales::assert_same_keys(l.nl, l.en);
}

#[test]
fn every_key_scan_uses_exists() {
    let parts: Vec<Arc<dyn Part>> =
        vec![Arc::new(koers_scan::Scan), Arc::new(koers_sessie::Sessie)];
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
fn scan_defines_no_key_of_the_shell_or_sessie() {
    let scan = locales::keys(koers_scan::Scan.locales().nl);
    for other in [
        koers_web::i18n::NL_SOURCE,
        koers_sessie::Sessie.locales().nl,
    ] {
        let both: Vec<_> = locales::keys(other).intersection(&scan).cloned().collect();
        assert!(both.is_empty(), "defined twice: {both:?}");
    }
}
