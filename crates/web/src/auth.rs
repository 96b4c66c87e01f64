//! Passwords, tokens and the login rate limiter.
//!
//! Passwords are hashed with Argon2id (the OWASP-recommended default parameters) on a
//! blocking thread, so a burst of logins cannot stall the async workers. Session and
//! invitation tokens are random 256-bit values; only their SHA-256 is stored, so a
//! leaked database does not hand out live sessions.

use argon2::password_hash::{
    rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString,
};
use argon2::Argon2;
use base64::Engine;
use koers_core::account::LockoutPolicy;
use rand::RngCore;
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;

pub async fn hash_password(password: String) -> anyhow::Result<String> {
    tokio::task::spawn_blocking(move || {
        let salt = SaltString::generate(&mut OsRng);
        Argon2::default()
            .hash_password(password.as_bytes(), &salt)
            .map(|h| h.to_string())
            .map_err(|e| anyhow::anyhow!("hashing failed: {e}"))
    })
    .await?
}

/// Checks a password against a stored hash. A malformed stored hash counts as a
/// mismatch (and is logged), never as a crash.
pub async fn verify_password(password: String, hash: String) -> bool {
    tokio::task::spawn_blocking(move || match PasswordHash::new(&hash) {
        Ok(parsed) => Argon2::default()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok(),
        Err(e) => {
            tracing::error!("stored password hash unreadable: {e}");
            false
        }
    })
    .await
    .unwrap_or(false)
}

/// A hash of a random password, checked against when the e-mail address is unknown so
/// that response times do not reveal which addresses have accounts.
pub async fn dummy_hash() -> String {
    static DUMMY: tokio::sync::OnceCell<String> = tokio::sync::OnceCell::const_new();
    DUMMY
        .get_or_init(|| async { hash_password(new_token()).await.unwrap_or_default() })
        .await
        .clone()
}

/// A new random token, URL-safe.
pub fn new_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

