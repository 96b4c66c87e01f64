//! (scaffold; filled in by the import work)

use koers_web::part::Route;

pub(crate) fn routes() -> Vec<Route> {
    Vec::new()
}
