//! Scan, the "meten" part of Koers: a multi-perspective digital maturity and
//! leadership scan. A beheerder starts a wave on an assessment model (a TOML file;
//! the models, their scoring and the anonymity rule live in `koers-core`), invites
//! respondents per perspective with personal links or an open link, and reads the
//! results: every perspective side by side, perception gaps, change since the
//! previous wave, advice, and a peer benchmark.
//!
//! The part hands the shell one [`Scan`] value: its routes with the access each
//! needs, its locale files, navigation entry, card on the organisation's page and
//! demo seed. Modules:
//! - [`waves`]: starting, opening a wave, perspectives, invitations, reminders;
//! - [`respond`]: the answer form (personal and open link, save and resume);
//! - [`import`]: responses from CSV/XLSX with a column mapping;
//! - [`results`]: the results page, charts, printable report, exports, benchmark,
//!   closing a wave;
//! - [`demo`]: Gemeente Voorbeeld's two waves and thirty peers.
//!
//! Scan depends on the shell (`koers-web`), the store and `koers-core`, and on no
//! other part.

pub mod demo;
pub mod import;
mod respond;
mod results;
mod results_benchmark;
mod results_settings;
mod results_svg;
mod results_view;
pub mod waves;

pub use results::DOWNLOADS;

use futures_util::future::BoxFuture;
use koers_core::Role;
use koers_web::error::AppResult;
use koers_web::i18n::Tr;
use koers_web::part::{
    Card, DemoContext, DemoReport, Locales, LoopStage, NavEntry, OrgAccess, Part, PartState, Route,
};
use koers_web::AppState;

/// The part, as the binary registers it.
pub struct Scan;

impl Part for Scan {
    fn name(&self) -> &'static str {
        "scan"
    }

    fn routes(&self) -> Vec<Route> {
        routes()
    }

    fn start_checked<'a>(
        &'a self,
        state: &'a AppState,
    ) -> BoxFuture<'a, anyhow::Result<Option<PartState>>> {
        Box::pin(waves::start(state))
    }

    fn locales(&self) -> Locales {
        Locales {
            nl: include_str!("../locales/nl.ftl"),
            en: include_str!("../locales/en.ftl"),
        }
    }

    fn stage(&self) -> LoopStage {
        LoopStage::Meten
    }

    fn nav(&self) -> Option<NavEntry> {
        Some(NavEntry {
            label_key: "org-scan-link",
            path: "scans",
            role: Role::Lid,
        })
    }

    fn card<'a>(
        &'a self,
        state: &'a AppState,
        access: &'a OrgAccess,
        tr: &'a Tr,
    ) -> BoxFuture<'a, AppResult<Option<Card>>> {
        Box::pin(waves::card(state, access, tr))
    }

    fn seed_demo<'a>(
        &'a self,
        demo: &'a DemoContext<'a>,
    ) -> BoxFuture<'a, anyhow::Result<DemoReport>> {
        Box::pin(demo::seed(demo))
    }
}

/// Every Scan route: the beheerder's and members' pages under the organisation,
/// the respondents' pages by token.
pub fn routes() -> Vec<Route> {
    let mut all = waves::routes();
    all.extend(respond::routes());
    all.extend(import::routes());
    all.extend(results::routes());
    all
}
