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

#[tokio::test]
async fn login_locks_after_repeated_failures_and_unlocks_later() {
    let (_db, app) = app_with_user().await;
    for i in 0..4 {
        let (s, html, _) = app.login("a@alfa.nl", "fout wachtwoord").await;
        assert_eq!(s, 422, "attempt {i}");
        assert!(html.contains("Het e-mailadres of het wachtwoord klopt niet."));
    }
    let (s, html, _) = app.login("a@alfa.nl", "fout wachtwoord").await;
    assert_eq!(s, 429);
    assert!(html.contains("tijdelijk geblokkeerd"));
    // Even the right password is refused while locked.
    let (s, _, _) = app.login("a@alfa.nl", "wachtwoord alfa").await;
    assert_eq!(s, 429);
    app.advance_clock(16 * 60);
    let (s, _, loc) = app.login("a@alfa.nl", "wachtwoord alfa").await;
    assert_eq!(s, 303);
    assert_eq!(loc.as_deref(), Some("/"));
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