pub fn token_hash(token: &str) -> String {
    let digest = Sha256::digest(token.as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// Constant-time comparison for tokens.
pub fn tokens_equal(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

/// Fixed-window attempt counter per key (a client address, unless told
/// otherwise), in memory only: addresses are never written to the database.
/// Truly bounded: a flood of distinct keys cannot grow it past its cap.
pub struct RateLimiter<K = IpAddr> {
    window_secs: i64,
    max_attempts: u32,
    max_tracked: usize,
    entries: Mutex<HashMap<K, (i64, u32)>>,
}

impl<K: std::hash::Hash + Eq + Copy> RateLimiter<K> {
    const MAX_TRACKED: usize = 100_000;

    pub fn new(window_secs: i64, max_attempts: u32) -> Self {
        Self::with_max_tracked(window_secs, max_attempts, Self::MAX_TRACKED)
    }

    /// A limiter that tracks at most `max_tracked` keys (tests use a small cap).
    pub fn with_max_tracked(window_secs: i64, max_attempts: u32, max_tracked: usize) -> Self {
        Self {
            window_secs,
            max_attempts,
            max_tracked: max_tracked.max(1),
            entries: Mutex::new(HashMap::new()),
        }
    }

    /// How many keys are tracked now.
    pub fn tracked(&self) -> usize {
        self.entries.lock().map_or(0, |e| e.len())
    }

    /// Records an attempt for `key`; false when the key is over its limit.
    pub fn allow_key(&self, key: K, now: i64) -> bool {
        let Ok(mut entries) = self.entries.lock() else {
            return true;
        };
        if entries.len() >= self.max_tracked && !entries.contains_key(&key) {
            let window = self.window_secs;
            entries.retain(|_, (start, _)| now - *start < window);
            // Every tracked key is inside its window (a flood of distinct
            // addresses): forget the eighth whose windows started first. Those
            // are the nearest to being forgotten anyway, and forgetting a batch
            // keeps this from running on every attempt of the flood.
            if entries.len() >= self.max_tracked {
                let mut by_start: Vec<(i64, K)> =
                    entries.iter().map(|(k, (start, _))| (*start, *k)).collect();
                let forget = (by_start.len() / 8).max(1);
                by_start.select_nth_unstable_by_key(forget - 1, |(start, _)| *start);
                for (_, k) in &by_start[..forget] {
                    entries.remove(k);
                }
            }
        }
        let entry = entries.entry(key).or_insert((now, 0));
        if now - entry.0 >= self.window_secs {
            *entry = (now, 0);
        }
        entry.1 = entry.1.saturating_add(1);
        entry.1 <= self.max_attempts
    }
}

impl RateLimiter<IpAddr> {
    /// Records an attempt from a client address; false when it is over its
    /// limit. IPv6 addresses count per /64 (see [`rate_key`]).
    pub fn allow(&self, addr: IpAddr, now: i64) -> bool {
        self.allow_key(rate_key(addr), now)
    }
}

/// The address a limit counts against. One IPv6 client usually holds a whole
/// /64 and can use a fresh address for every request, so IPv6 counts per /64;
/// an IPv4 address written as IPv6 (`::ffff:a.b.c.d`) counts as itself.
pub fn rate_key(addr: IpAddr) -> IpAddr {
    match addr {
        IpAddr::V4(_) => addr,
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => IpAddr::V4(v4),
            None => {
                let prefix = u128::from(v6) & !((1u128 << 64) - 1);
                IpAddr::V6(std::net::Ipv6Addr::from(prefix))
            }
        },
    }
}

/// Connections held open at once per client address (IPv6 per /64), such as
/// event streams: each takes a [`StreamPermit`] that gives its place back when
/// dropped. Only addresses with an open connection are tracked, so the map is
/// bounded by the open connections themselves.
pub struct ConnectionLimiter {
    max_open: u32,
    open: std::sync::Arc<Mutex<HashMap<IpAddr, u32>>>,
}

/// One open connection counted by a [`ConnectionLimiter`].
pub struct StreamPermit {
    addr: IpAddr,
    open: std::sync::Arc<Mutex<HashMap<IpAddr, u32>>>,
}

impl ConnectionLimiter {
    pub fn new(max_open: u32) -> Self {
        Self {
            max_open,
            open: std::sync::Arc::new(Mutex::new(HashMap::new())),
        }
    }

    /// A place for one more connection from this address, or none when it has
    /// as many open as allowed.
    pub fn acquire(&self, addr: IpAddr) -> Option<StreamPermit> {
        let addr = rate_key(addr);
        let mut open = self.open.lock().ok()?;
        let n = open.entry(addr).or_insert(0);
        if *n >= self.max_open {
            return None;
        }
        *n += 1;
        Some(StreamPermit {
            addr,
            open: self.open.clone(),
        })
    }

    /// How many connections this address has open now.
    pub fn open_from(&self, addr: IpAddr) -> u32 {
        self.open
            .lock()
            .ok()
            .and_then(|o| o.get(&rate_key(addr)).copied())
            .unwrap_or(0)
    }
}

impl Drop for StreamPermit {
    fn drop(&mut self) {
        if let Ok(mut open) = self.open.lock() {
            if let Some(n) = open.get_mut(&self.addr) {
                *n = n.saturating_sub(1);
                if *n == 0 {
                    open.remove(&self.addr);
                }
            }
        }
    }
}

/// Failed logins per (client address, e-mail address) pair, in memory only. After
/// [`LockoutPolicy::max_failures`] failures in a row from one address for one
/// e-mail address, that pair is refused for the lockout period, with the same
/// answer as a wrong password. The pair, not the account, is what is held back: a
/// person guessing elsewhere cannot lock the facilitator out of the room, and
/// addresses with and without an account behave alike, so the answer does not
/// tell which have one.
///
/// Truly bounded, like [`RateLimiter`]: a flood of distinct pairs cannot grow it past
/// its cap, and it forgets pairs that are held back only after all the others.
pub struct LoginThrottle {
    policy: LockoutPolicy,
    max_tracked: usize,
    entries: Mutex<HashMap<(IpAddr, String), ThrottleEntry>>,
}

#[derive(Debug, Clone, Copy)]
struct ThrottleEntry {
    failures: u32,
    last_failure: i64,
    locked_until: Option<i64>,
}

impl LoginThrottle {
    const MAX_TRACKED: usize = 100_000;
    /// Longest e-mail key kept; longer input is no address anyway.
    const MAX_KEY: usize = 254;

    pub fn new(policy: LockoutPolicy) -> Self {
        Self::with_max_tracked(policy, Self::MAX_TRACKED)
    }

    /// A throttle that tracks at most `max_tracked` pairs (tests use a small cap).
    pub fn with_max_tracked(policy: LockoutPolicy, max_tracked: usize) -> Self {
        Self {
            policy,
            max_tracked: max_tracked.max(1),
            entries: Mutex::new(HashMap::new()),
        }
    }

    /// How many pairs are tracked now.
    pub fn tracked(&self) -> usize {
        self.entries.lock().map_or(0, |e| e.len())
    }

    fn key(addr: IpAddr, email: &str) -> (IpAddr, String) {
        let email: String = email
            .trim()
            .to_lowercase()
            .chars()
            .take(Self::MAX_KEY)
            .collect();
        (addr, email)
    }

    /// Whether this pair is held back now.
    pub fn is_blocked(&self, addr: IpAddr, email: &str, now: i64) -> bool {
        let Ok(entries) = self.entries.lock() else {
            return false;
        };
        entries
            .get(&Self::key(addr, email))
            .is_some_and(|e| LockoutPolicy::is_locked(e.locked_until, now))
    }

    /// Counts a failure; true when it starts a lockout of the pair.
    pub fn record_failure(&self, addr: IpAddr, email: &str, now: i64) -> bool {
        let Ok(mut entries) = self.entries.lock() else {
            return false;
        };
        let window = self.policy.lockout_secs;
        let key = Self::key(addr, email);
        if entries.len() >= self.max_tracked && !entries.contains_key(&key) {
            entries.retain(|_, e| {
                now - e.last_failure < window || LockoutPolicy::is_locked(e.locked_until, now)
            });
            // Every tracked pair failed recently (a flood of distinct pairs): forget
            // the eighth that failed longest ago, pairs not held back before those
            // that are, so that flooding with fresh pairs does not lift a lockout
            // that is running. Forgetting a batch keeps this from running on every
            // failure of the flood.
            if entries.len() >= self.max_tracked {
                let mut by_age: Vec<(bool, i64, &(IpAddr, String))> = entries
                    .iter()
                    .map(|(k, e)| {
                        let locked = LockoutPolicy::is_locked(e.locked_until, now);
                        (locked, e.last_failure, k)
                    })
                    .collect();
                let forget = (by_age.len() / 8).max(1);
                by_age.select_nth_unstable_by_key(forget - 1, |(locked, last, _)| (*locked, *last));
                let forgotten: Vec<(IpAddr, String)> = by_age[..forget]
                    .iter()
                    .map(|(_, _, k)| (*k).clone())
                    .collect();
                for k in &forgotten {
                    entries.remove(k);
                }
            }
        }
        let entry = entries.entry(key).or_insert(ThrottleEntry {
            failures: 0,
            last_failure: now,
            locked_until: None,
        });
        // A lockout that has ended, or failures long ago, start the count afresh.
        let expired = entry.locked_until.is_some_and(|t| t <= now);
        if expired || now - entry.last_failure >= window {
            *entry = ThrottleEntry {
                failures: 0,
                last_failure: now,
                locked_until: None,
            };
        }
        entry.failures = entry.failures.saturating_add(1);
        entry.last_failure = now;
        entry.locked_until = self.policy.locked_until(entry.failures, now);
        entry.locked_until.is_some()
    }

    /// A successful login from this address clears its count.
    pub fn record_success(&self, addr: IpAddr, email: &str) {
        if let Ok(mut entries) = self.entries.lock() {
            entries.remove(&Self::key(addr, email));
        }
    }
}

/// The client's address for rate limiting. Behind trusted proxies, the right-most
/// `X-Forwarded-For` entry that is not itself a trusted proxy (entries further left
/// can be forged by the client); otherwise the connection's peer. Never stored.
pub fn client_addr(peer: IpAddr, headers: &axum::http::HeaderMap, trusted: &[IpAddr]) -> IpAddr {
    if !trusted.contains(&peer) {
        return peer;
    }
    let forwarded: Vec<IpAddr> = headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .filter_map(|a| a.trim().parse().ok())
        .collect();
    forwarded
        .into_iter()
        .rev()
        .find(|a| !trusted.contains(a))
        .unwrap_or(peer)
}
