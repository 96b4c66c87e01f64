//! Test support shared by the integration tests of the shell, the parts and the
//! binary: `TestApp`, a Koers server on port 0 over a fresh database of either
//! backend (a real SQLite file, or a fresh database on the PostgreSQL of this
//! machine), with the parts the test asks for, and a cookie-keeping client that
//! speaks its forms. A dev-dependency only; never part of the binary.

#![allow(clippy::unwrap_used, clippy::expect_used)]

pub mod smtp;
pub use smtp::{dead_smtp_addr, ReceivedMail, SinkMode, SmtpSink};

use koers_store::Store;
use koers_web::config::Config;
use koers_web::part::Part;
use koers_web::AppState;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// A fresh PostgreSQL database, dropped again when the guard goes.
pub struct PgDatabase {
    admin_url: String,
    name: String,
    pub url: String,
}

fn pg_admin_url() -> String {
    std::env::var("KOERS_TEST_PG_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into())
}

impl PgDatabase {
    pub async fn create() -> Self {
        use sqlx::Connection;
        let admin_url = pg_admin_url();
        let mut conn = sqlx::PgConnection::connect(&admin_url).await.unwrap_or_else(|e| {
            panic!(
                "PostgreSQL is needed for these tests and is not reachable at {admin_url}: {e}\n\
                 start it with: pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start"
            )
        });
        let name = format!(
            "koers_test_{}",
            koers_web::auth::new_token()[..12]
                .to_lowercase()
                .replace(['-', '_'], "x")
        );
        sqlx::query(&format!("CREATE DATABASE {name}"))
            .execute(&mut conn)
            .await
            .unwrap();
        let base = admin_url
            .rsplit_once('/')
            .map(|(b, _)| b.to_owned())
            .unwrap();
        Self {
            url: format!("{base}/{name}"),
            admin_url,
            name,
        }
    }
}

impl Drop for PgDatabase {
    fn drop(&mut self) {
        let (url, name) = (self.admin_url.clone(), self.name.clone());
        // Drop runs outside async; a small runtime on its own thread does the DROP.
        let _ = std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .unwrap();
            rt.block_on(async {
                use sqlx::Connection;
                if let Ok(mut c) = sqlx::PgConnection::connect(&url).await {
                    let _ = sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                        .execute(&mut c)
                        .await;
                }
            });
        })
        .join();
    }
}

pub struct TestDb {
    pub store: Store,
    pub _dir: tempfile::TempDir,
    pub _pg: Option<PgDatabase>,
    pub url: String,
}

pub async fn fresh_db(backend: Backend) -> TestDb {
    let dir = tempfile::tempdir().unwrap();
    let (url, pg) = match backend {
        Backend::Sqlite => (
            dir.path().join("koers.db").to_string_lossy().into_owned(),
            None,
        ),
        Backend::Postgres => {
            let pg = PgDatabase::create().await;
            (pg.url.clone(), Some(pg))
        }
    };
    let store = Store::connect(&url).await.unwrap();
    TestDb {
        store,
        _dir: dir,
        _pg: pg,
        url,
    }
}

pub struct TestApp {
    pub base: String,
    pub client: reqwest::Client,
    pub state: AppState,
    pub clock: Arc<AtomicI64>,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
    server: Option<tokio::task::JoinHandle<()>>,
}

pub fn test_config() -> Config {
    let mut c = Config::default();
    c.server.max_body_bytes = 64 * 1024;
    c
}

/// `config` with `[mail]` pointing at an SMTP server at `addr` (a [`SmtpSink`], or
/// [`dead_smtp_addr`] for one that is down), with a short timeout.
pub fn with_mail(mut config: Config, addr: std::net::SocketAddr) -> Config {
    config.mail.smtp_url = format!("smtp://{addr}");
    config.mail.from = "Koers <koers@koers.test>".into();
    config.mail.timeout_secs = 5;
    config
}

impl TestApp {
    /// Starts a server with `[mail]` pointing at a fresh [`SmtpSink`], and the sink.
    pub async fn start_with_mail(
        store: Store,
        config: Config,
        parts: Vec<Arc<dyn Part>>,
    ) -> (Self, SmtpSink) {
        let (addr, sink) = SmtpSink::start().await;
        (
            Self::start(store, with_mail(config, addr), parts).await,
            sink,
        )
    }

