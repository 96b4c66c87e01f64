//! Integration tests of Sessie: real HTTP on port 0 with the shell and this part, a
//! real SQLite file and the real PostgreSQL on this machine (a fresh database per
//! test). One test binary; the modules live in `suite/`.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common {
    pub use koers_testkit::*;

    /// The parts these tests run with: Sessie alone, on the shell.
    pub fn parts() -> Vec<std::sync::Arc<dyn koers_web::part::Part>> {
        vec![std::sync::Arc::new(koers_sessie::Sessie)]
    }
}
#[path = "suite/exports.rs"]
mod exports;
#[path = "suite/i18n.rs"]
mod i18n;
#[path = "suite/sessie.rs"]
mod sessie;
