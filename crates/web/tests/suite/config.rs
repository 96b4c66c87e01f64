//! Configuration layering and its errors.

use koers_web::config::{Config, ConfigError, LogFormat};

fn env(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs
        .iter()
        .map(|(k, v)| ((*k).into(), (*v).into()))
        .collect()
}

#[test]
fn layers_file_then_env() {
    let mut c = Config::from_toml(
        "koers.toml",
        "[server]\nlisten = \"0.0.0.0:9000\"\n[log]\nformat = \"json\"\n",
    )
    .unwrap();
    assert_eq!(c.server.listen, "0.0.0.0:9000");
    assert_eq!(c.log.format, LogFormat::Json);
    assert_eq!(c.security.session_days, 14, "defaults fill the rest");
    c.apply_env(env(&[
        ("KOERS_SERVER__LISTEN", "127.0.0.1:7000"),
        ("KOERS_DATA_DIR", "/srv/koers"),
        ("PATH", "/bin"),
    ]))
    .unwrap();
    assert_eq!(c.server.listen, "127.0.0.1:7000");
    assert_eq!(c.server.data_dir.to_str(), Some("/srv/koers"));
    c.validate().unwrap();
}

#[test]
fn unknown_keys_are_named() {
    let e = Config::from_toml("koers.toml", "[server]\nlisen = \"x\"\n").unwrap_err();
    assert!(e.to_string().contains("lisen"), "{e}");
    let e = Config::from_toml("koers.toml", "[sever]\n").unwrap_err();
    assert!(e.to_string().contains("sever"), "{e}");
    let e = Config::default()
        .apply_env(env(&[("KOERS_SERVER__LISEN", "x")]))
        .unwrap_err();
    assert!(
        matches!(&e, ConfigError::UnknownKey(k) if k == "KOERS_SERVER__LISEN"),
        "{e}"
    );
    let e = Config::default()
        .apply_env(env(&[("KOERS_FOO", "x")]))
        .unwrap_err();
    assert!(e.to_string().contains("KOERS_FOO"));
    // The test harness's own variables are not settings.
    Config::default()
        .apply_env(env(&[("KOERS_TEST_PG_URL", "x"), ("KOERS_CONFIG", "y")]))
        .unwrap();
}

#[test]
fn invalid_values_are_explained() {
    let mut c = Config::default();
    let e = c.set("security.session_days", "veertien").unwrap_err();
    assert!(e.to_string().contains("security.session_days"));
    c.set("server.listen", "localhost").unwrap();
    assert!(c
        .validate()
        .unwrap_err()
        .to_string()
        .contains("server.listen"));
    let mut c = Config::default();
    c.set("server.database_url", "mysql://x").unwrap();
    assert!(c.validate().is_err());
    assert!(Config::default().set("log.format", "xml").is_err());
}

#[test]
fn the_example_config_parses_to_the_defaults() {
    let c = Config::from_toml("example", koers_web::config::DEFAULT_CONFIG_TOML).unwrap();
    let d = Config::default();
    assert_eq!(format!("{c:?}"), format!("{d:?}"));
}

#[test]
fn database_passwords_are_redacted_in_debug_output() {
    let mut c = Config::default();
    c.server.database_url = "postgres://koers:geheim@db/koers".into();
    let dbg = format!("{c:?}");
    assert!(!dbg.contains("geheim"));
    assert!(dbg.contains("koers:***@db"));
}

#[test]
fn trusted_proxies_are_ip_addresses() {
    let mut c = Config::default();
    c.apply_env(env(&[("KOERS_SERVER__TRUSTED_PROXIES", "10.0.0.5, ::1")]))
        .unwrap();
    assert_eq!(c.trusted_proxy_addrs().len(), 2);
    c.validate().unwrap();
    c.set("server.trusted_proxies", "proxy.intern").unwrap();
    assert!(c
        .validate()
        .unwrap_err()
        .to_string()
        .contains("proxy.intern"));
}
