//! The `koers` binary as a user runs it: exit codes, messages, files left alone.

#![allow(clippy::unwrap_used, clippy::expect_used)]
// Tests are trusted tools: they build their fixtures with the store's system scope.
#![allow(clippy::disallowed_methods)]

mod common {
    pub use koers_testkit::*;
}
#[path = "suite/scan_model.rs"]
mod scan_model;
#[path = "suite/tenant_isolation.rs"]
mod tenant_isolation;

use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Output, Stdio};

fn koers() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_koers"));
    // A developer's own KOERS_ variables must not leak into these runs.
    for (k, _) in std::env::vars() {
        if k.starts_with("KOERS_") {
            c.env_remove(k);
        }
    }
    c.env("KOERS_LOG", "warn");
    c
}

fn run(args: &[&str]) -> Output {
    koers().args(args).output().unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

#[test]
fn version_and_help_for_every_subcommand() {
    let o = run(&["--version"]);
    assert!(o.status.success());
    assert!(stdout(&o).starts_with("koers "));
    for sub in [
        "serve",
        "demo",
        "migrate",
        "default-config",
        "admin",
        "backup",
        "restore",
        "consensus",
        "model",
        "bench-scan",
    ] {
        let o = run(&[sub, "--help"]);
        assert!(o.status.success(), "{sub} --help");
        assert!(stdout(&o).contains("Usage"), "{sub}");
    }
}

#[test]
fn default_config_prints_a_documented_example() {
    let o = run(&["default-config"]);
    assert!(o.status.success());
    let text = stdout(&o);
    assert!(text.contains("[server]") && text.contains("# "));
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("koers.toml");
    std::fs::write(&file, &text).unwrap();
    let data = dir.path().join("data");
    let o = run(&[
        "--config",
        file.to_str().unwrap(),
        "migrate",
        "--data-dir",
        data.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
}

#[test]
fn unknown_config_keys_are_named() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("koers.toml");
    std::fs::write(&file, "[server]\nlisten_adress = \"0.0.0.0:80\"\n").unwrap();
    let o = run(&["--config", file.to_str().unwrap(), "migrate"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("listen_adress"), "{}", stderr(&o));

    let o = koers()
        .env("KOERS_SERVER__PORT", "80")
        .args(["migrate"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("KOERS_SERVER__PORT"), "{}", stderr(&o));
}

#[test]
fn bad_flags_get_a_clear_message() {
    let o = run(&["serve", "--listen", "nergens"]);
    assert_ne!(o.status.code(), Some(0));
    assert!(stderr(&o).contains("server.listen"), "{}", stderr(&o));
    let o = run(&["serve", "--database-url", "mysql://x"]);
    assert_ne!(o.status.code(), Some(0));
    assert!(stderr(&o).contains("postgres://"));
    let o = run(&["serve", "--no-such-flag"]);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn an_unreachable_database_is_reported() {
    let o = run(&[
        "migrate",
        "--database-url",
        "postgres://koers@127.0.0.1:1/koers",
    ]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(err.contains("niet bereikbaar / unreachable"), "{err}");
    assert!(!err.contains("panicked"));
}

#[test]
fn a_foreign_file_is_refused_and_left_alone() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("koers.db");
    std::fs::write(&db, "naam;adres\nPiet;Dorpsstraat 1\n").unwrap();
    let o = run(&[
        "serve",
        "--listen",
        "127.0.0.1:0",
        "--data-dir",
        dir.path().to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("refused"), "{}", stderr(&o));
    assert_eq!(
        std::fs::read_to_string(&db).unwrap(),
        "naam;adres\nPiet;Dorpsstraat 1\n"
    );
}

#[test]
fn admin_creates_organisations_and_accounts() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().to_str().unwrap();
    let o = run(&[
        "admin",
        "--data-dir",
        d,
        "create-org",
        "--name",
        "Gemeente Cli",
        "--kind",
        "gemeente",
        "--size",
        "m",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("id 1"));
    let o = run(&[
        "admin",
        "--data-dir",
        d,
        "create-org",
        "--name",
        "Bedrijf",
        "--kind",
        "bedrijf",
        "--size",
        "m",
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("soort / kind"));
    let o = run(&[
        "admin",
        "--data-dir",
        d,
        "create-user",
        "--email",
        "root@cli.nl",
        "--name",
        "Root",
        "--platform-admin",
        "--org",
        "1",
        "--role",
        "beheerder",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stdout(&o).contains("Wachtwoord / password: "),
        "a generated password is shown once"
    );
    let o = run(&[
        "admin",
        "--data-dir",
        d,
        "create-user",
        "--email",
        "root@cli.nl",
        "--name",
        "Root",
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("already exists"));
    let o = run(&[
        "admin",
        "--data-dir",
        d,
        "create-user",
        "--email",
        "x@cli.nl",
        "--name",
        "X",
        "--org",
        "99",
    ]);
    assert_eq!(o.status.code(), Some(1));
    let mut child = koers()
        .args([
            "admin",
            "--data-dir",
            d,
            "reset-password",
            "--email",
            "root@cli.nl",
            "--password-stdin",
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"een heel nieuw wachtwoord\n")
        .unwrap();
    let o = child.wait_with_output().unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(!stdout(&o).contains("een heel nieuw wachtwoord"));
    let o = run(&["admin", "--data-dir", d, "list-orgs"]);
    assert!(stdout(&o).contains("Gemeente Cli"));
}

#[test]
fn backup_and_restore_round_trip_keeping_the_old_database() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().join("data");
    let d = d.to_str().unwrap();
    assert!(run(&[
        "admin",
        "--data-dir",
        d,
        "create-org",
        "--name",
        "Gemeente Een",
        "--kind",
        "gemeente",
        "--size",
        "s"
    ])
    .status
    .success());
    let backup = dir.path().join("backup.db");
    let o = run(&["backup", "--data-dir", d, backup.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    let o = run(&["backup", "--data-dir", d, backup.to_str().unwrap()]);
    assert_eq!(
        o.status.code(),
        Some(1),
        "never overwrites an existing file"
    );
    assert!(run(&[
        "admin",
        "--data-dir",
        d,
        "create-org",
        "--name",
        "Gemeente Twee",
        "--kind",
        "gemeente",
        "--size",
        "s"
    ])
    .status
    .success());
    let o = run(&["restore", "--data-dir", d, backup.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("before-restore"));
    let list = stdout(&run(&["admin", "--data-dir", d, "list-orgs"]));
    assert!(
        list.contains("Gemeente Een") && !list.contains("Gemeente Twee"),
        "{list}"
    );
    let kept = std::fs::read_dir(d)
        .unwrap()
        .filter_map(|e| e.ok())
        .any(|e| e.file_name().to_string_lossy().contains("before-restore"));
    assert!(kept);
    // A file that is not a Koers backup is refused.
    let junk = dir.path().join("junk.db");
    std::fs::write(&junk, "geen backup").unwrap();
    let o = run(&["restore", "--data-dir", d, junk.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    let list = stdout(&run(&["admin", "--data-dir", d, "list-orgs"]));
    assert!(list.contains("Gemeente Een"));
    let o = run(&[
        "backup",
        "--database-url",
        "postgres://x@127.0.0.1/y",
        dir.path().join("pg.db").to_str().unwrap(),
    ]);
    assert!(stderr(&o).contains("pg_dump"));
}

#[test]
fn demo_refuses_a_directory_with_data() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().to_str().unwrap();
    assert!(run(&["migrate", "--data-dir", d]).status.success());
    let o = run(&["demo", "--listen", "127.0.0.1:0", "--data-dir", d]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("fresh directory"));
}

/// Starts `serve` on port 0, waits for its address line, checks readiness, then stops
/// it with SIGTERM and expects a clean exit.
#[test]
fn serve_starts_and_shuts_down_gracefully_on_sigterm() {
    let dir = tempfile::tempdir().unwrap();
    let mut child = koers()
        .args([
            "serve",
            "--listen",
            "127.0.0.1:0",
            "--data-dir",
            dir.path().to_str().unwrap(),
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let mut url = None;
    let mut saw_setup_code = false;
    for line in lines.by_ref() {
        let line = line.unwrap();
        saw_setup_code |= line.contains("instelcode / setup code");
        if let Some(i) = line.find("http://") {
            if line.contains("listening on") {
                url = Some(line[i..].trim().to_owned());
                break;
            }
        }
    }
    let url = url.expect("address line");
    assert!(saw_setup_code, "a fresh install prints its setup code");
    let addr = url.trim_start_matches("http://");
    let mut stream = std::net::TcpStream::connect(addr).unwrap();
    write!(
        stream,
        "GET /readyz HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut response = String::new();
    std::io::Read::read_to_string(&mut stream, &mut response).unwrap();
    assert!(response.starts_with("HTTP/1.1 200"), "{response}");
    let status = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let exit = child.wait().unwrap();
    assert!(exit.success(), "{exit:?}");
}

/// Reads lines from a `serve` child's stdout until its address line.
fn listening_address(child: &mut std::process::Child) -> String {
    let lines = BufReader::new(child.stdout.take().unwrap()).lines();
    for line in lines {
        let line = line.unwrap();
        if let Some(i) = line.find("http://") {
            if line.contains("listening on") {
                return line[i..].trim().trim_start_matches("http://").to_owned();
            }
        }
    }
    panic!("no address line");
}

/// A session with a join code in a fresh data directory, made through the store
/// before the server starts.
fn data_dir_with_session(dir: &std::path::Path, code: &str) {
    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(async {
        let store = koers_store::Store::open_data_dir(dir).await.unwrap();
        let (org, user) = common::seed_org(
            &store,
            "Gemeente Stopstad",
            "f@stopstad.nl",
            "wachtwoord stop",
        )
        .await;
        store
            .sessie()
            .create_live_session(
                &store.system_scope(org.id),
                koers_store::NewLiveSession {
                    title: "Stoppen terwijl de zaal kijkt",
                    description: "",
                    join_code: code,
                    join_open_until: i64::MAX / 2,
                    moderation: koers_core::sessie::ModerationMode::Post,
                    max_statement_chars: 140,
                    dots_per_participant: 3,
                    perspectives: &["inwoner".to_owned()],
                    read_only: false,
                    attribution: "",
                    created_by: Some(user.id),
                    now: 1_800_000_000,
                },
            )
            .await
            .unwrap();
        store.close().await;
    });
}

/// An open event stream (a participant's phone, a projector tab) must not keep the
/// server from stopping: on SIGTERM the stream ends, and the process exits 0
/// within a few seconds.
#[test]
fn sigterm_stops_the_server_while_an_event_stream_is_open() {
    let dir = tempfile::tempdir().unwrap();
    data_dir_with_session(dir.path(), "KRSTAP");
    let mut child = koers()
        .args([
            "serve",
            "--listen",
            "127.0.0.1:0",
            "--data-dir",
            dir.path().to_str().unwrap(),
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let addr = listening_address(&mut child);
    // An anonymous participant's stream, as `curl -N …/s/CODE/events` opens it.
    let mut stream = std::net::TcpStream::connect(&addr).unwrap();
    write!(
        stream,
        "GET /s/KRSTAP/events HTTP/1.1\r\nHost: {addr}\r\nAccept: text/event-stream\r\n\r\n"
    )
    .unwrap();
    stream
        .set_read_timeout(Some(std::time::Duration::from_secs(10)))
        .unwrap();
    // The stream is open once its headers have come.
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") {
        let n = std::io::Read::read(&mut stream, &mut byte).unwrap();
        assert_eq!(n, 1, "the stream closed before its headers");
        head.push(byte[0]);
    }
    let head = String::from_utf8_lossy(&head);
    assert!(head.starts_with("HTTP/1.1 200"), "{head}");
    assert!(head.contains("text/event-stream"), "{head}");

    let sent = std::time::Instant::now();
    let status = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let exit = loop {
        if let Some(exit) = child.try_wait().unwrap() {
            break exit;
        }
        if sent.elapsed() > std::time::Duration::from_secs(5) {
            let _ = child.kill();
            let _ = child.wait();
            panic!("the server was still running 5 s after SIGTERM with a stream open");
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    };
    assert!(exit.success(), "{exit:?}");
    // The stream was ended, not cut: the client reads to its end.
    let mut rest = Vec::new();
    let _ = std::io::Read::read_to_end(&mut stream, &mut rest);
}