    /// Starts a server over `store` (migrated already) on port 0, with these parts.
    pub async fn start(store: Store, config: Config, parts: Vec<Arc<dyn Part>>) -> Self {
        let clock = Arc::new(AtomicI64::new(1_800_000_000));
        let c2 = clock.clone();
        let state = AppState::new(store, config, parts)
            .await
            .unwrap()
            .with_clock(move || c2.load(Ordering::SeqCst));
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let (tx, rx) = tokio::sync::oneshot::channel::<()>();
        let s = state.clone();
        let server = tokio::spawn(async move {
            koers_web::serve(listener, s, async {
                let _ = rx.await;
            })
            .await
            .unwrap();
        });
        let app = Self {
            base: format!("http://{addr}"),
            client: Self::new_client(),
            state,
            clock,
            shutdown: Some(tx),
            server: Some(server),
        };
        // Wait for readiness rather than sleeping.
        for _ in 0..100 {
            if let Ok(r) = app.client.get(app.url("/readyz")).send().await {
                if r.status() == 200 {
                    return app;
                }
            }
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
        panic!("server did not become ready");
    }

    pub fn new_client() -> reqwest::Client {
        reqwest::Client::builder()
            .cookie_store(true)
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap()
    }

    /// Another handle on the same running server, with a client of its own; it does
    /// not stop the server when dropped.
    pub fn attach(other: &TestApp) -> Self {
        Self {
            base: other.base.clone(),
            client: Self::new_client(),
            state: other.state.clone(),
            clock: other.clock.clone(),
            shutdown: None,
            server: None,
        }
    }

    /// A second browser: its own cookies.
    pub fn fresh_browser(&mut self) {
        self.client = Self::new_client();
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    pub fn advance_clock(&self, secs: i64) {
        self.clock.fetch_add(secs, Ordering::SeqCst);
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client.get(self.url(path)).send().await.unwrap()
    }

    pub async fn get_text(&self, path: &str) -> (u16, String) {
        let r = self.get(path).await;
        let s = r.status().as_u16();
        (s, r.text().await.unwrap())
    }

    /// The CSRF token this browser has; fetches a page first if it has none yet.
    pub async fn csrf(&self) -> String {
        let (_, html) = self.get_text("/toegankelijkheid").await;
        extract(&html, "name=\"koers-csrf\" content=\"", "\"")
            .expect("the layout carries the csrf token")
    }

    pub async fn post(&self, path: &str, fields: &[(&str, &str)]) -> reqwest::Response {
        let token = self.csrf().await;
        let mut all: Vec<(&str, &str)> = vec![("csrf", token.as_str())];
        all.extend_from_slice(fields);
        self.client
            .post(self.url(path))
            .form(&all)
            .send()
            .await
            .unwrap()
    }

    pub async fn post_text(
        &self,
        path: &str,
        fields: &[(&str, &str)],
    ) -> (u16, String, Option<String>) {
        let r = self.post(path, fields).await;
        let status = r.status().as_u16();
        let location = r
            .headers()
            .get("location")
            .map(|l| l.to_str().unwrap().to_owned());
        (status, r.text().await.unwrap(), location)
    }

    pub async fn login(&self, email: &str, password: &str) -> (u16, String, Option<String>) {
        self.post_text(
            "/inloggen",
            &[("email", email), ("password", password), ("next", "/")],
        )
        .await
    }

    pub async fn stop(mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(h) = self.server.take() {
            let _ = h.await;
        }
    }
}

pub fn extract(haystack: &str, start: &str, end: &str) -> Option<String> {
    let i = haystack.find(start)? + start.len();
    let j = haystack[i..].find(end)? + i;
    Some(haystack[i..j].to_owned())
}

/// Creates an organisation and a beheerder in it directly through the store.
pub async fn seed_org(
    store: &Store,
    name: &str,
    email: &str,
    password: &str,
) -> (koers_store::Organisation, koers_store::User) {
    use koers_core::*;
    let org = store
        .create_organisation(
            koers_store::NewOrganisation {
                name: &OrganisationName::parse(name).unwrap(),
                kind: OrganisationKind::Gemeente,
                size_class: SizeClass::UpTo1000,
                country: Country::Nederland,
            },
            1_800_000_000,
        )
        .await
        .unwrap();
    let hash = koers_web::auth::hash_password(password.into())
        .await
        .unwrap();
    let user = store
        .create_user(
            koers_store::NewUser {
                email: &Email::parse(email).unwrap(),
                display_name: &DisplayName::parse(&format!("Beheerder {name}")).unwrap(),
                password_hash: &hash,
                is_platform_admin: false,
            },
            1_800_000_000,
        )
        .await
        .unwrap();
    store
        .set_membership(org.id, user.id, Role::Beheerder, 1_800_000_000)
        .await
        .unwrap();
    (org, user)
}

/// A small tmpfs, unmounted again when dropped.
pub struct SmallDisk {
    dir: tempfile::TempDir,
}

impl SmallDisk {
    /// Mounts a tmpfs of `size` (such as 6m); it needs root, and fails loudly without.
    pub fn mount(size: &str) -> Self {
        let dir = tempfile::tempdir().unwrap();
        let out = std::process::Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
            .arg(dir.path())
            .output()
            .expect("mount is available");
        assert!(
            out.status.success(),
            "this test mounts a small tmpfs to fill a disk for real and needs root: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        Self { dir }
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Fills the disk to the last byte with a filler file.
    pub fn fill(&self) -> PathBuf {
        let filler = self.path().join("filler");
        let mut f = std::fs::File::create(&filler).unwrap();
        let block = vec![0u8; 64 * 1024];
        loop {
            if f.write_all(&block).is_err() {
                break;
            }
        }
        // Then byte by byte, so not even a small page fits.
        loop {
            if f.write_all(&[0]).is_err() || f.flush().is_err() {
                break;
            }
        }
        let _ = f.sync_all();
        filler
    }
}

impl Drop for SmallDisk {
    fn drop(&mut self) {
        let _ = std::process::Command::new("umount")
            .arg("-l")
            .arg(self.dir.path())
            .status();
    }
}
