//! Outgoing e-mail over SMTP: invitations, reminders, password resets, alerts.
//!
//! # API (what parts code against)
//!
//! ```ignore
//! use koers_web::mail::{Mail, MailOutcome};
//!
//! // 1. Commit the database change first. 2. Then, if mail is configured, send:
//! let mail = Mail::bilingual(to, "my-mail-subject", "my-mail-body", &[("link", link.into())]);
//! match state.send_mail(mail).await {
//!     MailOutcome::Sent => { /* say "sent to …" */ }
//!     MailOutcome::Failed => { /* logged already; show the link to copy and
//!                                 c.t(MailOutcome::FAILED_KEY) */ }
//!     MailOutcome::NotConfigured => { /* show the link to copy, as without mail */ }
//! }
//! ```
//!
//! - [`Mail`] `{ to: Email, subject: String, text: String }`: one plain-text
//!   (UTF-8) message to one recipient. [`Mail::bilingual`] builds one from two
//!   Fluent keys, Dutch first, then English, in one message.
//! - [`crate::AppState::mailer`] `-> Option<&Mailer>`: `None` when `[mail]` is not
//!   configured (no `smtp_url`).
//! - [`Mailer::send`] `(&self, Mail) -> Result<(), MailError>`: one SMTP
//!   conversation, bounded by `mail.timeout_secs` (default 10 s) end to end.
//! - [`crate::AppState::send_mail`] `(&self, Mail) -> MailOutcome`: the usual way;
//!   sends if configured and logs a failure (without the message text, which holds
//!   a secret link). [`MailOutcome::FAILED_KEY`] is the shell's Fluent key for
//!   "de e-mail kon niet worden verstuurd; kopieer de link".
//!
//! Rules: send only after the store write has committed; a failed mail never undoes
//! or hides the stored change (the page says so and shows the link to copy). Every
//! message has `From` (from config), `To`, `Subject`, `Date`, a `Message-ID` on the
//! sender's domain, and no tracking of any kind (no pixels, no rewritten links, no
//! HTML part).
//!
//! Configuration (`[mail]` in `config.rs`, parsed here by [`SmtpSettings::parse`]):
//! `smtp_url` = `smtp://host:port` (plain; `?tls=required` for STARTTLS, or
//! `?tls=opportunistic`) or `smtps://host:port` (TLS from the start); credentials
//! in the URL or as `user`/`password`; `from` = `"Koers <koers@example.nl>"`;
//! `timeout_secs`. TLS needs the cargo feature `mail-tls` (the binary has it).

use crate::config::{ConfigError, MailConfig};
use crate::i18n::{default_time_zone, FluentValue, Locale, Tr};
use koers_core::Email;
use lettre::message::header::ContentType;
use lettre::message::Mailbox;
use lettre::transport::smtp::authentication::Credentials;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use std::time::Duration;

/// One plain-text message to one person.
#[derive(Debug, Clone)]
pub struct Mail {
    pub to: Email,
    pub subject: String,
    /// The body, plain UTF-8 text; lines end in `\n` (SMTP's CRLF is added on sending).
    pub text: String,
}

