//! Configuration: one serde struct with defaults in code, layered
//! defaults → file → `KOERS_…` environment → command-line flags. Unknown keys are
//! errors that name the key, at every layer, because a misspelt setting that is
//! silently ignored is worse than one that stops the start.

use koers_core::anonymity::{AnonymityError, AnonymityRule, MinGroupSize};
use serde::{Deserialize, Serialize};
use std::path::PathBuf;

#[derive(Debug, Clone, Serialize, Deserialize, Default)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    pub general: GeneralConfig,
    pub server: ServerConfig,
    pub log: LogConfig,
    pub security: SecurityConfig,
    pub privacy: PrivacyConfig,
    pub theme: ThemeConfig,
    pub mail: MailConfig,
    /// Scan (issue 10).
    pub scan: ScanConfig,
}

// --- scan: waves ---
/// Scan's settings.
#[derive(Debug, Clone, Serialize, Deserialize, Default)]
#[serde(default, deny_unknown_fields)]
pub struct ScanConfig {
    /// A directory of extra assessment model files (`*.toml`), next to the models
    /// built into Koers. Empty: only the built-in models.
    pub models_dir: PathBuf,
}
// --- end scan: waves ---

/// Settings about the organisation(s) this Koers serves as a whole.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct GeneralConfig {
    /// The IANA time zone every time on a page is shown in (exports keep their
    /// documented formats). One per installation: Koers serves Dutch and Belgian
    /// public organisations, who share a zone.
    pub time_zone: String,
}

impl Default for GeneralConfig {
    fn default() -> Self {
        Self {
            time_zone: "Europe/Amsterdam".into(),
        }
    }
}

#[derive(Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ServerConfig {
    pub listen: String,
    pub data_dir: PathBuf,
    /// Empty: the embedded SQLite database in `data_dir`.
    pub database_url: String,
    /// The address people use to reach Koers, e.g. `https://koers.voorbeeld.nl`.
    /// With `https`, cookies are marked Secure and this origin is accepted on forms.
    pub public_url: String,
    pub max_body_bytes: usize,
    /// Addresses of reverse proxies in front of Koers. Only from these is
    /// `X-Forwarded-For` believed, for the per-address rate limits; otherwise every
    /// participant behind the proxy would share one limit.
    pub trusted_proxies: Vec<String>,
    /// When set, `/metrics` answers only requests with `Authorization: Bearer <token>`.
    pub metrics_token: String,
    /// Host names (optionally `name:port`) that links leaving the browser
    /// (invitations, join links, QR codes) may be built from when `public_url` is
    /// empty. The request's `Host` header is the client's to choose, so a link is
    /// built from it only when it is on this list, the loopback names or the
    /// listen address; otherwise from the listen address.
    pub allowed_hosts: Vec<String>,
    /// Anonymous page requests being answered at once beyond which more get 503
    /// with `Retry-After` instead of queueing: past capacity the server sheds load
    /// rather than slow everyone down. `/healthz`, logged-in users (the
    /// facilitator's console), form posts and event streams are never shed.
    pub max_requests_in_flight: usize,
    /// Live votes that may wait to be written. A vote that finds the queue full
    /// is answered 503 at once (its page sends it again) instead of waiting.
    pub vote_queue: usize,
    /// Seconds a live session's room stays in memory with no request and no
    /// event stream; then it is evicted (and reloaded on the next request).
    pub live_room_idle_secs: u64,
}

impl std::fmt::Debug for ServerConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ServerConfig")
            .field("listen", &self.listen)
            .field("data_dir", &self.data_dir)
            .field("database_url", &redact_url(&self.database_url))
            .field("public_url", &self.public_url)
            .field("max_body_bytes", &self.max_body_bytes)
            .field("trusted_proxies", &self.trusted_proxies)
            .field(
                "metrics_token",
                &if self.metrics_token.is_empty() {
                    ""
                } else {
                    "***"
                },
            )
            .field("allowed_hosts", &self.allowed_hosts)
            .field("max_requests_in_flight", &self.max_requests_in_flight)
            .field("vote_queue", &self.vote_queue)
            .field("live_room_idle_secs", &self.live_room_idle_secs)
            .finish()
    }
}

