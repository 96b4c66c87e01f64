//! Overload is graceful: a vote that finds the writer's queue full is answered 503
//! with `Retry-After` at once, on a page that holds the same choice ready to send
//! again; nothing is stored twice or lost. Past the in-flight limit, anonymous page
//! requests are answered "busy" while `/healthz`, the facilitator's console, form
//! posts and event streams still get through.

use crate::common::*;
use crate::sessie::{facilitator_with_session_config, join, phase, shown_statement};

fn sqlite_pool(db: &TestDb) -> sqlx::SqlitePool {
    match db.store.backend() {
        koers_store::Backend::Sqlite(pool) => pool.clone(),
        koers_store::Backend::Postgres(_) => unreachable!("the test runs on SQLite"),
    }
}

async fn stored_votes(db: &TestDb) -> i64 {
    sqlx::query_scalar("SELECT COUNT(*) FROM session_votes")
        .fetch_one(&sqlite_pool(db))
        .await
        .unwrap()
}

#[tokio::test]
async fn a_full_vote_queue_answers_busy_and_the_page_resends_the_same_choice() {
    let db = fresh_db(Backend::Sqlite).await;
    let mut config = test_config();
    config.server.vote_queue = 1;
    let (app, org, id, code) = facilitator_with_session_config(&db, "post", config).await;
    phase(&app, org, id, "stemmen", "open").await;
    let voters = [
        join(&app, &code, "beleid").await,
        join(&app, &code, "uitvoering").await,
        join(&app, &code, "inwoner").await,
    ];
    let mut statements = vec![];
    for p in &voters {
        statements.push(
            shown_statement(p, &code)
                .await
                .expect("a statement to vote on"),
        );
    }

    // Another connection holds SQLite's write lock: the writer takes the first vote
    // and waits for the lock, the second fills the queue of one, the third finds
    // it full.
    let pool = sqlite_pool(&db);
    let mut lock = pool.acquire().await.unwrap();
    sqlx::query("BEGIN IMMEDIATE")
        .execute(&mut *lock)
        .await
        .unwrap();
    let vote = |i: usize| {
        let mut p = TestApp::attach(&voters[i]);
        p.client = voters[i].client.clone();
        let (code, statement) = (code.clone(), statements[i].clone());
        async move {
            p.post_text(
                &format!("/s/{code}/stem"),
                &[("statement", statement.as_str()), ("vote", "disagree")],
            )
            .await
        }
    };
    let first = tokio::spawn(vote(0));
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    let second = tokio::spawn(vote(1));
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    let busy = voters[2]
        .post(
            &format!("/s/{code}/stem"),
            &[("statement", statements[2].as_str()), ("vote", "disagree")],
        )
        .await;
    assert_eq!(busy.status(), 503, "the third vote is turned away at once");
    assert_eq!(
        busy.headers()
            .get("retry-after")
            .and_then(|v| v.to_str().ok()),
        Some("2")
    );
    let html = busy.text().await.unwrap();
    // The page keeps the choice, ready to be sent again, by itself or by hand.
    assert!(html.contains("data-koers-retry=\"2\""), "{html}");
    assert!(html.contains(&format!("name=\"statement\" value=\"{}\"", statements[2])));
    assert!(html.contains("name=\"vote\" value=\"disagree\""));
    assert!(html.contains("Stem nu opnieuw versturen"));
    assert!(html.contains("<strong>Oneens</strong>"));

    // The console stays responsive while the writer waits.
    let (s, _) = app
        .get_text(&format!("/organisaties/{org}/sessies/{id}"))
        .await;
    assert_eq!(s, 200);

    sqlx::query("ROLLBACK").execute(&mut *lock).await.unwrap();
    drop(lock);
    assert_eq!(first.await.unwrap().0, 303, "the first vote was written");
    assert_eq!(second.await.unwrap().0, 303, "the queued vote was written");
    assert_eq!(stored_votes(&db).await, 2, "the busy vote was not stored");

    // Sending the busy page's form again stores the vote, once.
    let (s, _, loc) = voters[2]
        .post_text(
            &format!("/s/{code}/stem"),
            &[
                ("statement", statements[2].as_str()),
                ("vote", "disagree"),
                ("back", ""),
            ],
        )
        .await;
    assert_eq!(s, 303);
    assert_eq!(loc.unwrap(), format!("/s/{code}/nu"));
    assert_eq!(stored_votes(&db).await, 3);
}

#[tokio::test]
async fn past_the_in_flight_limit_only_anonymous_pages_are_turned_away() {
    let db = fresh_db(Backend::Sqlite).await;
    let mut config = test_config();
    config.server.max_requests_in_flight = 4;
    let (app, org, id, code) = facilitator_with_session_config(&db, "post", config).await;
    phase(&app, org, id, "stemmen", "open").await;
    let p = join(&app, &code, "beleid").await;
    let statement = shown_statement(&p, &code).await.unwrap();

    // Every place is taken (as by four slow requests).
    let load = app.state.load.clone();
    let held: Vec<_> = (0..4).map(|_| load.admit(4).expect("a place")).collect();

    let r = p.get(&format!("/s/{code}/nu")).await;
    assert_eq!(r.status(), 503);
    assert_eq!(
        r.headers().get("retry-after").and_then(|v| v.to_str().ok()),
        Some("2")
    );
    let html = r.text().await.unwrap();
    assert!(html.contains("Even heel druk"), "{html}");
    // The page tries again by itself, at the same address.
    assert!(html.contains(&format!("data-koers-retry-href=\"/s/{code}/nu\"")));

    assert_eq!(p.get("/healthz").await.status(), 200, "health checks pass");
    let (s, _) = app
        .get_text(&format!("/organisaties/{org}/sessies/{id}"))
        .await;
    assert_eq!(s, 200, "the facilitator's console is never turned away");
    let events = p
        .client
        .get(p.url(&format!("/s/{code}/events")))
        .header("accept", "text/event-stream")
        .send()
        .await
        .unwrap();
    assert_eq!(events.status(), 200, "an event stream is not shed");
    drop(events);
    let (s, _, _) = p
        .post_text(
            &format!("/s/{code}/stem"),
            &[("statement", statement.as_str()), ("vote", "agree")],
        )
        .await;
    assert_eq!(s, 303, "a vote is not shed by the page limit");

    drop(held);
    let r = p.get(&format!("/s/{code}/nu")).await;
    assert_eq!(r.status(), 200, "places given back: pages are served again");
    let shed = app.state.load.shed_total();
    // The page above, and the page the test client reads its CSRF token from
    // before each form post (the busy page carries the token as well).
    assert_eq!(shed, 2, "two pages were turned away");
    // And the metrics say so.
    let metrics = app.get("/metrics").await.text().await.unwrap();
    assert!(
        metrics.contains("koers_http_requests_shed_total 2"),
        "{metrics}"
    );
}
