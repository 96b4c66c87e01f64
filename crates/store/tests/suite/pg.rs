//! PostgreSQL for the store's tests: the fresh database per test of `koers-testkit`
//! (dropped again when the guard goes), and a plain connection to look at it.

pub use koers_testkit::PgDatabase;

pub async fn connect(url: &str) -> sqlx::PgConnection {
    use sqlx::Connection;
    sqlx::PgConnection::connect(url).await.unwrap_or_else(|e| {
        panic!(
            "PostgreSQL is needed for these tests and is not reachable at {url}: {e}\n\
             start it with: pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start"
        )
    })
}
