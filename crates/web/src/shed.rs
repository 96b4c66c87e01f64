//! Load shedding: past capacity the server answers "busy, try again in a second"
//! at once instead of letting every request wait behind all the others. A room of
//! thousands of phones then sees some pages retry by themselves, while `/healthz`,
//! the facilitator's console and every vote that was accepted keep their pace.
//!
//! Only anonymous page requests (GET and HEAD) are shed: they are cheap to repeat
//! and the busy page repeats them by itself. Form posts are never shed here, since
//! turning one away would lose what the user chose; the vote queue sheds votes
//! itself, with a page that resends the same choice. Event streams are never shed
//! either: a browser's `EventSource` does not reconnect after an error status.

use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};

use axum::http::{header, Method, Request};

/// Requests being answered now, and how many were turned away.
#[derive(Debug, Default)]
pub struct Load {
    in_flight: AtomicUsize,
    shed: AtomicU64,
}

/// Holds one place among the requests in flight; gives it back when dropped.
pub struct Admitted<'a>(&'a Load);

impl Drop for Admitted<'_> {
    fn drop(&mut self) {
        self.0.in_flight.fetch_sub(1, Ordering::AcqRel);
    }
}

impl Load {
    /// Takes a place, unless `limit` requests are in flight already.
    pub fn admit(&self, limit: usize) -> Option<Admitted<'_>> {
        let before = self.in_flight.fetch_add(1, Ordering::AcqRel);
        if before >= limit {
            self.in_flight.fetch_sub(1, Ordering::AcqRel);
            self.shed.fetch_add(1, Ordering::Relaxed);
            return None;
        }
        Some(Admitted(self))
    }

    pub fn in_flight(&self) -> usize {
        self.in_flight.load(Ordering::Relaxed)
    }

    /// Requests answered "busy" since the start.
    pub fn shed_total(&self) -> u64 {
        self.shed.load(Ordering::Relaxed)
    }
}

/// Whether a request may be turned away when the server is busy: an anonymous
/// page request that is not a health check, a static file or an event stream.
pub fn sheddable<B>(req: &Request<B>, logged_in: bool) -> bool {
    if logged_in || !matches!(*req.method(), Method::GET | Method::HEAD) {
        return false;
    }
    let path = req.uri().path();
    if path.starts_with("/static/")
        || matches!(path, "/healthz" | "/readyz" | "/metrics" | "/theme.css")
    {
        return false;
    }
    !req.headers()
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|a| a.contains("text/event-stream"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn admits_up_to_the_limit_and_gives_places_back() {
        let load = Load::default();
        let a = load.admit(2).expect("first");
        let b = load.admit(2).expect("second");
        assert!(load.admit(2).is_none(), "a third is turned away");
        assert_eq!(load.shed_total(), 1);
        drop(a);
        let c = load.admit(2).expect("a place was given back");
        drop((b, c));
        assert_eq!(load.in_flight(), 0);
    }

    #[test]
    fn only_anonymous_page_requests_are_shed() {
        let get = |path: &str| Request::get(path).body(()).unwrap();
        assert!(sheddable(&get("/s/ABCDEF/nu"), false));
        assert!(!sheddable(&get("/s/ABCDEF/nu"), true), "logged in");
        assert!(!sheddable(&get("/healthz"), false));
        assert!(!sheddable(&get("/static/koers.css"), false));
        let post = Request::post("/s/ABCDEF/stem").body(()).unwrap();
        assert!(!sheddable(&post, false), "a form post keeps its choice");
        let events = Request::get("/s/ABCDEF/events")
            .header(header::ACCEPT, "text/event-stream")
            .body(())
            .unwrap();
        assert!(
            !sheddable(&events, false),
            "EventSource does not retry a 503"
        );
    }
}
