//! The parts this `koers` binary is built with. The binary is the only place that
//! names them: the shell (`koers-web`) knows parts only through
//! [`koers_web::part::Part`], and no part knows another.

use koers_web::part::Part;
use std::sync::Arc;

/// Every product part, in the order of the loop.
pub fn parts() -> Vec<Arc<dyn Part>> {
    vec![Arc::new(koers_scan::Scan), Arc::new(koers_sessie::Sessie)]
}
