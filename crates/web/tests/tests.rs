//! Integration tests of the shell (no parts): real HTTP on port 0, a real SQLite file, and
//! the real PostgreSQL on this machine (a fresh database per test). One test binary;
//! the modules live in `suite/` so cargo does not build each as its own binary.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common {
    pub use koers_testkit::*;
}
#[path = "suite/config.rs"]
mod config;
#[path = "suite/i18n.rs"]
mod i18n;
#[path = "suite/mail.rs"]
mod mail;
#[path = "suite/security.rs"]
mod security;
#[path = "suite/share.rs"]
mod share;
#[path = "suite/story.rs"]
mod story;
