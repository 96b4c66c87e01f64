//! Integration tests of Sessie: real HTTP on port 0 with the shell and this part, a
//! real SQLite file and the real PostgreSQL on this machine (a fresh database per
//! test). One test binary; the modules live in `suite/`.

#![allow(clippy::unwrap_used, clippy::expect_used)]
// Tests are trusted tools: they look sessions up with the store's system scope.
#![allow(clippy::disallowed_methods)]

mod common {
    pub use koers_testkit::*;

    use koers_core::{LiveSessionId, OrganisationId};
    use koers_store::{SessionScope, Store};
    use std::sync::Arc;

    /// The parts these tests run with: Sessie alone, on the shell.
    pub fn parts() -> Vec<Arc<dyn koers_web::part::Part>> {
        vec![Arc::new(koers_sessie::Sessie)]
    }

    /// The scope of a session, as the tests (trusted, like the CLI) look it up.
    pub async fn scope(store: &Store, org: i64, id: i64) -> SessionScope {
        store
            .sessie()
            .live_session(&store.system_scope(OrganisationId(org)), LiveSessionId(id))
            .await
            .unwrap()
            .scope
    }

    /// The live rooms of a running test server.
    pub fn live(app: &TestApp) -> Arc<koers_sessie::live::LiveHub> {
        app.state
            .part_state::<koers_sessie::SessieState>()
            .expect("Sessie is started")
            .live
            .clone()
    }
}
#[path = "suite/anonymity.rs"]
mod anonymity;
#[path = "suite/console.rs"]
mod console;
#[path = "suite/exports.rs"]
mod exports;
#[path = "suite/full_disk.rs"]
mod full_disk;
#[path = "suite/i18n.rs"]
mod i18n;
#[path = "suite/overload.rs"]
mod overload;
#[path = "suite/participant.rs"]
mod participant;
#[path = "suite/room.rs"]
mod room;
#[path = "suite/security.rs"]
mod security;
#[path = "suite/sessie.rs"]
mod sessie;
#[path = "suite/share.rs"]
mod share;