impl Mail {
    /// A message in both languages from two Fluent keys, Dutch first: the subject
    /// as "Dutch / English" (once if both are the same), the body as the Dutch
    /// text, a separator line, the English text. The same `args` in both.
    pub fn bilingual(
        to: Email,
        subject_key: &str,
        body_key: &str,
        args: &[(&str, FluentValue<'_>)],
    ) -> Self {
        Self::bilingual_with(to, &default_time_zone(), subject_key, body_key, |_| {
            args.to_vec()
        })
    }

    /// As [`Mail::bilingual`], with arguments made per language (a role's name, a
    /// date through [`Tr::date`]) by `args`, which gets each language's translator
    /// in `time_zone` (pass [`crate::AppState::time_zone`]).
    pub fn bilingual_with<'a>(
        to: Email,
        time_zone: &jiff::tz::TimeZone,
        subject_key: &str,
        body_key: &str,
        args: impl Fn(&Tr) -> Vec<(&'a str, FluentValue<'a>)>,
    ) -> Self {
        let nl = Tr::new(Locale::Nl).with_time_zone(time_zone.clone());
        let en = Tr::new(Locale::En).with_time_zone(time_zone.clone());
        let (nl_args, en_args) = (args(&nl), args(&en));
        let (s_nl, s_en) = (
            nl.t_with(subject_key, &nl_args),
            en.t_with(subject_key, &en_args),
        );
        let subject = if s_nl == s_en {
            s_nl
        } else {
            format!("{s_nl} / {s_en}")
        };
        let text = format!(
            "{}\n\n-- English --\n\n{}\n",
            nl.t_with(body_key, &nl_args).trim_end(),
            en.t_with(body_key, &en_args).trim_end()
        );
        Self { to, subject, text }
    }
}

/// Why a message was not handed to the SMTP server.
#[derive(Debug, thiserror::Error)]
pub enum MailError {
    #[error("ongeldig e-mailadres / invalid e-mail address `{0}`")]
    Address(String),
    #[error("bericht niet op te bouwen / cannot build the message: {0}")]
    Build(String),
    #[error("SMTP-server weigert of is onbereikbaar / SMTP server refused or unreachable: {0}")]
    Smtp(String),
    #[error("SMTP-server antwoordt niet binnen {0} s / SMTP server did not answer within {0} s")]
    Timeout(u64),
}

/// What became of a message sent through [`crate::AppState::send_mail`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MailOutcome {
    /// `[mail]` is not configured: nothing was sent; show the link to copy.
    NotConfigured,
    /// The SMTP server accepted the message.
    Sent,
    /// Sending failed (and was logged); show the link to copy and
    /// [`MailOutcome::FAILED_KEY`].
    Failed,
}

impl MailOutcome {
    /// The shell's Fluent key for "the e-mail could not be sent; copy the link".
    pub const FAILED_KEY: &'static str = "mail-failed";
}

/// How the connection to the SMTP server is secured.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SmtpSecurity {
    /// `smtp://`: plain text (for a relay on the same host or network).
    Plain,
    /// `smtp://…?tls=opportunistic`: STARTTLS when the server offers it.
    StartTlsOpportunistic,
    /// `smtp://…?tls=required`: STARTTLS, or no mail at all.
    StartTlsRequired,
    /// `smtps://`: TLS from the first byte.
    Tls,
}

/// `[mail]` checked: what a [`Mailer`] is built from.
#[derive(Clone)]
pub struct SmtpSettings {
    pub host: String,
    pub port: u16,
    pub security: SmtpSecurity,
    pub user: Option<String>,
    password: Option<String>,
    pub from: Mailbox,
    pub timeout: Duration,
}

impl std::fmt::Debug for SmtpSettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SmtpSettings")
            .field("host", &self.host)
            .field("port", &self.port)
            .field("security", &self.security)
            .field("user", &self.user)
            .field("password", &self.password.as_ref().map(|_| "***"))
            .field("from", &self.from.to_string())
            .field("timeout", &self.timeout)
            .finish()
    }
}

fn invalid(key: &str, message: impl Into<String>) -> ConfigError {
    ConfigError::InvalidValue {
        key: key.into(),
        message: message.into(),
    }
}

fn percent_decoded(s: &str) -> String {
    percent_encoding::percent_decode_str(s)
        .decode_utf8_lossy()
        .into_owned()
}

