//! Scan's demo seed.

use koers_web::part::{DemoContext, DemoReport};

pub async fn seed(_demo: &DemoContext<'_>) -> anyhow::Result<DemoReport> {
    Ok(Vec::new())
}
