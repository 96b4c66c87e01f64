//! The consensus engine's integration tests (one binary; modules below).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;
mod csv_reading;
mod engine;
mod limits;
mod loader;
mod polis;
mod properties;
mod row_order;