impl SmtpSettings {
    /// Checks `[mail]`: `None` when `smtp_url` is empty (no mail); otherwise the
    /// settings, or an error that names the setting.
    pub fn parse(c: &MailConfig) -> Result<Option<Self>, ConfigError> {
        const URL: &str = "mail.smtp_url";
        let raw = c.smtp_url.trim();
        if raw.is_empty() {
            if !c.from.trim().is_empty() || !c.user.is_empty() || !c.password.is_empty() {
                return Err(invalid(
                    URL,
                    "leeg, maar andere [mail]-instellingen zijn gezet: zonder smtp_url wordt \
                     geen e-mail verstuurd / empty while other [mail] settings are set: without \
                     smtp_url no e-mail is sent",
                ));
            }
            return Ok(None);
        }
        let example = "(bijv. / e.g. smtp://mail.example.nl:25, smtp://mail.example.nl:587?tls=required, smtps://mail.example.nl:465)";
        let url = url::Url::parse(raw).map_err(|e| {
            invalid(
                URL,
                format!("geen geldige URL / not a valid URL: {e} {example}"),
            )
        })?;
        let query: Vec<(String, String)> = url
            .query_pairs()
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .collect();
        let tls = match query.as_slice() {
            [] => None,
            [(k, v)] if k == "tls" => Some(v.as_str()),
            _ => {
                return Err(invalid(
                    URL,
                    "alleen ?tls=required of ?tls=opportunistic is toegestaan / only \
                     ?tls=required or ?tls=opportunistic is allowed",
                ))
            }
        };
        let security = match (url.scheme(), tls) {
            ("smtp", None) => SmtpSecurity::Plain,
            ("smtp", Some("required")) => SmtpSecurity::StartTlsRequired,
            ("smtp", Some("opportunistic")) => SmtpSecurity::StartTlsOpportunistic,
            ("smtps", None) => SmtpSecurity::Tls,
            ("smtp" | "smtps", Some(other)) => {
                return Err(invalid(
                    URL,
                    format!(
                        "tls=`{other}`: kies / choose tls=required or tls=opportunistic \
                         (alleen bij / only with smtp://)"
                    ),
                ))
            }
            (other, _) => {
                return Err(invalid(
                    URL,
                    format!("schema `{other}`: gebruik / use smtp:// or smtps:// {example}"),
                ))
            }
        };
        if security != SmtpSecurity::Plain && !cfg!(feature = "mail-tls") {
            return Err(invalid(
                URL,
                "deze Koers is gebouwd zonder TLS voor e-mail (cargo-feature mail-tls); \
                 gebruik smtp:// zonder tls / this Koers was built without TLS for e-mail \
                 (cargo feature mail-tls); use smtp:// without tls",
            ));
        }
        let host = match url.host() {
            Some(url::Host::Domain(d)) if !d.is_empty() => d.to_owned(),
            Some(url::Host::Ipv4(ip)) => ip.to_string(),
            Some(url::Host::Ipv6(ip)) => ip.to_string(),
            _ => {
                return Err(invalid(
                    URL,
                    format!("geen servernaam / no host name {example}"),
                ))
            }
        };
        if !(url.path().is_empty() || url.path() == "/") || url.fragment().is_some() {
            return Err(invalid(
                URL,
                format!("alleen schema, server en poort / only scheme, host and port {example}"),
            ));
        }
        let port = url.port().unwrap_or(match security {
            SmtpSecurity::Plain => 25,
            SmtpSecurity::StartTlsOpportunistic | SmtpSecurity::StartTlsRequired => 587,
            SmtpSecurity::Tls => 465,
        });
        let url_user = (!url.username().is_empty()).then(|| percent_decoded(url.username()));
        let url_password = url.password().map(percent_decoded);
        let (user, password) = match (url_user, url_password) {
            (Some(_), _) if !c.user.is_empty() || !c.password.is_empty() => {
                return Err(invalid(
                    "mail.user",
                    "gebruikersnaam staat al in smtp_url; zet hem op één plek / the user name \
                     is already in smtp_url; set it in one place",
                ))
            }
            (None, Some(_)) => {
                return Err(invalid(
                    URL,
                    "wachtwoord zonder gebruikersnaam / password without a user name",
                ))
            }
            (Some(u), p) => (Some(u), p),
            (None, None) => (
                (!c.user.is_empty()).then(|| c.user.clone()),
                (!c.password.is_empty()).then(|| c.password.clone()),
            ),
        };
        if user.is_none() && password.is_some() {
            return Err(invalid(
                "mail.password",
                "wachtwoord zonder gebruikersnaam (mail.user) / password without a user name \
                 (mail.user)",
            ));
        }
        if user.is_some() && password.is_none() {
            return Err(invalid(
                "mail.password",
                "gebruikersnaam zonder wachtwoord / user name without a password",
            ));
        }
        let from_raw = c.from.trim();
        if from_raw.is_empty() {
            return Err(invalid(
                "mail.from",
                "verplicht met smtp_url, bijv. / required with smtp_url, e.g. \
                 \"Koers <koers@gemeente.nl>\"",
            ));
        }
        let from: Mailbox = from_raw.parse().map_err(|e| {
            invalid(
                "mail.from",
                format!(
                    "`{from_raw}` is geen afzender / is not a sender ({e}), bijv. / e.g. \
                     \"Koers <koers@gemeente.nl>\""
                ),
            )
        })?;
        if !(1..=300).contains(&c.timeout_secs) {
            return Err(invalid(
                "mail.timeout_secs",
                "tussen 1 en 300 / between 1 and 300",
            ));
        }
        Ok(Some(Self {
            host,
            port,
            security,
            user,
            password,
            from,
            timeout: Duration::from_secs(c.timeout_secs),
        }))
    }
}

