//! Dutch first, English second. Every string the interface shows comes from the
//! Fluent files in `locales/`, embedded in the binary. A missing key renders as the
//! key itself (and is caught by the tests, which compare both files and every key the
//! templates use), so a gap shows up as a visible oddity, never as a crash.

use fluent_bundle::concurrent::FluentBundle;
pub use fluent_bundle::FluentValue;
use fluent_bundle::{FluentArgs, FluentResource};
use std::sync::{Arc, OnceLock};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Locale {
    #[default]
    Nl,
    En,
}

impl Locale {
    pub const ALL: [Locale; 2] = [Locale::Nl, Locale::En];

    pub fn code(self) -> &'static str {
        match self {
            Self::Nl => "nl",
            Self::En => "en",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s.trim().to_ascii_lowercase().as_str() {
            "nl" | "nl-nl" | "nl-be" => Some(Self::Nl),
            "en" | "en-gb" | "en-us" => Some(Self::En),
            _ => None,
        }
    }

    /// The first supported language in an `Accept-Language` header, honouring order
    /// but not weights (browsers list languages in preference order already).
    pub fn from_accept_language(header: &str) -> Option<Self> {
        header.split(',').find_map(|part| {
            let tag = part.split(';').next().unwrap_or("").trim();
            let primary = tag.split('-').next().unwrap_or("");
            Self::parse(primary)
        })
    }

    pub fn other(self) -> Self {
        match self {
            Self::Nl => Self::En,
            Self::En => Self::Nl,
        }
    }
}

pub const NL_SOURCE: &str = include_str!("../locales/nl.ftl");
pub const EN_SOURCE: &str = include_str!("../locales/en.ftl");

pub struct Translations {
    nl: FluentBundle<FluentResource>,
    en: FluentBundle<FluentResource>,
}

/// One bundle from the shell's file and each part's, in that order. A key that two
/// files define is an error (Fluent refuses the overriding resource), so parts
/// cannot silently change each other's words.
fn bundle(lang: &str, sources: &[(&str, &str)]) -> Result<FluentBundle<FluentResource>, String> {
    let id: unic_langid::LanguageIdentifier = lang.parse().map_err(|e| format!("{lang}: {e:?}"))?;
    let mut b = FluentBundle::new_concurrent(vec![id]);
    // Isolation marks would end up inside HTML attributes and e-mail addresses.
    b.set_use_isolating(false);
    for (owner, source) in sources {
        let resource = FluentResource::try_new((*source).to_owned())
            .map_err(|(_, errs)| format!("{owner}/{lang}.ftl: {errs:?}"))?;
        b.add_resource(resource)
            .map_err(|e| format!("{owner}/{lang}.ftl: {e:?}"))?;
    }
    Ok(b)
}

static SHARED: OnceLock<Option<Arc<Translations>>> = OnceLock::new();

impl Translations {
    /// The shell's strings and the given parts', Dutch and English.
    pub fn load(parts: &[Arc<dyn crate::part::Part>]) -> Result<Self, String> {
        let mut nl = vec![("shell", NL_SOURCE)];
        let mut en = vec![("shell", EN_SOURCE)];
        for p in parts {
            let l = p.locales();
            nl.push((p.name(), l.nl));
            en.push((p.name(), l.en));
        }
        Ok(Self {
            nl: bundle("nl", &nl)?,
            en: bundle("en", &en)?,
        })
    }

    /// Makes the shell's and these parts' strings the ones every page uses. Called
    /// once at start by [`crate::AppState::new`]; later calls keep the first set,
    /// since one process runs one set of parts.
    pub fn install(parts: &[Arc<dyn crate::part::Part>]) -> Result<(), String> {
        let loaded = Arc::new(Self::load(parts)?);
        let _ = SHARED.set(Some(loaded));
        Ok(())
    }

    /// The installed translations (the shell's alone if nothing was installed).
    /// Loading can only fail if the embedded files are broken, which the test suite
    /// rules out; we still degrade to keys, not panic.
    pub fn shared() -> Option<Arc<Translations>> {
        SHARED
            .get_or_init(|| match Self::load(&[]) {
                Ok(t) => Some(Arc::new(t)),
                Err(e) => {
                    tracing::error!("locale files broken: {e}");
                    None
                }
            })
            .clone()
    }