/// Hides the password in a database URL for logs.
pub fn redact_url(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(s), Some(at)) if at > s => {
            let creds = &url[s + 3..at];
            match creds.split_once(':') {
                Some((user, _)) => format!("{}{user}:***{}", &url[..s + 3], &url[at..]),
                None => url.to_owned(),
            }
        }
        _ => url.to_owned(),
    }
}

impl Default for ServerConfig {
    fn default() -> Self {
        Self {
            listen: "127.0.0.1:8080".into(),
            data_dir: PathBuf::from("./koers-data"),
            database_url: String::new(),
            public_url: String::new(),
            max_body_bytes: 2 * 1024 * 1024,
            trusted_proxies: Vec::new(),
            metrics_token: String::new(),
            allowed_hosts: Vec::new(),
            max_requests_in_flight: 256,
            vote_queue: 512,
            live_room_idle_secs: 600,
        }
    }
}

#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq, Default)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    #[default]
    Text,
    Json,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct LogConfig {
    pub format: LogFormat,
    /// A tracing filter, e.g. `info` or `koers_web=debug,info`.
    pub level: String,
}

impl Default for LogConfig {
    fn default() -> Self {
        Self {
            format: LogFormat::Text,
            level: "info".into(),
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SecurityConfig {
    pub session_days: u32,
    pub login_max_failures: u32,
    pub lockout_minutes: u32,
    /// Login attempts allowed per client address per 5 minutes (kept in memory only).
    pub login_attempts_per_address: u32,
    pub invitation_days: u32,
    /// Session joins per client address per minute. A whole room on one Wi-Fi shares
    /// an address, so this is generous; it stops scripts, not rooms.
    pub joins_per_address_per_minute: u32,
    /// Joins of one session per minute, from all addresses together: one client
    /// with many addresses cannot fill a session with made-up participants.
    pub joins_per_session_per_minute: u32,
    /// Join codes that lead nowhere, per client address per minute: someone
    /// mistypes a few times, a script walking the code space is stopped.
    pub unknown_codes_per_address_per_minute: u32,
    /// Statements one participant may submit per minute.
    pub statements_per_participant_per_minute: u32,
    /// Live event streams (projector, participants' phones) open at once per
    /// client address; each holds a connection and a subscription.
    pub event_streams_per_address: u32,
}

impl Default for SecurityConfig {
    fn default() -> Self {
        Self {
            session_days: 14,
            login_max_failures: 5,
            lockout_minutes: 15,
            login_attempts_per_address: 30,
            invitation_days: 14,
            joins_per_address_per_minute: 600,
            joins_per_session_per_minute: 300,
            unknown_codes_per_address_per_minute: 120,
            statements_per_participant_per_minute: 10,
            event_streams_per_address: 200,
        }
    }
}

/// The anonymity rule every part applies to figures about part of the room (a
/// perspective, an opinion group). Plain numbers here, checked by
/// [`Config::validate`] through the core's own rule, so that the error can name the
/// setting; [`Config::anonymity`] hands the parts the checked rule.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct PrivacyConfig {
    /// The least number of people behind any figure that is shown or exported.
    pub min_group_size: u32,
    /// The same for free text (quotes, comments); never below `min_group_size`.
    pub min_group_size_free_text: u32,
}

impl Default for PrivacyConfig {
    fn default() -> Self {
        Self {
            min_group_size: AnonymityRule::DEFAULT.figures().get(),
            min_group_size_free_text: AnonymityRule::DEFAULT.free_text().get(),
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, Default)]
#[serde(default, deny_unknown_fields)]
pub struct ThemeConfig {
    /// Path to an NL Design System theme stylesheet (design tokens as CSS custom
    /// properties). Served at `/theme.css` after Koers's own defaults.
    pub stylesheet: String,
    /// The class the theme scopes its tokens to (e.g. `utrecht-theme`), set on `<body>`.
    pub class: String,
}

// --- mail ---
/// Outgoing e-mail (invitations, reminders, password resets). Without `smtp_url`
/// Koers sends no e-mail and shows every link to copy instead. Checked by
/// [`crate::mail::SmtpSettings::parse`].
#[derive(Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct MailConfig {
    /// `smtp://host:port` (plain; add `?tls=required` for STARTTLS, or
    /// `?tls=opportunistic`), or `smtps://host:port` (TLS from the start). A user
    /// name and password may be in the URL (percent-encoded) or below.
    pub smtp_url: String,
    pub user: String,
    pub password: String,
    /// The sender, e.g. `Koers <koers@gemeente.nl>`; required with `smtp_url`.
    pub from: String,
    /// Seconds to wait for the SMTP server at each step.
    pub timeout_secs: u64,
}

impl Default for MailConfig {
    fn default() -> Self {
        Self {
            smtp_url: String::new(),
            user: String::new(),
            password: String::new(),
            from: String::new(),
            timeout_secs: 10,
        }
    }
}

impl std::fmt::Debug for MailConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MailConfig")
            .field("smtp_url", &redact_url(&self.smtp_url))
            .field("user", &self.user)
            .field(
                "password",
                &if self.password.is_empty() { "" } else { "***" },
            )
            .field("from", &self.from)
            .field("timeout_secs", &self.timeout_secs)
            .finish()
    }
}
// --- end mail ---

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("configuratiebestand {path} niet te lezen / cannot read config file: {source}")]
    Read {
        path: String,
        source: std::io::Error,
    },
    #[error("configuratiebestand {path} / config file: {message}")]
    Parse { path: String, message: String },
    #[error("onbekende instelling / unknown setting `{0}`")]
    UnknownKey(String),
    #[error("ongeldige waarde voor / invalid value for `{key}`: {message}")]
    InvalidValue { key: String, message: String },
}

