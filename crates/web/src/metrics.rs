//! Prometheus metrics, written in the text exposition format by hand: a few counters
//! and one latency histogram do not justify a metrics framework in the build.

use axum::extract::{MatchedPath, Request, State};
use axum::http::Method;
use axum::middleware::Next;
use axum::response::Response;
use std::collections::BTreeMap;
use std::fmt::Write;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;
use std::time::Instant;

/// Upper bounds of the latency buckets, in seconds.
const BUCKETS: [f64; 12] = [
    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0,
];

#[derive(Default)]
pub struct Metrics {
    requests: Mutex<BTreeMap<(String, String, u16), u64>>,
    buckets: [AtomicU64; BUCKETS.len()],
    count: AtomicU64,
    sum_micros: AtomicU64,
    pub logins_failed: AtomicU64,
    pub logins_succeeded: AtomicU64,
}

impl Metrics {
    pub fn observe(&self, method: &str, route: &str, status: u16, seconds: f64) {
        if let Ok(mut r) = self.requests.lock() {
            *r.entry((method.to_owned(), route.to_owned(), status))
                .or_insert(0) += 1;
        }
        for (i, bound) in BUCKETS.iter().enumerate() {
            if seconds <= *bound {
                self.buckets[i].fetch_add(1, Ordering::Relaxed);
            }
        }
        self.count.fetch_add(1, Ordering::Relaxed);
        self.sum_micros
            .fetch_add((seconds * 1e6) as u64, Ordering::Relaxed);
    }

    pub fn render(&self, backend: &str) -> String {
        let mut out = String::new();
        let _ = writeln!(
            out,
            "# HELP koers_info Koers build and storage backend.\n# TYPE koers_info gauge"
        );
        let _ = writeln!(
            out,
            "koers_info{{version=\"{}\",backend=\"{backend}\"}} 1",
            env!("CARGO_PKG_VERSION")
        );
        let _ = writeln!(
            out,
            "# HELP koers_http_requests_total HTTP requests by method, route and status."
        );
        let _ = writeln!(out, "# TYPE koers_http_requests_total counter");
        if let Ok(r) = self.requests.lock() {
            for ((m, route, s), n) in r.iter() {
                let route = route.replace('\\', "\\\\").replace('"', "\\\"");
                let _ = writeln!(out, "koers_http_requests_total{{method=\"{m}\",route=\"{route}\",status=\"{s}\"}} {n}");
            }
        }
        let _ = writeln!(
            out,
            "# HELP koers_http_request_duration_seconds Time to answer a request."
        );
        let _ = writeln!(out, "# TYPE koers_http_request_duration_seconds histogram");
        for (i, bound) in BUCKETS.iter().enumerate() {
            let _ = writeln!(
                out,
                "koers_http_request_duration_seconds_bucket{{le=\"{bound}\"}} {}",
                self.buckets[i].load(Ordering::Relaxed)
            );
        }
        let count = self.count.load(Ordering::Relaxed);
        let _ = writeln!(
            out,
            "koers_http_request_duration_seconds_bucket{{le=\"+Inf\"}} {count}"
        );
        let _ = writeln!(
            out,
            "koers_http_request_duration_seconds_sum {}",
            self.sum_micros.load(Ordering::Relaxed) as f64 / 1e6
        );
        let _ = writeln!(out, "koers_http_request_duration_seconds_count {count}");
        let _ = writeln!(out, "# HELP koers_logins_total Login attempts by outcome.\n# TYPE koers_logins_total counter");
        let _ = writeln!(
            out,
            "koers_logins_total{{outcome=\"success\"}} {}",
            self.logins_succeeded.load(Ordering::Relaxed)
        );
        let _ = writeln!(
            out,
            "koers_logins_total{{outcome=\"failure\"}} {}",
            self.logins_failed.load(Ordering::Relaxed)
        );
        out
    }
}

/// Middleware: times every request, labelled by its route pattern (never the raw
/// path, which would let ids blow up the label set).
pub async fn track(State(state): State<crate::AppState>, req: Request, next: Next) -> Response {
    let route = req
        .extensions()
        .get::<MatchedPath>()
        .map(|p| p.as_str().to_owned())
        .unwrap_or_else(|| "unmatched".into());
    // Known methods only: any string is a valid method, and labels from arbitrary
    // ones would grow the metrics map without bound.
    let method = match *req.method() {
        Method::GET => "GET",
        Method::POST => "POST",
        Method::HEAD => "HEAD",
        Method::PUT => "PUT",
        Method::DELETE => "DELETE",
        Method::PATCH => "PATCH",
        Method::OPTIONS => "OPTIONS",
        _ => "OTHER",
    };
    let start = Instant::now();
    let res = next.run(req).await;
    state.metrics.observe(
        method,
        &route,
        res.status().as_u16(),
        start.elapsed().as_secs_f64(),
    );
    res
}
