//! CSRF, body limits, login rate limiting and lockout, error pages.

use crate::common::*;

async fn app_with_user() -> (TestDb, TestApp) {
    let db = fresh_db(Backend::Sqlite).await;
    seed_org(&db.store, "Gemeente Alfa", "a@alfa.nl", "wachtwoord alfa").await;
    let app = TestApp::start(db.store.clone(), test_config(), vec![]).await;
    (db, app)
}

#[tokio::test]
async fn cross_origin_posts_are_refused() {
    let (_db, app) = app_with_user().await;
    let token = app.csrf().await;
    let form = [
        ("csrf", token.as_str()),
        ("email", "a@alfa.nl"),
        ("password", "wachtwoord alfa"),
    ];
    for (header, value) in [
        ("origin", "http://evil.example"),
        ("sec-fetch-site", "cross-site"),
        ("origin", "null"),
    ] {
        let r = app
            .client
            .post(app.url("/inloggen"))
            .header(header, value)
            .form(&form)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 403, "{header}: {value}");
        assert!(r.text().await.unwrap().contains("Geen toegang"));
    }
    // Same origin, per the browser's own headers, passes to the form check.
    let host = app.base.trim_start_matches("http://").to_owned();
    let r = app
        .client
        .post(app.url("/inloggen"))
        .header("origin", format!("http://{host}"))
        .form(&form)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
}