/// Environment variables that are shortcuts for common settings.
const ENV_SHORTCUTS: &[(&str, &str)] = &[
    ("KOERS_DATA_DIR", "server.data_dir"),
    ("KOERS_DATABASE_URL", "server.database_url"),
    ("KOERS_LISTEN", "server.listen"),
    ("KOERS_PUBLIC_URL", "server.public_url"),
    ("KOERS_LOG_FORMAT", "log.format"),
    ("KOERS_LOG", "log.level"),
];

/// Environment variables read elsewhere, not settings: the config file's path, and
/// the test harness's own.
fn is_reserved_env(name: &str) -> bool {
    name == "KOERS_CONFIG" || name.starts_with("KOERS_TEST_")
}

impl Config {
    /// Parses a TOML config file's text.
    pub fn from_toml(path: &str, text: &str) -> Result<Self, ConfigError> {
        toml::from_str(text).map_err(|e| ConfigError::Parse {
            path: path.to_owned(),
            message: e.message().to_owned(),
        })
    }

    pub fn from_file(path: &std::path::Path) -> Result<Self, ConfigError> {
        let p = path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Read {
            path: p.clone(),
            source,
        })?;
        Self::from_toml(&p, &text)
    }

    /// Applies `KOERS_…` variables: the shortcuts above, and `KOERS_SECTION__KEY` for
    /// any setting. Any other `KOERS_` variable is an error that names it.
    pub fn apply_env(
        &mut self,
        vars: impl IntoIterator<Item = (String, String)>,
    ) -> Result<(), ConfigError> {
        for (name, value) in vars {
            if !name.starts_with("KOERS_") || is_reserved_env(&name) {
                continue;
            }
            if let Some((_, key)) = ENV_SHORTCUTS.iter().find(|(n, _)| *n == name) {
                self.set(key, &value)?;
                continue;
            }
            let rest = &name["KOERS_".len()..];
            let Some((section, key)) = rest.split_once("__") else {
                return Err(ConfigError::UnknownKey(name));
            };
            let dotted = format!("{}.{}", section.to_lowercase(), key.to_lowercase());
            self.set(&dotted, &value).map_err(|e| match e {
                ConfigError::UnknownKey(_) => ConfigError::UnknownKey(name.clone()),
                other => other,
            })?;
        }
        Ok(())
    }

    /// Sets one setting by its dotted name from a string, as the environment and
    /// flags give them.
    pub fn set(&mut self, key: &str, value: &str) -> Result<(), ConfigError> {
        fn num<T: std::str::FromStr>(key: &str, v: &str) -> Result<T, ConfigError> {
            v.trim().parse().map_err(|_| ConfigError::InvalidValue {
                key: key.to_owned(),
                message: format!("`{v}` is geen geheel getal / is not a whole number"),
            })
        }
        let v = value.to_owned();
        match key {
            "server.listen" => self.server.listen = v,
            "server.data_dir" => self.server.data_dir = PathBuf::from(v),
            "server.database_url" => self.server.database_url = v,
            "server.public_url" => self.server.public_url = v,
            "server.max_body_bytes" => self.server.max_body_bytes = num(key, value)?,
            "server.metrics_token" => self.server.metrics_token = v,
            "server.vote_queue" => self.server.vote_queue = num(key, value)?,
            "server.live_room_idle_secs" => self.server.live_room_idle_secs = num(key, value)?,
            "server.max_requests_in_flight" => {
                self.server.max_requests_in_flight = num(key, value)?
            }
            "server.trusted_proxies" => {
                self.server.trusted_proxies = value
                    .split(',')
                    .map(str::trim)
                    .filter(|p| !p.is_empty())
                    .map(str::to_owned)
                    .collect()
            }
            "server.allowed_hosts" => {
                self.server.allowed_hosts = value
                    .split(',')
                    .map(str::trim)
                    .filter(|h| !h.is_empty())
                    .map(str::to_owned)
                    .collect()
            }
            "log.format" => {
                self.log.format = match value.trim() {
                    "text" => LogFormat::Text,
                    "json" => LogFormat::Json,
                    other => {
                        return Err(ConfigError::InvalidValue {
                            key: key.into(),
                            message: format!("`{other}`: kies / choose text|json"),
                        })
                    }
                }
            }
            "log.level" => self.log.level = v,
            "security.session_days" => self.security.session_days = num(key, value)?,
            "security.login_max_failures" => self.security.login_max_failures = num(key, value)?,
            "security.lockout_minutes" => self.security.lockout_minutes = num(key, value)?,
            "security.login_attempts_per_address" => {
                self.security.login_attempts_per_address = num(key, value)?
            }
            "security.invitation_days" => self.security.invitation_days = num(key, value)?,
            "security.joins_per_address_per_minute" => {
                self.security.joins_per_address_per_minute = num(key, value)?
            }
            "security.joins_per_session_per_minute" => {
                self.security.joins_per_session_per_minute = num(key, value)?
            }
            "security.unknown_codes_per_address_per_minute" => {
                self.security.unknown_codes_per_address_per_minute = num(key, value)?
            }
            "security.statements_per_participant_per_minute" => {
                self.security.statements_per_participant_per_minute = num(key, value)?
            }
            "security.event_streams_per_address" => {
                self.security.event_streams_per_address = num(key, value)?
            }
            "privacy.min_group_size" => self.privacy.min_group_size = num(key, value)?,
            "privacy.min_group_size_free_text" => {
                self.privacy.min_group_size_free_text = num(key, value)?
            }
            "theme.stylesheet" => self.theme.stylesheet = v,
            "theme.class" => self.theme.class = v,
            "general.time_zone" => self.general.time_zone = v,
            // --- mail ---
            "mail.smtp_url" => self.mail.smtp_url = v,
            "mail.user" => self.mail.user = v,
            "mail.password" => self.mail.password = v,
            "mail.from" => self.mail.from = v,
            "mail.timeout_secs" => self.mail.timeout_secs = num(key, value)?,
            // --- end mail ---
            "scan.models_dir" => self.scan.models_dir = PathBuf::from(v),
            _ => return Err(ConfigError::UnknownKey(key.to_owned())),
        }
        Ok(())
    }

    /// Checks values that parse but make no sense, before anything starts.
    /// The configured time zone, from the tz database bundled in the binary.
    pub fn time_zone(&self) -> Result<jiff::tz::TimeZone, ConfigError> {
        jiff::tz::db()
            .get(self.general.time_zone.trim())
            .map_err(|_| ConfigError::InvalidValue {
                key: "general.time_zone".into(),
                message: format!(
                    "`{}` is geen tijdzone / is not a time zone (e.g. Europe/Amsterdam)",
                    self.general.time_zone
                ),
            })
    }

    pub fn validate(&self) -> Result<(), ConfigError> {
        self.time_zone()?;
        let invalid = |key: &str, message: &str| ConfigError::InvalidValue {
            key: key.into(),
            message: message.into(),
        };
        if self.server.listen.parse::<std::net::SocketAddr>().is_err() {
            return Err(invalid(
                "server.listen",
                &format!(
                    "`{}` is geen HOST:PORT / is not HOST:PORT (e.g. 127.0.0.1:8080)",
                    self.server.listen
                ),
            ));
        }
        let url = &self.server.database_url;
        if !(url.is_empty()
            || url.starts_with("postgres://")
            || url.starts_with("postgresql://")
            || url.starts_with("sqlite://"))
        {
            return Err(invalid(
                "server.database_url",
                "gebruik / use postgres://… or sqlite://…",
            ));
        }
        let public = &self.server.public_url;
        if !(public.is_empty() || public.starts_with("http://") || public.starts_with("https://")) {
            return Err(invalid(
                "server.public_url",
                "moet beginnen met / must start with http:// or https://",
            ));
        }
        if let Some(bad) = self
            .server
            .trusted_proxies
            .iter()
            .find(|p| p.parse::<std::net::IpAddr>().is_err())
        {
            return Err(invalid(
                "server.trusted_proxies",
                &format!("`{bad}` is geen IP-adres / is not an IP address"),
            ));
        }
        if let Some(bad) = self.server.allowed_hosts.iter().find(|h| {
            h.contains(['/', '@', '\\', ' ']) || h.parse::<axum::http::uri::Authority>().is_err()
        }) {
            return Err(invalid(
                "server.allowed_hosts",
                &format!(
                    "`{bad}` is geen hostnaam (met poort) / is not a host name (with port), e.g. koers.intranet or koers.intranet:8080"
                ),
            ));
        }
        if self.server.live_room_idle_secs == 0 {
            return Err(invalid(
                "server.live_room_idle_secs",
                "minimaal / at least 1",
            ));
        }
        if self.server.vote_queue == 0 {
            return Err(invalid("server.vote_queue", "minimaal / at least 1"));
        }
        if self.server.max_requests_in_flight == 0 {
            return Err(invalid(
                "server.max_requests_in_flight",
                "minimaal / at least 1",
            ));
        }
        if self.server.max_body_bytes < 1024 {
            return Err(invalid("server.max_body_bytes", "minimaal / at least 1024"));
        }
        if self.security.session_days == 0
            || self.security.login_max_failures == 0
            || self.security.invitation_days == 0
            || self.security.joins_per_session_per_minute == 0
            || self.security.statements_per_participant_per_minute == 0
            || self.security.event_streams_per_address == 0
        {
            return Err(invalid(
                "security",
                "waarden moeten groter dan 0 zijn / values must be above 0",
            ));
        }
        self.checked_anonymity()?;
        crate::mail::SmtpSettings::parse(&self.mail)?;
        Ok(())
    }

    /// The configured anonymity rule, checked by the core's rule, or the setting
    /// that breaks it.
    fn checked_anonymity(&self) -> Result<AnonymityRule, ConfigError> {
        const FIGURES: &str = "privacy.min_group_size";
        const FREE_TEXT: &str = "privacy.min_group_size_free_text";
        let p = &self.privacy;
        let size = |key: &str, n: u32| {
            MinGroupSize::new(n).map_err(|e| ConfigError::InvalidValue {
                key: key.into(),
                message: match e {
                    AnonymityError::BelowFloor { floor, .. } => format!(
                        "{n} is te klein, minimaal {floor}: in kleinere groepen kunnen \
                         deelnemers elkaars antwoorden afleiden / {n} is too small, at least \
                         {floor}: in smaller groups participants can work out each other's \
                         answers"
                    ),
                    other => other.to_string(),
                },
            })
        };
        let figures = size(FIGURES, p.min_group_size)?;
        let free_text = size(FREE_TEXT, p.min_group_size_free_text)?;
        AnonymityRule::new(figures, free_text).map_err(|_| ConfigError::InvalidValue {
            key: FREE_TEXT.into(),
            message: format!(
                "{t} is kleiner dan {FIGURES} ({f}): vrije tekst vraagt minstens even grote \
                 groepen als cijfers / {t} is below {FIGURES} ({f}): free text needs groups at \
                 least as large as figures do",
                t = p.min_group_size_free_text,
                f = p.min_group_size,
            ),
        })
    }

    /// The anonymity rule every part applies to figures per perspective or opinion
    /// group. [`Config::validate`] refuses a configuration that breaks the rule
    /// before anything starts; should an unvalidated one get here anyway, each
    /// threshold is raised to what the rule allows, never lowered, so the result is
    /// at least as strict as what was asked.
    pub fn anonymity(&self) -> AnonymityRule {
        self.checked_anonymity().unwrap_or_else(|_| {
            let p = &self.privacy;
            let figures = p.min_group_size.max(MinGroupSize::FLOOR);
            let free_text = p.min_group_size_free_text.max(figures);
            MinGroupSize::new(figures)
                .and_then(|f| MinGroupSize::new(free_text).map(|t| (f, t)))
                .and_then(|(f, t)| AnonymityRule::new(f, t))
                .unwrap_or(AnonymityRule::DEFAULT)
        })
    }

    /// The proxies whose `X-Forwarded-For` is believed (validated at start).
    pub fn trusted_proxy_addrs(&self) -> Vec<std::net::IpAddr> {
        self.server
            .trusted_proxies
            .iter()
            .filter_map(|p| p.parse().ok())
            .collect()
    }

    /// Whether links may be built from this `Host` header (see
    /// [`ServerConfig::allowed_hosts`]): one of the configured hosts (any port when
    /// the entry has none), a loopback name, or the listen address itself.
    pub fn host_allowed(&self, host: &str) -> bool {
        let Ok(authority) = host.parse::<axum::http::uri::Authority>() else {
            return false;
        };
        if host.contains('@') {
            return false;
        }
        let name = authority.host().to_ascii_lowercase();
        let listen_host = self
            .server
            .listen
            .parse::<std::net::SocketAddr>()
            .ok()
            .map(|a| match a.ip() {
                std::net::IpAddr::V6(ip) => format!("[{ip}]"),
                std::net::IpAddr::V4(ip) => ip.to_string(),
            });
        let loopback = ["localhost", "127.0.0.1", "[::1]"];
        if loopback.contains(&name.as_str()) || listen_host.as_deref() == Some(name.as_str()) {
            return true;
        }
        self.server.allowed_hosts.iter().any(|entry| {
            let entry = entry.to_ascii_lowercase();
            if entry.contains(':') && !entry.ends_with(']') {
                entry == host.to_ascii_lowercase()
            } else {
                entry == name
            }
        })
    }

    pub fn secure_cookies(&self) -> bool {
        self.server.public_url.starts_with("https://")
    }
}

/// The documented example printed by `koers default-config`.
pub const DEFAULT_CONFIG_TOML: &str = include_str!("../../../docs/koers.example.toml");
