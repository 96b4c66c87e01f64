//! The opinion-group engine behind Koers's live sessions ("Sessie").
//!
//! Given who voted agree, disagree or pass on which statement, it finds opinion
//! groups the way Pol.is does — PCA to two dimensions, base clusters, group
//! k-means with the number of groups chosen by silhouette — and reports what
//! sets each group apart, what everyone shares, and which statements bridge all
//! groups and declared perspectives.
//!
//! The crate is pure: no clock, no async, no database. The only I/O is in
//! [`load`], which reads Pol.is export folders, streaming them row by row.
//! Their CSV is parsed by the [`csv`](::csv) crate; the module [`csv`] wraps it
//! to give records their line numbers and errors for quoting mistakes.
//! Everything is deterministic: the engine sorts each batch of votes into
//! Pol.is's order (statement, participant, time), which also numbers the
//! participants as Pol.is does, and its only randomness comes from a seed. See `docs/consensus.md` for
//! every step and where it deliberately differs from Pol.is.

pub mod analysis;
pub mod cluster;
pub mod csv;
pub mod engine;
pub mod error;
pub mod evaluation;
pub mod load;
pub mod matrix;
pub mod model;
pub mod pca;
pub mod replay;
pub mod rng;
pub mod stats;
pub mod synthetic;
pub mod text;

pub use analysis::{Analysis, Direction};
pub use engine::{Engine, EngineConfig, GroupCount, UpdateSummary};
pub use error::{AnalysisError, LoadError};
pub use load::{load_export, load_perspectives, Export, VoteSource};
pub use model::{Statement, StatementId, Vote, VoteEvent, VoterId};
pub use replay::{analyse, replay, Tick};
