//! Integration tests of the web layer: real HTTP on port 0, a real SQLite file, and
//! the real PostgreSQL on this machine (a fresh database per test). One test binary;
//! the modules live in `suite/` so cargo does not build each as its own binary.

#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "suite/common.rs"]
mod common;
#[path = "suite/config.rs"]
mod config;
#[path = "suite/exports.rs"]
mod exports;
#[path = "suite/i18n.rs"]
mod i18n;
#[path = "suite/security.rs"]
mod security;
#[path = "suite/sessie.rs"]
mod sessie;
#[path = "suite/story.rs"]
mod story;
#[path = "suite/tenant_isolation.rs"]
mod tenant_isolation;