#[tokio::test]
async fn posts_without_the_form_token_are_refused() {
    let (_db, app) = app_with_user().await;
    app.csrf().await;
    let r = app
        .client
        .post(app.url("/inloggen"))
        .form(&[("email", "a@alfa.nl"), ("password", "wachtwoord alfa")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);
    let r = app
        .client
        .post(app.url("/inloggen"))
        .form(&[
            ("csrf", "vervalst-token-dat-lang-genoeg-is-om-te-lijken"),
            ("email", "a@alfa.nl"),
            ("password", "wachtwoord alfa"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);
}

#[tokio::test]
async fn too_large_bodies_get_413_and_a_page() {
    let (_db, app) = app_with_user().await;
    let token = app.csrf().await;
    let big = "x".repeat(200 * 1024);
    let r = app
        .client
        .post(app.url("/inloggen"))
        .form(&[
            ("csrf", token.as_str()),
            ("email", big.as_str()),
            ("password", "p"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 413);
    assert!(r.text().await.unwrap().contains("Te veel gegevens"));
}

#[tokio::test]
async fn malformed_form_bodies_get_400() {
    let (_db, app) = app_with_user().await;
    let token = app.csrf().await;
    let r = app
        .client
        .post(app.url("/inloggen"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(format!("csrf={token}&email=%ZZ%"))
        .send()
        .await
        .unwrap();
    assert!(r.status() == 400 || r.status() == 422, "{}", r.status());
}

/// A login from `client` (behind the trusted proxy 127.0.0.1): status and the
/// page's error summary.
async fn login_from(app: &TestApp, client: &str, email: &str, password: &str) -> (u16, String) {
    let token = app.csrf().await;
    let r = app
        .client
        .post(app.url("/inloggen"))
        .header("x-forwarded-for", client)
        .form(&[
            ("csrf", token.as_str()),
            ("email", email),
            ("password", password),
            ("next", "/"),
        ])
        .send()
        .await
        .unwrap();
    let status = r.status().as_u16();
    let html = r.text().await.unwrap();
    let summary = extract(&html, "<main", "</main>").unwrap_or_default();
    // The e-mail field echoes what was typed; that is the only difference allowed.
    (status, summary.replace(email, "ADDRESS"))
}

async fn app_behind_proxy() -> (TestDb, TestApp) {
    let db = fresh_db(Backend::Sqlite).await;
    seed_org(&db.store, "Gemeente Alfa", "a@alfa.nl", "wachtwoord alfa").await;
    let mut config = test_config();
    config.server.trusted_proxies = vec!["127.0.0.1".into()];
    let app = TestApp::start(db.store.clone(), config, vec![]).await;
    (db, app)
}

#[tokio::test]
async fn repeated_failures_hold_back_only_that_client_for_that_address() {
    let (_db, app) = app_behind_proxy().await;
    let attacker = "192.0.2.66";
    for i in 0..8 {
        let (s, html) = login_from(&app, attacker, "a@alfa.nl", "fout wachtwoord").await;
        assert_eq!(s, 422, "attempt {i}");
        assert!(html.contains("Het e-mailadres of het wachtwoord klopt niet."));
    }
    // Held back: even the right password fails from there, with the same answer.
    let (s, _) = login_from(&app, attacker, "a@alfa.nl", "wachtwoord alfa").await;
    assert_eq!(s, 422);
    // The facilitator, from their own address, is not locked out.
    let (s, _) = login_from(&app, "198.51.100.7", "a@alfa.nl", "wachtwoord alfa").await;
    assert_eq!(s, 303, "someone elsewhere cannot lock the account");
    // After the lockout period the pair may try again.
    app.advance_clock(16 * 60);
    let (s, _) = login_from(&app, attacker, "a@alfa.nl", "wachtwoord alfa").await;
    assert_eq!(s, 303);
}

#[tokio::test]
async fn login_answers_alike_for_addresses_with_and_without_an_account() {
    let (_db, app) = app_behind_proxy().await;
    // Many failures: a known address and an unknown one, each from its own client.
    for i in 0..8 {
        let known = login_from(&app, "192.0.2.1", "a@alfa.nl", "fout wachtwoord").await;
        let unknown = login_from(&app, "192.0.2.2", "b@alfa.nl", "fout wachtwoord").await;
        assert_eq!(known, unknown, "attempt {i}");
        assert_eq!(known.0, 422);
    }
    let invalid = login_from(&app, "192.0.2.3", "geen adres", "fout wachtwoord").await;
    assert_eq!(invalid.0, 422);
}

#[tokio::test]
async fn login_is_rate_limited_per_address() {
    let db = fresh_db(Backend::Sqlite).await;
    let mut config = test_config();
    config.security.login_attempts_per_address = 3;
    let app = TestApp::start(db.store.clone(), config, vec![]).await;
    for _ in 0..3 {
        assert_eq!(app.login("niemand@alfa.nl", "wat dan ook 123").await.0, 422);
    }
    let (s, html, _) = app.login("niemand@alfa.nl", "wat dan ook 123").await;
    assert_eq!(s, 429);
    assert!(html.contains("Te veel inlogpogingen"));
}

#[tokio::test]
async fn login_redirects_only_to_local_paths() {
    let (_db, app) = app_with_user().await;
    let (s, _, loc) = app
        .post_text(
            "/inloggen",
            &[
                ("email", "a@alfa.nl"),
                ("password", "wachtwoord alfa"),
                ("next", "//evil.example/x"),
            ],
        )
        .await;
    assert_eq!(s, 303);
    assert_eq!(loc.as_deref(), Some("/"));
}

#[tokio::test]
async fn session_cookie_is_http_only_and_lax() {
    let (_db, app) = app_with_user().await;
    let r = app
        .post(
            "/inloggen",
            &[("email", "a@alfa.nl"), ("password", "wachtwoord alfa")],
        )
        .await;
    let cookie = r
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap().to_owned())
        .find(|c| c.starts_with("koers_session="))
        .unwrap();
    assert!(cookie.contains("HttpOnly"));
    assert!(cookie.contains("SameSite=Lax"));
    assert!(!cookie.contains("Secure"), "plain http in tests");
}

#[tokio::test]
async fn secure_cookies_behind_tls() {
    let db = fresh_db(Backend::Sqlite).await;
    seed_org(&db.store, "Gemeente Alfa", "a@alfa.nl", "wachtwoord alfa").await;
    let mut config = test_config();
    config.server.public_url = "https://koers.alfa.nl".into();
    let app = TestApp::start(db.store.clone(), config, vec![]).await;
    let r = TestApp::new_client()
        .get(app.url("/inloggen"))
        .send()
        .await
        .unwrap();
    let cookie = r.headers()["set-cookie"].to_str().unwrap().to_owned();
    assert!(cookie.contains("Secure"), "{cookie}");
}

#[tokio::test]
async fn unknown_pages_are_friendly_404s_in_the_users_language() {
    let (_db, app) = app_with_user().await;
    let (s, html) = app.get_text("/bestaat/niet").await;
    assert_eq!(s, 404);
    assert!(html.contains("Pagina niet gevonden"));
    assert!(html.contains("<main id=\"main\""));
    let r = app
        .client
        .get(app.url("/bestaat/niet"))
        .header("accept-language", "en-GB,en;q=0.9")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 404);
    assert!(r.text().await.unwrap().contains("Page not found"));
}

#[tokio::test]
async fn readyz_fails_when_the_database_is_gone() {
    let (db, app) = app_with_user().await;
    assert_eq!(app.get("/readyz").await.status(), 200);
    db.store.close().await;
    assert_eq!(app.get("/readyz").await.status(), 503);
    assert_eq!(app.get("/healthz").await.status(), 200);
}

#[tokio::test]
async fn metrics_are_exposed_for_prometheus() {
    let (_db, app) = app_with_user().await;
    app.get("/").await;
    let (s, text) = app.get_text("/metrics").await;
    assert_eq!(s, 200);
    assert!(text.contains("koers_http_requests_total{method=\"GET\",route=\"/\",status="));
    assert!(text.contains("koers_http_request_duration_seconds_bucket{le=\"+Inf\"}"));
    assert!(text.contains("backend=\"sqlite\""));
}

#[test]
fn client_address_behind_trusted_proxies() {
    use koers_web::auth::client_addr;
    let proxy: std::net::IpAddr = "10.0.0.5".parse().unwrap();
    let peer_direct: std::net::IpAddr = "203.0.113.9".parse().unwrap();
    let mut headers = axum::http::HeaderMap::new();
    headers.insert(
        "x-forwarded-for",
        "198.51.100.1, 192.0.2.44".parse().unwrap(),
    );
    // Not from a trusted proxy: the header is ignored.
    assert_eq!(client_addr(peer_direct, &headers, &[proxy]), peer_direct);
    // From the proxy: the right-most entry the proxy added, not the forgeable left one.
    assert_eq!(
        client_addr(proxy, &headers, &[proxy]),
        "192.0.2.44".parse::<std::net::IpAddr>().unwrap()
    );
    // Chained trusted proxies are skipped.
    headers.insert("x-forwarded-for", "192.0.2.44, 10.0.0.6".parse().unwrap());
    let second: std::net::IpAddr = "10.0.0.6".parse().unwrap();
    assert_eq!(
        client_addr(proxy, &headers, &[proxy, second]),
        "192.0.2.44".parse::<std::net::IpAddr>().unwrap()
    );
    // No usable header: the proxy itself.
    assert_eq!(
        client_addr(proxy, &axum::http::HeaderMap::new(), &[proxy]),
        proxy
    );
}

#[tokio::test]
async fn behind_a_trusted_proxy_each_client_has_its_own_login_limit() {
    let db = fresh_db(Backend::Sqlite).await;
    let mut config = test_config();
    config.security.login_attempts_per_address = 2;
    config.server.trusted_proxies = vec!["127.0.0.1".into()];
    let app = TestApp::start(db.store.clone(), config, vec![]).await;
    let token = app.csrf().await;
    let attempt = |client: &'static str| {
        let app = &app;
        let token = token.clone();
        async move {
            app.client
                .post(app.url("/inloggen"))
                .header("x-forwarded-for", client)
                .form(&[
                    ("csrf", token.as_str()),
                    ("email", "niemand@alfa.nl"),
                    ("password", "wat dan ook 123"),
                ])
                .send()
                .await
                .unwrap()
                .status()
                .as_u16()
        }
    };
    assert_eq!(attempt("192.0.2.1").await, 422);
    assert_eq!(attempt("192.0.2.1").await, 422);
    assert_eq!(attempt("192.0.2.1").await, 429);
    assert_eq!(
        attempt("192.0.2.2").await,
        422,
        "another client behind the same proxy is not limited"
    );
}

/// Any string is a valid HTTP method; labelling metrics by it would let one client
/// grow the map without bound. Unknown methods share one label.
#[tokio::test]
async fn random_methods_do_not_grow_the_metrics() {
    let (_db, app) = app_with_user().await;
    for i in 0..50 {
        let method = reqwest::Method::from_bytes(format!("BOGUS{i}").as_bytes()).unwrap();
        let _ = app
            .client
            .request(method, app.url("/"))
            .send()
            .await
            .unwrap();
    }
    let (s, text) = app.get_text("/metrics").await;
    assert_eq!(s, 200);
    assert!(!text.contains("BOGUS"), "no label per random method");
    assert!(text.contains("method=\"OTHER\""), "{text}");
}

/// With `server.metrics_token` set, `/metrics` needs it as a bearer token.
#[tokio::test]
async fn metrics_can_be_restricted_with_a_token() {
    let db = fresh_db(Backend::Sqlite).await;
    let mut config = test_config();
    config.server.metrics_token = "geheim-metrics-token-123".into();
    let app = TestApp::start(db.store.clone(), config, vec![]).await;
    assert_eq!(app.get("/metrics").await.status(), 401);
    let wrong = app
        .client
        .get(app.url("/metrics"))
        .bearer_auth("fout")
        .send()
        .await
        .unwrap();
    assert_eq!(wrong.status(), 401);
    let right = app
        .client
        .get(app.url("/metrics"))
        .bearer_auth("geheim-metrics-token-123")
        .send()
        .await
        .unwrap();
    assert_eq!(right.status(), 200);
    assert!(right
        .text()
        .await
        .unwrap()
        .contains("koers_http_requests_total"));
    app.stop().await;
}

/// Every return path a crafted link could carry that a browser might read as another
/// site, or that is no valid `Location` at all.
fn hostile_return_paths() -> Vec<String> {
    let mut paths: Vec<String> = (0u8..=0x1f)
        .chain([0x7f])
        .flat_map(|b| {
            let c = char::from(b);
            [
                format!("/{c}/evil.example"),
                format!("{c}//evil.example"),
                format!("/x{c}y"),
                format!("/%{b:02X}/evil.example"),
                format!("/%{b:02x}x"),
            ]
        })
        .collect();
    paths.extend(
        [
            "//evil.example",
            "///evil.example",
            "/\\evil.example",
            "\\\\evil.example",
            "/%2F/evil.example",
            "/%2f%2fevil.example",
            "/%5Cevil.example",
            "https://evil.example/",
            "http:/evil.example",
            "evil.example",
            "",
            "/ /evil.example",
            "/\u{85}/evil.example",
            "/\u{a0}/evil.example",
        ]
        .map(String::from),
    );
    paths
}

#[test]
fn safe_return_path_keeps_local_paths_and_refuses_the_rest() {
    for ok in [
        "/",
        "/account",
        "/organisaties/1?melding=joined",
        "/s/ABCD/nu?x=%20y",
        "/inloggen?terug=%2Faccount",
    ] {
        assert_eq!(koers_web::safe_return_path(ok), ok);
    }
    for bad in hostile_return_paths() {
        assert_eq!(koers_web::safe_return_path(&bad), "/", "{bad:?}");
    }
}

#[tokio::test]
async fn login_next_and_language_return_refuse_hostile_paths() {
    let (_db, app) = app_with_user().await;
    for bad in hostile_return_paths() {
        // Past the per-address login limit's window: this is about the redirect.
        app.advance_clock(301);
        let mut browser = TestApp::attach(&app);
        browser.fresh_browser();
        let (s, _, loc) = browser
            .post_text(
                "/inloggen",
                &[
                    ("email", "a@alfa.nl"),
                    ("password", "wachtwoord alfa"),
                    ("next", bad.as_str()),
                ],
            )
            .await;
        assert_eq!((s, loc.as_deref()), (303, Some("/")), "next={bad:?}");
        let r = app
            .client
            .get(app.url("/taal/nl"))
            .query(&[("terug", bad.as_str())])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 303, "terug={bad:?}");
        assert_eq!(
            r.headers().get("location").unwrap().to_str().unwrap(),
            "/",
            "terug={bad:?}"
        );
    }
    // A login page reached with a hostile `terug` carries `/` in its form.
    let r = app
        .client
        .get(app.url("/inloggen"))
        .query(&[("terug", "/\t/evil.example")])
        .send()
        .await
        .unwrap();
    let html = r.text().await.unwrap();
    assert!(!html.contains("evil.example"));
}

#[tokio::test]
async fn weak_new_passwords_are_refused_with_a_clear_message() {
    let (_db, app) = app_with_user().await;
    assert_eq!(app.login("a@alfa.nl", "wachtwoord alfa").await.0, 303);
    for (new, message) in [
        ("aaaaaaaaaaaa", "herhaalt steeds hetzelfde teken"),
        ("qwerty123456", "is een reeks zoals abcdef"),
        ("a@alfa.nl2024", "bevat je e-mailadres"),
        ("Wachtwoord2024!", "wordt veel gebruikt"),
    ] {
        let (s, html, _) = app
            .post_text(
                "/account/wachtwoord",
                &[
                    ("current_password", "wachtwoord alfa"),
                    ("password", new),
                    ("password_again", new),
                ],
            )
            .await;
        assert_eq!(s, 422, "{new}");
        assert!(html.contains(message), "{new}: {message}");
    }
    let (s, _, _) = app
        .post_text(
            "/account/wachtwoord",
            &[
                ("current_password", "wachtwoord alfa"),
                ("password", "drie losse woorden"),
                ("password_again", "drie losse woorden"),
            ],
        )
        .await;
    assert_eq!(s, 303);
}

#[tokio::test]
async fn unparseable_path_ids_get_the_friendly_404() {
    let db = fresh_db(Backend::Sqlite).await;
    let (org, _) = seed_org(&db.store, "Gemeente Alfa", "a@alfa.nl", "wachtwoord alfa").await;
    let app = TestApp::start(db.store.clone(), test_config(), vec![]).await;
    assert_eq!(app.login("a@alfa.nl", "wachtwoord alfa").await.0, 303);
    let (s, html) = app.get_text("/organisaties/9223372036854775808").await;
    assert_eq!(s, 404);
    assert!(html.contains("Pagina niet gevonden"));
    for path in [
        format!(
            "/organisaties/{org}/leden/9223372036854775808/verwijderen",
            org = org.id
        ),
        format!("/organisaties/{org}/leden/abc/rol", org = org.id),
        format!(
            "/organisaties/{org}/uitnodigingen/-/intrekken",
            org = org.id
        ),
        format!(
            "/organisaties/{org}/uitnodigingen/1.5/intrekken",
            org = org.id
        ),
    ] {
        let (s, html, _) = app.post_text(&path, &[("role", "lid")]).await;
        assert_eq!(s, 404, "{path}");
        assert!(html.contains("Pagina niet gevonden"), "{path}: {html}");
        assert!(html.contains("<main id=\"main\""), "{path}");
    }
}

#[tokio::test]
async fn the_language_link_changes_nothing_stored_and_the_account_saves_by_post() {
    let db = fresh_db(Backend::Sqlite).await;
    let (_, user) = seed_org(&db.store, "Gemeente Alfa", "a@alfa.nl", "wachtwoord alfa").await;
    let mut app = TestApp::start(db.store.clone(), test_config(), vec![]).await;
    assert_eq!(app.login("a@alfa.nl", "wachtwoord alfa").await.0, 303);
    let r = app.get("/taal/en?terug=/account").await;
    assert_eq!(r.status(), 303);
    assert!(r.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .contains("koers_lang=en"));
    assert_eq!(
        db.store.user(user.id).await.unwrap().locale,
        None,
        "a GET wrote"
    );
    let (_, html) = app.get_text("/account").await;
    assert!(
        html.contains("Save language"),
        "the cookie switched this browser"
    );
    // Saving is a form post, with the form token, and sets this browser too.
    let (s, _, loc) = app.post_text("/account/taal", &[("locale", "en")]).await;
    assert_eq!(
        (s, loc.as_deref()),
        (303, Some("/account?melding=language-saved"))
    );
    assert_eq!(
        db.store.user(user.id).await.unwrap().locale.as_deref(),
        Some("en")
    );
    let (s, _, _) = app.post_text("/account/taal", &[("locale", "xx")]).await;
    assert_eq!(s, 400);
    // Another browser without the cookie gets the account's language after login.
    app.fresh_browser();
    assert_eq!(app.login("a@alfa.nl", "wachtwoord alfa").await.0, 303);
    let (_, html) = app.get_text("/account").await;
    assert!(html.contains("Language of your account"));
    // Logged out, saving is not possible.
    app.fresh_browser();
    let (s, _, loc) = app.post_text("/account/taal", &[("locale", "nl")]).await;
    assert_eq!(s, 303);
    assert!(loc.unwrap().starts_with("/inloggen"));
}

/// The invitation link a beheerder gets when the request says `Host: host`.
async fn invitation_link_for_host(app: &TestApp, org: i64, host: &str) -> String {
    let token = app.csrf().await;
    let r = app
        .client
        .post(app.url(&format!("/organisaties/{org}/uitnodigingen")))
        .header("host", host)
        .form(&[("csrf", token.as_str()), ("role", "lid"), ("note", "")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201, "{host}");
    let html = r.text().await.unwrap();
    let link = extract(&html, "http", "/uitnodiging/").expect("the page shows the link");
    format!("http{link}")
}

#[tokio::test]
async fn invitation_links_use_only_allowed_hosts() {
    let db = fresh_db(Backend::Sqlite).await;
    let (org, _) = seed_org(&db.store, "Gemeente Alfa", "a@alfa.nl", "wachtwoord alfa").await;
    let mut config = test_config();
    config.server.allowed_hosts = vec!["koers.intranet".into(), "zaal.intranet:8443".into()];
    let app = TestApp::start(db.store.clone(), config, vec![]).await;
    assert_eq!(app.login("a@alfa.nl", "wachtwoord alfa").await.0, 303);
    let own = app.base.trim_start_matches("http://").to_owned();
    for (host, base) in [
        ("evil.example", "http://127.0.0.1:8080"),
        ("evil.example:8080", "http://127.0.0.1:8080"),
        ("koers.intranet.evil.example", "http://127.0.0.1:8080"),
        ("zaal.intranet:9999", "http://127.0.0.1:8080"),
        ("koers.intranet", "http://koers.intranet"),
        ("koers.intranet:3000", "http://koers.intranet:3000"),
        ("zaal.intranet:8443", "http://zaal.intranet:8443"),
        ("localhost:8080", "http://localhost:8080"),
        (own.as_str(), app.base.as_str()),
    ] {
        assert_eq!(
            invitation_link_for_host(&app, org.id.0, host).await,
            base,
            "Host: {host}"
        );
    }
}

#[test]
fn allowed_hosts_are_checked_at_start() {
    let mut c = koers_web::config::Config::default();
    c.set("server.allowed_hosts", "koers.intranet, zaal.intranet:8443")
        .unwrap();
    assert_eq!(
        c.server.allowed_hosts,
        ["koers.intranet", "zaal.intranet:8443"]
    );
    c.validate().unwrap();
    for bad in ["https://koers.intranet", "koers.intranet/pad", "a@b", "x y"] {
        c.server.allowed_hosts = vec![bad.into()];
        let e = c.validate().unwrap_err().to_string();
        assert!(e.contains("server.allowed_hosts"), "{bad}: {e}");
    }
    assert!(koers_web::config::DEFAULT_CONFIG_TOML.contains("allowed_hosts = []"));
}

// Tests are trusted tools: they read the members with the system scope.
#[allow(clippy::disallowed_methods)]
async fn one_invitation_in_four_browsers(backend: Backend) {
    let db = fresh_db(backend).await;
    let (org, admin) = seed_org(&db.store, "Gemeente Alfa", "a@alfa.nl", "wachtwoord alfa").await;
    let token = koers_web::auth::new_token();
    db.store
        .create_invitation(koers_store::NewInvitation {
            organisation_id: org.id,
            email: None,
            token_hash: &koers_web::auth::token_hash(&token),
            role: koers_core::Role::Lid,
            note: "",
            created_by: admin.id,
            now: 1_800_000_000,
            expires_at: 1_900_000_000,
        })
        .await
        .unwrap();
    let app = TestApp::start(db.store.clone(), test_config(), vec![]).await;
    let mut browsers = vec![];
    for _ in 0..4 {
        let mut b = TestApp::attach(&app);
        b.fresh_browser();
        let csrf = b.csrf().await;
        browsers.push((b, csrf));
    }
    let path = format!("/uitnodiging/{token}");
    let answers =
        futures_util::future::join_all(browsers.iter().enumerate().map(|(i, (b, csrf))| {
            let email = format!("nieuw{i}@alfa.nl");
            let path = path.clone();
            async move {
                b.client
                    .post(b.url(&path))
                    .form(&[
                        ("csrf", csrf.as_str()),
                        ("display_name", "Nieuw lid"),
                        ("email", email.as_str()),
                        ("password", "drie losse woorden"),
                        ("password_again", "drie losse woorden"),
                    ])
                    .send()
                    .await
                    .unwrap()
                    .status()
                    .as_u16()
            }
        }))
        .await;
    let mut sorted = answers.clone();
    sorted.sort_unstable();
    assert_eq!(sorted, [303, 404, 404, 404], "{backend:?}: {answers:?}");
    let users = db.store.users().await.unwrap();
    assert_eq!(users.len(), 2, "{backend:?}: one account was made");
    let members = db
        .store
        .members(&db.store.system_scope(org.id))
        .await
        .unwrap();
    assert_eq!(members.len(), 2, "{backend:?}: and it joined");
}

#[tokio::test]
async fn one_invitation_in_four_browsers_makes_one_account_on_sqlite() {
    one_invitation_in_four_browsers(Backend::Sqlite).await;
}

#[tokio::test]
async fn one_invitation_in_four_browsers_makes_one_account_on_postgres() {
    one_invitation_in_four_browsers(Backend::Postgres).await;
}

// Tests are trusted tools: they read the members with the system scope.
#[allow(clippy::disallowed_methods)]
async fn two_beheerders_removing_each_other(backend: Backend) {
    use koers_core::{DisplayName, Email, Role};
    let db = fresh_db(backend).await;
    let app = TestApp::start(db.store.clone(), test_config(), vec![]).await;
    let hash = koers_web::auth::hash_password("wachtwoord alfa".into())
        .await
        .unwrap();
    for round in 0..6 {
        let (org, a) = seed_org(
            &db.store,
            &format!("Gemeente {round}"),
            &format!("a{round}@alfa.nl"),
            "wachtwoord alfa",
        )
        .await;
        let b = db
            .store
            .create_user(
                koers_store::NewUser {
                    email: &Email::parse(&format!("b{round}@alfa.nl")).unwrap(),
                    display_name: &DisplayName::parse("Beheerder B").unwrap(),
                    password_hash: &hash,
                    is_platform_admin: false,
                },
                1_800_000_000,
            )
            .await
            .unwrap();
        db.store
            .set_membership(org.id, b.id, Role::Beheerder, 1_800_000_000)
            .await
            .unwrap();
        let mut browser_a = TestApp::attach(&app);
        browser_a.fresh_browser();
        let mut browser_b = TestApp::attach(&app);
        browser_b.fresh_browser();
        assert_eq!(
            browser_a
                .login(&format!("a{round}@alfa.nl"), "wachtwoord alfa")
                .await
                .0,
            303
        );
        assert_eq!(
            browser_b
                .login(&format!("b{round}@alfa.nl"), "wachtwoord alfa")
                .await
                .0,
            303
        );
        let (csrf_a, csrf_b) = (browser_a.csrf().await, browser_b.csrf().await);
        let request = |browser: &TestApp, csrf: String, target: i64, action: &'static str| {
            let req = browser
                .client
                .post(browser.url(&format!("/organisaties/{}/leden/{target}/{action}", org.id)));
            async move {
                req.form(&[("csrf", csrf.as_str()), ("role", "lid")])
                    .send()
                    .await
                    .unwrap()
                    .status()
                    .as_u16()
            }
        };
        // Even rounds remove, odd rounds demote; each beheerder the other.
        let action = if round % 2 == 0 { "verwijderen" } else { "rol" };
        let (ra, rb) = tokio::join!(
            request(&browser_a, csrf_a, b.id.0, action),
            request(&browser_b, csrf_b, a.id.0, action),
        );
        let members = db
            .store
            .members(&db.store.system_scope(org.id))
            .await
            .unwrap();
        let beheerders = members.iter().filter(|m| m.role == Role::Beheerder).count();
        assert_eq!(beheerders, 1, "{backend:?} round {round}: {ra} {rb}");
        let mut statuses = [ra, rb];
        statuses.sort_unstable();
        assert_eq!(
            statuses[0], 303,
            "{backend:?} round {round}: one change went through"
        );
    }
}

#[tokio::test]
async fn two_beheerders_removing_each_other_keep_one_on_sqlite() {
    two_beheerders_removing_each_other(Backend::Sqlite).await;
}

#[tokio::test]
async fn two_beheerders_removing_each_other_keep_one_on_postgres() {
    two_beheerders_removing_each_other(Backend::Postgres).await;
}

/// A flood of distinct addresses, all inside the window, cannot grow the login
/// limiter's map past its cap; and one limited address still is limited.
#[test]
fn the_rate_limiter_stays_at_its_cap_under_a_flood() {
    use koers_web::auth::RateLimiter;
    use std::net::{IpAddr, Ipv4Addr};
    let limiter: RateLimiter = RateLimiter::with_max_tracked(300, 3, 1_000);
    let now = 1_800_000_000;
    let attacker = IpAddr::V4(Ipv4Addr::new(192, 0, 2, 1));
    for _ in 0..3 {
        assert!(limiter.allow(attacker, now));
    }
    assert!(!limiter.allow(attacker, now));
    for i in 0..50_000u32 {
        let addr = IpAddr::V4(Ipv4Addr::from(0x0a00_0000 + i));
        assert!(limiter.allow(addr, now + 1));
        assert!(limiter.tracked() <= 1_000, "{} tracked", limiter.tracked());
    }
    assert!(
        limiter.tracked() >= 800,
        "forgets in batches, not all at once"
    );
    // The default cap holds too, in one window.
    let big: RateLimiter = RateLimiter::new(300, 3);
    for i in 0..150_000u32 {
        big.allow(IpAddr::V4(Ipv4Addr::from(0x0b00_0000 + i)), now);
    }
    assert!(big.tracked() <= 100_000, "{} tracked", big.tracked());
}

/// A flood of distinct (address, e-mail) pairs, all failing inside the lockout
/// window, cannot grow the login throttle's map past its cap; a pair held back
/// before the flood still is after it, and the cap holds even when every tracked
/// pair is held back.
#[test]
fn the_login_throttle_stays_at_its_cap_under_a_flood() {
    use koers_core::account::LockoutPolicy;
    use koers_web::auth::LoginThrottle;
    use std::net::{IpAddr, Ipv4Addr};
    let policy = LockoutPolicy {
        max_failures: 5,
        lockout_secs: 900,
    };
    let throttle = LoginThrottle::with_max_tracked(policy, 1_000);
    let now = 1_800_000_000;
    let guesser = IpAddr::V4(Ipv4Addr::new(192, 0, 2, 1));
    for _ in 0..5 {
        throttle.record_failure(guesser, "a@alfa.nl", now);
    }
    assert!(throttle.is_blocked(guesser, "a@alfa.nl", now));
    for i in 0..50_000u32 {
        let addr = IpAddr::V4(Ipv4Addr::from(0x0a00_0000 + i));
        throttle.record_failure(
            addr,
            &format!("p{i}@example.org"),
            now + 1 + i64::from(i / 100),
        );
        assert!(
            throttle.tracked() <= 1_000,
            "{} tracked",
            throttle.tracked()
        );
    }
    assert!(
        throttle.tracked() >= 800,
        "forgets in batches, not all at once"
    );
    assert!(
        throttle.is_blocked(guesser, "a@alfa.nl", now + 600),
        "a flood of fresh pairs does not lift a running lockout"
    );
    // Every tracked pair held back: the cap still holds.
    let all_locked = LoginThrottle::with_max_tracked(policy, 10);
    for i in 0..40u32 {
        let addr = IpAddr::V4(Ipv4Addr::from(0x0c00_0000 + i));
        for _ in 0..5 {
            all_locked.record_failure(addr, "a@alfa.nl", now);
        }
        assert!(
            all_locked.tracked() <= 10,
            "{} tracked",
            all_locked.tracked()
        );
    }
    // The default cap holds too, in one window.
    let big = LoginThrottle::new(policy);
    for i in 0..150_000u32 {
        big.record_failure(
            IpAddr::V4(Ipv4Addr::from(0x0b00_0000 + i)),
            "a@alfa.nl",
            now,
        );
    }
    assert!(big.tracked() <= 100_000, "{} tracked", big.tracked());
}

/// One IPv6 client holds a whole /64: its addresses share one count, while a
/// neighbouring /64 and an IPv4 client keep their own.
#[test]
fn ipv6_clients_count_per_64() {
    use koers_web::auth::RateLimiter;
    use std::net::IpAddr;
    let limiter: RateLimiter = RateLimiter::new(300, 2);
    let now = 1_800_000_000;
    let a: IpAddr = "2001:db8:1:2::1".parse().unwrap();
    let b: IpAddr = "2001:db8:1:2:ffff:abcd:1234:5678".parse().unwrap();
    let other: IpAddr = "2001:db8:1:3::1".parse().unwrap();
    assert!(limiter.allow(a, now));
    assert!(limiter.allow(b, now));
    assert!(!limiter.allow(a, now), "one /64 shares its count");
    assert!(!limiter.allow(b, now));
    assert!(limiter.allow(other, now), "another /64 is not held back");
    // IPv4 written as IPv6 counts as that IPv4 address.
    let v4: IpAddr = "198.51.100.7".parse().unwrap();
    let mapped: IpAddr = "::ffff:198.51.100.7".parse().unwrap();
    assert!(limiter.allow(v4, now));
    assert!(limiter.allow(mapped, now));
    assert!(!limiter.allow(v4, now));
}

fn cache_control(r: &reqwest::Response) -> Option<String> {
    r.headers()
        .get("cache-control")
        .map(|v| v.to_str().unwrap().to_owned())
}

#[tokio::test]
async fn pages_for_a_logged_in_user_are_never_cached_public_ones_need_not_be() {
    let (_db, app) = app_with_user().await;
    // Public pages, before logging in: no no-store from the shell.
    for path in ["/installatie", "/toegankelijkheid"] {
        let r = app.get(path).await;
        assert_eq!(r.status(), 200, "{path}");
        assert_ne!(cache_control(&r).as_deref(), Some("no-store"), "{path}");
    }
    let r = app
        .post(
            "/inloggen",
            &[("email", "a@alfa.nl"), ("password", "wachtwoord alfa")],
        )
        .await;
    assert_eq!(r.status(), 303);
    // Logged in: every page, public or not, and a 404 too.
    for path in ["/", "/account", "/toegankelijkheid", "/bestaat-niet"] {
        let r = app.get(path).await;
        assert_eq!(cache_control(&r).as_deref(), Some("no-store"), "{path}");
    }
    // Static files stay cacheable: they hold nothing of the user's.
    let r = app.get("/static/koers.css").await;
    assert_eq!(r.status(), 200);
    assert_eq!(cache_control(&r).as_deref(), Some("public, max-age=3600"));
}