/// Sends [`Mail`] over SMTP. Built once at start from `[mail]`; cheap to share.
pub struct Mailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
    timeout: Duration,
}

impl std::fmt::Debug for Mailer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Mailer")
            .field("from", &self.from.to_string())
            .field("timeout", &self.timeout)
            .finish_non_exhaustive()
    }
}

impl Mailer {
    /// The mailer `[mail]` describes, `None` when mail is not configured, or the
    /// setting that is wrong.
    pub fn from_config(c: &MailConfig) -> Result<Option<Self>, ConfigError> {
        match SmtpSettings::parse(c)? {
            Some(s) => Ok(Some(Self::new(s)?)),
            None => Ok(None),
        }
    }

    pub fn new(s: SmtpSettings) -> Result<Self, ConfigError> {
        let mut b = AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(s.host.clone())
            .port(s.port)
            .timeout(Some(s.timeout));
        if let (Some(user), Some(password)) = (s.user.clone(), s.password.clone()) {
            b = b.credentials(Credentials::new(user, password));
        }
        #[cfg(feature = "mail-tls")]
        {
            use lettre::transport::smtp::client::{Tls, TlsParameters};
            if s.security != SmtpSecurity::Plain {
                let params = TlsParameters::new(s.host.clone()).map_err(|e| {
                    invalid(
                        "mail.smtp_url",
                        format!("TLS niet in te stellen / TLS setup: {e}"),
                    )
                })?;
                b = b.tls(match s.security {
                    SmtpSecurity::Tls => Tls::Wrapper(params),
                    SmtpSecurity::StartTlsRequired => Tls::Required(params),
                    _ => Tls::Opportunistic(params),
                });
            }
        }
        Ok(Self {
            transport: b.build(),
            from: s.from,
            timeout: s.timeout,
        })
    }

    /// The sender every message carries.
    pub fn from_address(&self) -> &Mailbox {
        &self.from
    }

    /// Builds the message (headers: From, To, Subject, Date, Message-ID,
    /// Content-Type text/plain; charset=utf-8) without sending it.
    pub fn message(&self, mail: &Mail) -> Result<Message, MailError> {
        let to: Mailbox = mail
            .to
            .as_str()
            .parse()
            .map_err(|_| MailError::Address(mail.to.as_str().to_owned()))?;
        let domain = self.from.email.domain();
        let id = format!("<{}@{domain}>", crate::auth::new_token());
        // One line, whatever a caller passed; lettre encodes non-ASCII (RFC 2047).
        let subject: String = mail
            .subject
            .chars()
            .map(|c| if c.is_control() { ' ' } else { c })
            .collect();
        let text = mail.text.replace("\r\n", "\n");
        Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(subject)
            .message_id(Some(id))
            .header(ContentType::TEXT_PLAIN)
            .body(text)
            .map_err(|e| MailError::Build(e.to_string()))
    }

