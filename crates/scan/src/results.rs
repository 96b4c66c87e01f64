//! (scaffold; filled in by the results work)

use koers_web::part::Route;

pub(crate) fn routes() -> Vec<Route> {
    Vec::new()
}
