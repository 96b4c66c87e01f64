//! Both locale files must hold the same keys, and every key the code asks for must
//! exist: a missing translation would show a raw key to a user.

use koers_web::i18n::{Locale, Translations, EN_SOURCE, NL_SOURCE};
use std::collections::BTreeSet;

use koers_testkit::locales;

/// Core modules whose messages belong to a part, which checks them itself.
const PART_RULES: &[&str] = &["sessie", "scan"];

/// Keys in the code: `t("…")` in templates and sources, and every `"error-…"` key
/// that a core or web rule can produce.
fn used_keys() -> BTreeSet<String> {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let part_rule = |p: &std::path::Path| {
        let stem = p.file_stem().and_then(|s| s.to_str()).unwrap_or("");
        p.parent().is_some_and(|d| d.ends_with("core/src")) && PART_RULES.contains(&stem)
    };
    let mut texts = locales::sources(&root.join("templates"), "html", &part_rule);
    texts.extend(locales::sources(&root.join("src"), "rs", &part_rule));
    texts.extend(locales::sources(
        &root.join("../core/src"),
        "rs",
        &part_rule,
    ));
    let used = locales::used_keys(&texts, &["error-", "notice-"]);
    assert!(used.len() > 50, "the scanner finds the keys the code uses");
    used
}

#[test]
fn both_languages_have_the_same_keys() {
    locales::assert_same_keys(NL_SOURCE, EN_SOURCE);
    assert!(locales::keys(NL_SOURCE).len() > 100);
}

#[test]
fn every_key_the_code_uses_exists() {
    let t = Translations::load(&[]).unwrap();
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
fn keys_built_from_domain_values_exist() {
    use koers_core::accessibility::ComplianceStatus;
    use koers_core::*;
    let t = Translations::load(&[]).unwrap();
    let mut keys = vec!["role-platform-admin".to_owned()];
    keys.extend(
        OrganisationKind::ALL
            .iter()
            .map(|k| format!("org-kind-{}", k.as_str())),
    );
    keys.extend(
        SizeClass::ALL
            .iter()
            .map(|k| format!("org-size-{}", k.as_str())),
    );
    keys.extend(Role::ALL.iter().map(|k| format!("role-{}", k.as_str())));
    keys.extend(
        Country::ALL
            .iter()
            .map(|k| format!("country-{}", k.as_str().to_lowercase())),
    );
    keys.extend(
        ComplianceStatus::ALL
            .iter()
            .map(|k| format!("a11y-status-{}", k.as_str().replace('_', "-"))),
    );
    for code in ["404", "403", "413", "400", "429", "503", "500"] {
        keys.push(format!("error-{code}"));
        keys.push(format!("error-{code}-title"));
    }
    for action in [
        "setup.admin_created",
        "org.created",
        "org.updated",
        "invitation.created",
        "invitation.revoked",
        "invitation.accepted",
        "member.role_changed",
        "member.removed",
        "member.added",
        "user.created",
        "user.password_reset",
        "a11y.updated",
    ] {
        keys.push(format!("audit-{}", action.replace(['.', '_'], "-")));
    }
    for key in keys {
        for l in Locale::ALL {
            assert!(t.has(l, &key), "{}: {key}", l.code());
        }
    }
}

#[test]
fn accept_language_picks_the_first_supported() {
    assert_eq!(
        Locale::from_accept_language("de-DE,en;q=0.8,nl;q=0.5"),
        Some(Locale::En)
    );
    assert_eq!(Locale::from_accept_language("nl-BE"), Some(Locale::Nl));
    assert_eq!(Locale::from_accept_language("fr"), None);
}

#[test]
fn dates_are_localised() {
    let nl = koers_web::i18n::Tr::new(Locale::Nl);
    let en = koers_web::i18n::Tr::new(Locale::En);
    // 2026-11-22 00:00 UTC
    assert_eq!(nl.date(1_795_305_600), "22-11-2026");
    assert_eq!(en.date(1_795_305_600), "22 Nov 2026");
}