    fn bundle(&self, locale: Locale) -> &FluentBundle<FluentResource> {
        match locale {
            Locale::Nl => &self.nl,
            Locale::En => &self.en,
        }
    }

    pub fn has(&self, locale: Locale, key: &str) -> bool {
        self.bundle(locale).has_message(key)
    }

    pub fn format(&self, locale: Locale, key: &str, args: &[(&str, FluentValue<'_>)]) -> String {
        let bundle = self.bundle(locale);
        let Some(pattern) = bundle.get_message(key).and_then(|m| m.value()) else {
            tracing::warn!(key, locale = locale.code(), "missing translation");
            return key.to_owned();
        };
        let mut fargs = FluentArgs::new();
        for (k, v) in args {
            fargs.set(*k, v.clone());
        }
        let mut errors = vec![];
        let s = bundle.format_pattern(
            pattern,
            if args.is_empty() { None } else { Some(&fargs) },
            &mut errors,
        );
        if !errors.is_empty() {
            tracing::warn!(key, ?errors, "translation formatting problem");
        }
        s.into_owned()
    }
}

/// A translator bound to one request's language; what templates call `t` on.
#[derive(Clone)]
pub struct Tr {
    pub locale: Locale,
    translations: Option<Arc<Translations>>,
    /// Times are shown in this zone; pages never show UTC.
    time_zone: jiff::tz::TimeZone,
}

/// Europe/Amsterdam from the bundled tz database: the default of
/// `general.time_zone`, for a `Tr` made without a request.
pub fn default_time_zone() -> jiff::tz::TimeZone {
    jiff::tz::db()
        .get("Europe/Amsterdam")
        .unwrap_or(jiff::tz::TimeZone::UTC)
}

impl Tr {
    pub fn new(locale: Locale) -> Self {
        Self {
            locale,
            translations: Translations::shared(),
            time_zone: default_time_zone(),
        }
    }

    pub fn with_time_zone(mut self, time_zone: jiff::tz::TimeZone) -> Self {
        self.time_zone = time_zone;
        self
    }

    /// (year, month, day, hour, minute) of a Unix timestamp in this zone.
    fn local(&self, ts: i64) -> (i64, u32, u32, u32, u32) {
        match jiff::Timestamp::from_second(ts) {
            Ok(t) => {
                let dt = self.time_zone.to_datetime(t);
                (
                    i64::from(dt.year()),
                    u32::try_from(dt.month()).unwrap_or(1),
                    u32::try_from(dt.day()).unwrap_or(1),
                    u32::try_from(dt.hour()).unwrap_or(0),
                    u32::try_from(dt.minute()).unwrap_or(0),
                )
            }
            // Outside jiff's range (years beyond ±9999): the plain calendar.
            Err(_) => {
                let (y, m, d) = civil_from_days(ts.div_euclid(86_400));
                let secs = ts.rem_euclid(86_400);
                (y, m, d, (secs / 3600) as u32, ((secs % 3600) / 60) as u32)
            }
        }
    }

    pub fn t(&self, key: &str) -> String {
        match &self.translations {
            Some(t) => t.format(self.locale, key, &[]),
            None => key.to_owned(),
        }
    }

    /// Whether the locale files define `key`.
    pub fn has(&self, key: &str) -> bool {
        self.translations
            .as_ref()
            .is_some_and(|t| t.has(self.locale, key))
    }

    pub fn t_with(&self, key: &str, args: &[(&str, FluentValue<'_>)]) -> String {
        match &self.translations {
            Some(t) => t.format(self.locale, key, args),
            None => key.to_owned(),
        }
    }

    /// A date from a Unix timestamp, in the locale's own format and the
    /// installation's time zone.
    pub fn date(&self, ts: i64) -> String {
        let (y, m, d, _, _) = self.local(ts);
        match self.locale {
            Locale::Nl => format!("{d}-{m}-{y}"),
            Locale::En => format!("{d} {} {y}", EN_MONTHS[(m as usize).saturating_sub(1) % 12]),
        }
    }

    /// Date and time of day, in the installation's time zone (never "UTC").
    pub fn date_time(&self, ts: i64) -> String {
        let (_, _, _, h, min) = self.local(ts);
        format!("{} {h:02}:{min:02}", self.date(ts))
    }
}

const EN_MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// Days since 1970-01-01 to a proleptic Gregorian date (Howard Hinnant's algorithm).
pub fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}