    /// Sends one message: one SMTP conversation, given up after the configured
    /// timeout at the latest.
    pub async fn send(&self, mail: Mail) -> Result<(), MailError> {
        let message = self.message(&mail)?;
        // lettre's timeout bounds each read and write; this bounds the whole.
        let whole = self.timeout.saturating_mul(3);
        match tokio::time::timeout(whole, self.transport.send(message)).await {
            Ok(Ok(_)) => Ok(()),
            Ok(Err(e)) if e.is_timeout() => Err(MailError::Timeout(self.timeout.as_secs())),
            Ok(Err(e)) => Err(MailError::Smtp(e.to_string())),
            Err(_) => Err(MailError::Timeout(whole.as_secs())),
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn cfg(url: &str) -> MailConfig {
        MailConfig {
            smtp_url: url.into(),
            from: "Koers <koers@gemeente.nl>".into(),
            ..MailConfig::default()
        }
    }

    fn err(c: &MailConfig) -> String {
        SmtpSettings::parse(c).unwrap_err().to_string()
    }

    #[test]
    fn empty_url_means_no_mail() {
        assert!(SmtpSettings::parse(&MailConfig::default())
            .unwrap()
            .is_none());
        let mut c = MailConfig::default();
        c.from = "koers@gemeente.nl".into();
        assert!(err(&c).contains("mail.smtp_url"));
    }

    #[test]
    fn plain_url_with_credentials() {
        let s = SmtpSettings::parse(&cfg("smtp://post%40gemeente.nl:ge%3Aheim@mail.gemeente.nl"))
            .unwrap()
            .unwrap();
        assert_eq!(s.host, "mail.gemeente.nl");
        assert_eq!(s.port, 25);
        assert_eq!(s.security, SmtpSecurity::Plain);
        assert_eq!(s.user.as_deref(), Some("post@gemeente.nl"));
        assert_eq!(s.password.as_deref(), Some("ge:heim"));
        assert!(!format!("{s:?}").contains("ge:heim"));
        assert_eq!(s.from.email.to_string(), "koers@gemeente.nl");
    }

    #[test]
    fn separate_credentials_and_port() {
        let mut c = cfg("smtp://127.0.0.1:2525");
        c.user = "koers".into();
        c.password = "geheim".into();
        let s = SmtpSettings::parse(&c).unwrap().unwrap();
        assert_eq!((s.host.as_str(), s.port), ("127.0.0.1", 2525));
        assert_eq!(s.user.as_deref(), Some("koers"));
        c.password.clear();
        assert!(err(&c).contains("mail.password"));
        let mut c = cfg("smtp://u:p@127.0.0.1:2525");
        c.user = "ander".into();
        assert!(err(&c).contains("mail.user"));
    }

    #[test]
    fn bad_values_name_the_setting() {
        assert!(err(&cfg("http://mail.gemeente.nl")).contains("mail.smtp_url"));
        assert!(err(&cfg("mail.gemeente.nl:25")).contains("mail.smtp_url"));
        assert!(err(&cfg("smtp://mail.gemeente.nl?tls=maybe")).contains("tls=`maybe`"));
        assert!(err(&cfg("smtp://mail.gemeente.nl/pad")).contains("mail.smtp_url"));
        let mut c = cfg("smtp://mail.gemeente.nl");
        c.from = "geen adres".into();
        assert!(err(&c).contains("mail.from"));
        c.from.clear();
        assert!(err(&c).contains("mail.from"));
        let mut c = cfg("smtp://mail.gemeente.nl");
        c.timeout_secs = 0;
        assert!(err(&c).contains("mail.timeout_secs"));
    }

    #[test]
    fn tls_schemes() {
        let r = SmtpSettings::parse(&cfg("smtps://mail.gemeente.nl"));
        let s = SmtpSettings::parse(&cfg("smtp://mail.gemeente.nl?tls=required"));
        if cfg!(feature = "mail-tls") {
            let r = r.unwrap().unwrap();
            assert_eq!((r.security, r.port), (SmtpSecurity::Tls, 465));
            let s = s.unwrap().unwrap();
            assert_eq!((s.security, s.port), (SmtpSecurity::StartTlsRequired, 587));
        } else {
            assert!(r.unwrap_err().to_string().contains("mail-tls"));
            assert!(s.unwrap_err().to_string().contains("mail-tls"));
        }
    }

    #[test]
    fn message_has_the_headers_and_no_html() {
        let mailer = Mailer::from_config(&cfg("smtp://127.0.0.1:2525"))
            .unwrap()
            .unwrap();
        let mail = Mail {
            to: Email::parse("lid@gemeente.nl").unwrap(),
            subject: "Uitnodiging\r\nBcc: x@y.nl".into(),
            text: "Hallo é\nlink".into(),
        };
        let raw = String::from_utf8(mailer.message(&mail).unwrap().formatted()).unwrap();
        let head = raw.split("\r\n\r\n").next().unwrap();
        assert!(head.contains("From: Koers <koers@gemeente.nl>"), "{head}");
        assert!(head.contains("To: lid@gemeente.nl"), "{head}");
        assert!(head.contains("Message-ID: <"), "{head}");
        assert!(head.contains("@gemeente.nl>"), "{head}");
        assert!(head.contains("Date: "), "{head}");
        assert!(head.contains("text/plain; charset=utf-8"), "{head}");
        assert!(!head.contains("\r\nBcc:"), "{head}");
        assert!(!raw.contains("text/html"));
    }
}
