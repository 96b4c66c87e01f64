//! Scan's store (migration 0008): waves of an assessment model, their
//! perspectives, personal invitations, the open link, drafts (save and resume),
//! responses and the idempotency keys of open-link submissions.
//!
//! Every wave-scoped read and write takes a [`WaveScope`], which only this module
//! makes: from a wave found through an [`OrgScope`] ([`ScanStore::wave`],
//! [`ScanStore::waves`]) or from a respondent's token
//! ([`ScanStore::respondent_by_token`], [`ScanStore::wave_by_open_link`]).
//!
//! What is stored about a respondent, and what is not:
//! - an invitation keeps the SHA-256 of its token, the invitee (name or e-mail,
//!   shown only in the list of who has not responded yet), and the *day* it was
//!   completed; never the answers;
//! - a response keeps its perspective and its answers (JSON), the model's hash and
//!   whether it came from the form or an import. Its id is chosen at random so
//!   that row order says nothing about the order of completions, and it has no
//!   timestamp. Only in a wave that is **not** anonymous does it name its
//!   invitation;
//! - an open-link submission leaves the SHA-256 of its resume key in
//!   `scan_submissions` (so a second submit changes nothing), never linked to the
//!   response;
//! - a draft (answers saved to come back to) is deleted when the answers are sent.
//!
//! Reads for the results helper: [`ScanStore::perspectives`] (the wave's
//! perspectives in their order, with `rates_self` and weight) and
//! [`ScanStore::responses`] (every stored response as `(perspective, answers
//! JSON)`, in a stable order that is not the order of completion).

use crate::{with_pool, OrgScope, Result, Store, StoreError};
use koers_core::{OrganisationId, Timestamp, UserId};
use rand::Rng;

macro_rules! scan_id {
    ($(#[$m:meta])* $name:ident) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub struct $name(pub i64);

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                self.0.fmt(f)
            }
        }

        /// A decimal integer as it comes in a URL segment or form field.
        impl std::str::FromStr for $name {
            type Err = koers_core::IdError;
            fn from_str(s: &str) -> std::result::Result<Self, Self::Err> {
                s.trim().parse::<i64>().map(Self).map_err(|_| koers_core::IdError)
            }
        }
    };
}

scan_id!(
    /// The id of a scan wave.
    WaveId
);
scan_id!(
    /// The id of a perspective of one wave.
    PerspectiveId
);
scan_id!(
    /// The id of a personal scan invitation.
    ScanInvitationId
);

/// Proof that a wave was reached the right way: inside an organisation the
/// caller may see, or by a respondent's token. Only this module makes one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct WaveScope {
    organisation: OrganisationId,
    wave: WaveId,
}

impl WaveScope {
    pub fn organisation(&self) -> OrganisationId {
        self.organisation
    }

    pub fn wave(&self) -> WaveId {
        self.wave
    }
}

/// Where a wave is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WaveStatus {
    /// Made, not yet open: perspectives and invitations may be prepared.
    Concept,
    /// Open: respondents can answer.
    Open,
    /// Closed: no more answers; the results are final.
    Closed,
}

impl WaveStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Concept => "concept",
            Self::Open => "open",
            Self::Closed => "closed",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "concept" => Some(Self::Concept),
            "open" => Some(Self::Open),
            "closed" => Some(Self::Closed),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Wave {
    /// The capability to read and write this wave's rows.
    pub scope: WaveScope,
    pub id: WaveId,
    pub organisation_id: OrganisationId,
    pub title: String,
    pub model_id: String,
    pub model_version: String,
    /// SHA-256 (lowercase hex) of `model_source`.
    pub model_hash: String,
    /// The model file as it was when the wave was made.
    pub model_source: String,
    pub anonymous: bool,
    pub status: WaveStatus,
    /// Whether an open link exists (its token is never stored).
    pub has_open_link: bool,
    pub previous_wave_id: Option<WaveId>,
    pub created_by: Option<UserId>,
    pub created_at: Timestamp,
    pub opened_at: Option<Timestamp>,
    pub closed_at: Option<Timestamp>,
}

#[derive(sqlx::FromRow)]
struct WaveRow {
    id: i64,
    organisation_id: i64,
    title: String,
    model_id: String,
    model_version: String,
    model_hash: String,
    model_source: String,
    anonymous: i64,
    status: String,
    open_link_hash: Option<String>,
    previous_wave_id: Option<i64>,
    created_by: Option<i64>,
    created_at: i64,
    opened_at: Option<i64>,
    closed_at: Option<i64>,
}

const WAVE_COLS: &str = "id, organisation_id, title, model_id, model_version, model_hash, model_source, \
    anonymous, status, open_link_hash, previous_wave_id, created_by, created_at, opened_at, closed_at";

impl TryFrom<WaveRow> for Wave {
    type Error = StoreError;
    fn try_from(r: WaveRow) -> Result<Self> {
        Ok(Self {
            scope: WaveScope {
                organisation: OrganisationId(r.organisation_id),
                wave: WaveId(r.id),
            },
            id: WaveId(r.id),
            organisation_id: OrganisationId(r.organisation_id),
            title: r.title,
            model_id: r.model_id,
            model_version: r.model_version,
            model_hash: r.model_hash,
            model_source: r.model_source,
            anonymous: r.anonymous != 0,
            status: WaveStatus::parse(&r.status)
                .ok_or_else(|| StoreError::InvalidData(format!("wave status {}", r.status)))?,
            has_open_link: r.open_link_hash.is_some(),
            previous_wave_id: r.previous_wave_id.map(WaveId),
            created_by: r.created_by.map(UserId),
            created_at: r.created_at,
            opened_at: r.opened_at,
            closed_at: r.closed_at,
        })
    }
}

/// A perspective of a wave: a group of respondents (e.g. "bestuur",
/// "medewerkers"), whose figures are shown side by side.
#[derive(Debug, Clone, PartialEq)]
pub struct Perspective {
    pub id: PerspectiveId,
    /// Its place in the wave's order, from 0.
    pub position: i64,
    pub name: String,
    /// Whether this perspective rates itself (the *self* wording and the "self"
    /// side of self-versus-others); others rate someone else.
    pub rates_self: bool,
    /// Its weight in the organisation score (default 1).
    pub weight: f64,
}

/// A perspective of a new wave.
#[derive(Debug, Clone, PartialEq)]
pub struct NewPerspective {
    pub name: String,
    pub rates_self: bool,
    pub weight: f64,
}

/// A new wave: the model is snapshotted (id, version, hash and the file itself).
pub struct NewWave<'a> {
    pub title: &'a str,
    pub model_id: &'a str,
    pub model_version: &'a str,
    pub model_hash: &'a str,
    pub model_source: &'a str,
    pub anonymous: bool,
    /// In order; names unique within the wave.
    pub perspectives: &'a [NewPerspective],
    /// A wave of the same organisation to compare with.
    pub previous_wave: Option<WaveId>,
    pub created_by: Option<UserId>,
    pub now: Timestamp,
}

/// An invitation to make: the SHA-256 of its token (the handler makes the token
/// and shows or mails it once).
#[derive(Debug, Clone)]
pub struct NewScanInvitation {
    pub perspective_id: PerspectiveId,
    pub token_hash: String,
    /// A name or an e-mail address, as the beheerder typed it.
    pub invitee: String,
    pub email: Option<String>,
}

/// An invitation as the beheerder's reminder list sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScanInvitation {
    pub id: ScanInvitationId,
    pub perspective_id: PerspectiveId,
    pub invitee: String,
    pub email: Option<String>,
    pub created_at: Timestamp,
    pub reminded_at: Option<Timestamp>,
    /// The day (`YYYY-MM-DD`) the answers were sent, if they were.
    pub completed_on: Option<String>,
}

/// What a personal link opens: the wave, the invitation's perspective, whether it
/// was already answered.
#[derive(Debug, Clone)]
pub struct Respondent {
    pub wave: Wave,
    pub invitation_id: ScanInvitationId,
    pub perspective: Perspective,
    pub completed: bool,
}

/// Answers saved to come back to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Draft {
    pub perspective_id: PerspectiveId,
    /// The answers as JSON (the form's field names and values).
    pub answers: String,
    pub updated_at: Timestamp,
}

/// How the answers being sent were reached.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Via {
    /// A personal link: its invitation is marked completed.
    Invitation(ScanInvitationId),
    /// The open link: the resume key's hash becomes an idempotency key.
    OpenLink,
}

/// The answers of one respondent, to store.
pub struct Submission<'a> {
    pub via: Via,
    /// The SHA-256 of the resume key (the personal token or the open-link key):
    /// the draft it names is deleted, and on the open link it is the
    /// idempotency key.
    pub key_hash: &'a str,
    pub perspective_id: PerspectiveId,
    pub answers: &'a str,
    /// The day (`YYYY-MM-DD`, the organisation's time zone) recorded on the
    /// invitation. Only a day, so the time of completion is not kept.
    pub completed_on: &'a str,
}

/// What became of a submission.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SubmitOutcome {
    Stored,
    /// The same token or key was already sent: nothing changed.
    AlreadySubmitted,
    /// The wave is not (or no longer) open: nothing stored.
    WaveNotOpen,
}

/// One imported response.
#[derive(Debug, Clone)]
pub struct ImportedResponse {
    pub perspective_id: PerspectiveId,
    pub answers: String,
}

/// Scan's view of the store. Get it with [`Store::scan`].
#[derive(Clone, Copy)]
pub struct ScanStore<'a> {
    store: &'a Store,
}

impl Store {
    pub fn scan(&self) -> ScanStore<'_> {
        ScanStore { store: self }
    }
}

fn db(e: sqlx::Error) -> StoreError {
    StoreError::from_db(e)
}

/// A random positive response id (below 2^53, so it survives any JSON reader).
fn random_response_id() -> i64 {
    rand::rngs::OsRng.gen_range(1..(1_i64 << 53))
}

/// Inserts one response with a random id, trying a new id on the (very
/// unlikely) clash with an existing one.
macro_rules! insert_response {
    ($tx:ident, $org:expr, $wave:expr, $perspective:expr, $answers:expr, $hash:expr, $source:expr, $invitation:expr) => {{
        let mut tries = 0;
        loop {
            let n = sqlx::query(
                "INSERT INTO scan_responses (id, organisation_id, wave_id, perspective_id, answers, model_hash, source, invitation_id)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (id) DO NOTHING",
            )
            .bind(random_response_id())
            .bind($org)
            .bind($wave)
            .bind($perspective)
            .bind($answers)
            .bind($hash)
            .bind($source)
            .bind($invitation)
            .execute(&mut *$tx)
            .await
            .map_err(db)?
            .rows_affected();
            if n == 1 {
                break;
            }
            tries += 1;
            if tries > 8 {
                return Err(StoreError::Conflict("no free response id".into()));
            }
        }
    }};
}

impl<'a> ScanStore<'a> {
    /// The store behind this view, for Scan's other store modules.
    pub fn store(&self) -> &'a Store {
        self.store
    }

    /// Makes a wave in `concept` with its perspectives, in one transaction. A
    /// previous wave must be one of the same organisation (else `NotFound`); two
    /// perspectives with the same name are a `Conflict`.
    pub async fn create_wave(&self, scope: &OrgScope, new: &NewWave<'_>) -> Result<Wave> {
        let org = scope.organisation().0;
        if let Some(prev) = new.previous_wave {
            self.wave(scope, prev).await?;
        }
        let sql = format!(
            "INSERT INTO scan_waves (organisation_id, title, model_id, model_version, model_hash, model_source,
                anonymous, status, previous_wave_id, created_by, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, 'concept', $8, $9, $10) RETURNING {WAVE_COLS}"
        );
        let row: WaveRow = with_pool!(self.store.backend, pool => {
            crate::write_tx!(pool, tx => {
                let row: WaveRow = sqlx::query_as(&sql)
                    .bind(org)
                    .bind(new.title)
                    .bind(new.model_id)
                    .bind(new.model_version)
                    .bind(new.model_hash)
                    .bind(new.model_source)
                    .bind(i64::from(new.anonymous))
                    .bind(new.previous_wave.map(|w| w.0))
                    .bind(new.created_by.map(|u| u.0))
                    .bind(new.now)
                    .fetch_one(&mut *tx)
                    .await
                    .map_err(db)?;
                for (i, p) in new.perspectives.iter().enumerate() {
                    sqlx::query(
                        "INSERT INTO scan_perspectives (organisation_id, wave_id, position, name, rates_self, weight)
                         VALUES ($1, $2, $3, $4, $5, $6)",
                    )
                    .bind(org)
                    .bind(row.id)
                    .bind(i64::try_from(i).unwrap_or(i64::MAX))
                    .bind(&p.name)
                    .bind(i64::from(p.rates_self))
                    .bind(p.weight)
                    .execute(&mut *tx)
                    .await
                    .map_err(db)?;
                }
                row
            })?
        });
        row.try_into()
    }

    /// The organisation's waves, newest first.
    pub async fn waves(&self, scope: &OrgScope) -> Result<Vec<Wave>> {
        let sql = format!(
            "SELECT {WAVE_COLS} FROM scan_waves WHERE organisation_id = $1 ORDER BY created_at DESC, id DESC"
        );
        let rows: Vec<WaveRow> = with_pool!(self.store.backend, pool => {
            sqlx::query_as(&sql)
                .bind(scope.organisation().0)
                .fetch_all(pool)
                .await
                .map_err(db)?
        });
        rows.into_iter().map(Wave::try_from).collect()
    }

    /// One wave of the organisation; another organisation's is `NotFound`.
    pub async fn wave(&self, scope: &OrgScope, id: WaveId) -> Result<Wave> {
        self.load(scope.organisation(), id).await
    }

    /// The wave again, as it is now.
    pub async fn reload(&self, scope: WaveScope) -> Result<Wave> {
        self.load(scope.organisation, scope.wave).await
    }

    async fn load(&self, org: OrganisationId, id: WaveId) -> Result<Wave> {
        let sql =
            format!("SELECT {WAVE_COLS} FROM scan_waves WHERE id = $1 AND organisation_id = $2");
        let row: Option<WaveRow> = with_pool!(self.store.backend, pool => {
            sqlx::query_as(&sql)
                .bind(id.0)
                .bind(org.0)
                .fetch_optional(pool)
                .await
                .map_err(db)?
        });
        row.ok_or(StoreError::NotFound)?.try_into()
    }

    /// Every wave on this model id that is open now, across organisations: for the
    /// start-up check that refuses a model file changed under an open wave.
    pub async fn open_waves_on_model(&self, model_id: &str) -> Result<Vec<Wave>> {
        let sql = format!(
            "SELECT {WAVE_COLS} FROM scan_waves WHERE model_id = $1 AND status = 'open' ORDER BY id"
        );
        let rows: Vec<WaveRow> = with_pool!(self.store.backend, pool => {
            sqlx::query_as(&sql)
                .bind(model_id)
                .fetch_all(pool)
                .await
                .map_err(db)?
        });
        rows.into_iter().map(Wave::try_from).collect()
    }

    /// The wave's perspectives, in their order.
    pub async fn perspectives(&self, scope: WaveScope) -> Result<Vec<Perspective>> {
        let rows: Vec<(i64, i64, String, i64, f64)> = with_pool!(self.store.backend, pool => {
            sqlx::query_as(
                "SELECT id, position, name, rates_self, weight FROM scan_perspectives
                 WHERE wave_id = $1 AND organisation_id = $2 ORDER BY position, id",
            )
            .bind(scope.wave.0)
            .bind(scope.organisation.0)
            .fetch_all(pool)
            .await
            .map_err(db)?
        });
        Ok(rows
            .into_iter()
            .map(|(id, position, name, rates_self, weight)| Perspective {
                id: PerspectiveId(id),
                position,
                name,
                rates_self: rates_self != 0,
                weight,
            })
            .collect())
    }

    /// Opens a wave in `concept`. `false`: it was not in concept (already open
    /// or closed); nothing changed.
    pub async fn open_wave(&self, scope: WaveScope, now: Timestamp) -> Result<bool> {
        let done = with_pool!(self.store.backend, pool => {
            sqlx::query(
                "UPDATE scan_waves SET status = 'open', opened_at = $1
                 WHERE id = $2 AND organisation_id = $3 AND status = 'concept'",
            )
            .bind(now)
            .bind(scope.wave.0)
            .bind(scope.organisation.0)
            .execute(pool)
            .await
            .map_err(db)?
            .rows_affected()
        });
        Ok(done == 1)
    }

    /// Closes an open wave: no more answers, and the open link stops working.
    /// `false`: it was not open. (The results part closes waves, and may freeze
    /// its figures in a transaction of its own around the same statement.)
    pub async fn close_wave(&self, scope: WaveScope, now: Timestamp) -> Result<bool> {
        let done = with_pool!(self.store.backend, pool => {
            sqlx::query(
                "UPDATE scan_waves SET status = 'closed', closed_at = $1, open_link_hash = NULL
                 WHERE id = $2 AND organisation_id = $3 AND status = 'open'",
            )
            .bind(now)
            .bind(scope.wave.0)
            .bind(scope.organisation.0)
            .execute(pool)
            .await
            .map_err(db)?
            .rows_affected()
        });
        Ok(done == 1)
    }

    /// Makes `token_hash` the wave's one open link (the previous one stops
    /// working), or revokes it with `None`. Not on a closed wave (`NotFound`).
    pub async fn set_open_link(&self, scope: WaveScope, token_hash: Option<&str>) -> Result<()> {
        let done = with_pool!(self.store.backend, pool => {
            sqlx::query(
                "UPDATE scan_waves SET open_link_hash = $1
                 WHERE id = $2 AND organisation_id = $3 AND status <> 'closed'",
            )
            .bind(token_hash)
            .bind(scope.wave.0)
            .bind(scope.organisation.0)
            .execute(pool)
            .await
            .map_err(db)?
            .rows_affected()
        });
        if done == 0 {
            return Err(StoreError::NotFound);
        }
        Ok(())
    }

    /// The wave an open link opens, by its token's hash; `None` for an unknown
    /// or revoked link.
    pub async fn wave_by_open_link(&self, token_hash: &str) -> Result<Option<Wave>> {
        let sql = format!("SELECT {WAVE_COLS} FROM scan_waves WHERE open_link_hash = $1");
        let row: Option<WaveRow> = with_pool!(self.store.backend, pool => {
            sqlx::query_as(&sql)
                .bind(token_hash)
                .fetch_optional(pool)
                .await
                .map_err(db)?
        });
        row.map(Wave::try_from).transpose()
    }

    /// Makes personal invitations in one transaction. Every perspective must be
    /// one of this wave's (else `NotFound`, nothing made). Not on a closed wave.
    pub async fn create_invitations(
        &self,
        scope: WaveScope,
        invitations: &[NewScanInvitation],
        now: Timestamp,
    ) -> Result<Vec<ScanInvitationId>> {
        let wave = self.reload(scope).await?;
        if wave.status == WaveStatus::Closed {
            return Err(StoreError::NotFound);
        }
        let known: Vec<PerspectiveId> = self
            .perspectives(scope)
            .await?
            .into_iter()
            .map(|p| p.id)
            .collect();
        if invitations
            .iter()
            .any(|i| !known.contains(&i.perspective_id))
        {
            return Err(StoreError::NotFound);
        }
        Ok(with_pool!(self.store.backend, pool => {
            crate::write_tx!(pool, tx => {
                let mut ids = Vec::with_capacity(invitations.len());
                for i in invitations {
                    let id: i64 = sqlx::query_scalar(
                        "INSERT INTO scan_invitations (organisation_id, wave_id, perspective_id, token_hash, invitee, email, created_at)
                         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
                    )
                    .bind(scope.organisation.0)
                    .bind(scope.wave.0)
                    .bind(i.perspective_id.0)
                    .bind(&i.token_hash)
                    .bind(&i.invitee)
                    .bind(i.email.as_deref())
                    .bind(now)
                    .fetch_one(&mut *tx)
                    .await
                    .map_err(db)?;
                    ids.push(ScanInvitationId(id));
                }
                ids
            })?
        }))
    }

    /// The wave's invitations, oldest first. For the beheerder's page: who was
    /// invited, who has not responded yet; never any answers.
    pub async fn invitations(&self, scope: WaveScope) -> Result<Vec<ScanInvitation>> {
        type Row = (
            i64,
            i64,
            String,
            Option<String>,
            i64,
            Option<i64>,
            Option<String>,
        );
        let rows: Vec<Row> = with_pool!(self.store.backend, pool => {
            sqlx::query_as(
                "SELECT id, perspective_id, invitee, email, created_at, reminded_at, completed_on
                 FROM scan_invitations WHERE wave_id = $1 AND organisation_id = $2 ORDER BY id",
            )
            .bind(scope.wave.0)
            .bind(scope.organisation.0)
            .fetch_all(pool)
            .await
            .map_err(db)?
        });
        Ok(rows
            .into_iter()
            .map(
                |(id, perspective_id, invitee, email, created_at, reminded_at, completed_on)| {
                    ScanInvitation {
                        id: ScanInvitationId(id),
                        perspective_id: PerspectiveId(perspective_id),
                        invitee,
                        email,
                        created_at,
                        reminded_at,
                        completed_on,
                    }
                },
            )
            .collect())
    }

    /// Gives invitations that have not been answered a new token and records the
    /// reminder, in one transaction: the reminder carries the new link (only
    /// hashes are stored, so the old link cannot be sent again), the old link
    /// stops working, and a draft saved under it moves to the new one. `tokens`
    /// pairs an invitation with the new token's hash; an answered invitation or
    /// another wave's is skipped. Returns the invitations that were renewed.
    pub async fn remind(
        &self,
        scope: WaveScope,
        tokens: &[(ScanInvitationId, String)],
        now: Timestamp,
    ) -> Result<Vec<ScanInvitationId>> {
        Ok(with_pool!(self.store.backend, pool => {
            crate::write_tx!(pool, tx => {
                let mut done = Vec::new();
                for (id, hash) in tokens {
                    let old: Option<String> = sqlx::query_scalar(
                        "SELECT token_hash FROM scan_invitations
                         WHERE id = $1 AND wave_id = $2 AND organisation_id = $3 AND completed_on IS NULL",
                    )
                    .bind(id.0)
                    .bind(scope.wave.0)
                    .bind(scope.organisation.0)
                    .fetch_optional(&mut *tx)
                    .await
                    .map_err(db)?;
                    let Some(old) = old else { continue };
                    sqlx::query(
                        "UPDATE scan_invitations SET token_hash = $1, reminded_at = $2 WHERE id = $3",
                    )
                    .bind(hash)
                    .bind(now)
                    .bind(id.0)
                    .execute(&mut *tx)
                    .await
                    .map_err(db)?;
                    sqlx::query(
                        "UPDATE scan_drafts SET key_hash = $1 WHERE key_hash = $2 AND wave_id = $3 AND organisation_id = $4",
                    )
                    .bind(hash)
                    .bind(&old)
                    .bind(scope.wave.0)
                    .bind(scope.organisation.0)
                    .execute(&mut *tx)
                    .await
                    .map_err(db)?;
                    done.push(*id);
                }
                done
            })?
        }))
    }

    /// What a personal link opens, by its token's hash; `None` for an unknown
    /// (or tampered, or replaced) token.
    pub async fn respondent_by_token(&self, token_hash: &str) -> Result<Option<Respondent>> {
        let found: Option<(i64, i64, i64, i64, Option<String>)> = with_pool!(self.store.backend, pool => {
            sqlx::query_as(
                "SELECT id, organisation_id, wave_id, perspective_id, completed_on
                 FROM scan_invitations WHERE token_hash = $1",
            )
            .bind(token_hash)
            .fetch_optional(pool)
            .await
            .map_err(db)?
        });
        let Some((inv, org, wave, perspective, completed_on)) = found else {
            return Ok(None);
        };
        let wave = match self.load(OrganisationId(org), WaveId(wave)).await {
            Ok(w) => w,
            Err(StoreError::NotFound) => return Ok(None),
            Err(e) => return Err(e),
        };
        let Some(perspective) = self
            .perspectives(wave.scope)
            .await?
            .into_iter()
            .find(|p| p.id.0 == perspective)
        else {
            return Ok(None);
        };
        Ok(Some(Respondent {
            wave,
            invitation_id: ScanInvitationId(inv),
            perspective,
            completed: completed_on.is_some(),
        }))
    }

    /// Responses stored so far per perspective (perspectives without any are
    /// absent). The page must apply the anonymity rule before showing a count.
    pub async fn response_counts(&self, scope: WaveScope) -> Result<Vec<(PerspectiveId, i64)>> {
        let rows: Vec<(i64, i64)> = with_pool!(self.store.backend, pool => {
            sqlx::query_as(
                "SELECT perspective_id, COUNT(*) FROM scan_responses
                 WHERE wave_id = $1 AND organisation_id = $2 GROUP BY perspective_id ORDER BY perspective_id",
            )
            .bind(scope.wave.0)
            .bind(scope.organisation.0)
            .fetch_all(pool)
            .await
            .map_err(db)?
        });
        Ok(rows
            .into_iter()
            .map(|(p, n)| (PerspectiveId(p), n))
            .collect())
    }

    /// The draft saved under a key, if any.
    pub async fn draft(&self, scope: WaveScope, key_hash: &str) -> Result<Option<Draft>> {
        let row: Option<(i64, String, i64)> = with_pool!(self.store.backend, pool => {
            sqlx::query_as(
                "SELECT perspective_id, answers, updated_at FROM scan_drafts
                 WHERE key_hash = $1 AND wave_id = $2 AND organisation_id = $3",
            )
            .bind(key_hash)
            .bind(scope.wave.0)
            .bind(scope.organisation.0)
            .fetch_optional(pool)
            .await
            .map_err(db)?
        });
        Ok(row.map(|(p, answers, updated_at)| Draft {
            perspective_id: PerspectiveId(p),
            answers,
            updated_at,
        }))
    }

    /// Saves (or replaces) the draft under a key. The perspective must be one of
    /// the wave's (else `NotFound`); a key already used for another wave is a
    /// `Conflict`. Only while the wave is open.
    pub async fn save_draft(
        &self,
        scope: WaveScope,
        key_hash: &str,
        perspective_id: PerspectiveId,
        answers: &str,
        now: Timestamp,
    ) -> Result<()> {
        let wave = self.reload(scope).await?;
        if wave.status != WaveStatus::Open {
            return Err(StoreError::NotFound);
        }
        if !self
            .perspectives(scope)
            .await?
            .iter()
            .any(|p| p.id == perspective_id)
        {
            return Err(StoreError::NotFound);
        }
        let done = with_pool!(self.store.backend, pool => {
            sqlx::query(
                "INSERT INTO scan_drafts (organisation_id, wave_id, key_hash, perspective_id, answers, updated_at)
                 VALUES ($1, $2, $3, $4, $5, $6)
                 ON CONFLICT (key_hash) DO UPDATE SET answers = excluded.answers, updated_at = excluded.updated_at
                 WHERE scan_drafts.wave_id = excluded.wave_id AND scan_drafts.organisation_id = excluded.organisation_id",
            )
            .bind(scope.organisation.0)
            .bind(scope.wave.0)
            .bind(key_hash)
            .bind(perspective_id.0)
            .bind(answers)
            .bind(now)
            .execute(pool)
            .await
            .map_err(db)?
            .rows_affected()
        });
        if done == 0 {
            return Err(StoreError::Conflict("draft key of another wave".into()));
        }
        Ok(())
    }

    /// Whether answers were already sent under this open-link key.
    pub async fn submitted(&self, scope: WaveScope, key_hash: &str) -> Result<bool> {
        let n: i64 = with_pool!(self.store.backend, pool => {
            sqlx::query_scalar(
                "SELECT COUNT(*) FROM scan_submissions WHERE wave_id = $1 AND key_hash = $2",
            )
            .bind(scope.wave.0)
            .bind(key_hash)
            .fetch_one(pool)
            .await
            .map_err(db)?
        });
        Ok(n > 0)
    }

    /// Stores one respondent's answers, in one transaction: the response (with a
    /// random id; naming its invitation only in a wave that is not anonymous),
    /// the invitation marked completed on the day, or the open-link key
    /// recorded; the draft deleted. A second submit with the same invitation or
    /// key changes nothing and reports [`SubmitOutcome::AlreadySubmitted`].
    pub async fn submit(&self, scope: WaveScope, s: &Submission<'_>) -> Result<SubmitOutcome> {
        let org = scope.organisation.0;
        let wave_id = scope.wave.0;
        with_pool!(self.store.backend, pool => {
            crate::write_tx!(pool, tx => {
                'tx: {
                    let row: Option<(String, i64, String)> = sqlx::query_as(
                        "SELECT status, anonymous, model_hash FROM scan_waves WHERE id = $1 AND organisation_id = $2",
                    )
                    .bind(wave_id)
                    .bind(org)
                    .fetch_optional(&mut *tx)
                    .await
                    .map_err(db)?;
                    let Some((status, anonymous, model_hash)) = row else {
                        return Err(StoreError::NotFound);
                    };
                    let known: i64 = sqlx::query_scalar(
                        "SELECT COUNT(*) FROM scan_perspectives WHERE id = $1 AND wave_id = $2 AND organisation_id = $3",
                    )
                    .bind(s.perspective_id.0)
                    .bind(wave_id)
                    .bind(org)
                    .fetch_one(&mut *tx)
                    .await
                    .map_err(db)?;
                    if known == 0 {
                        return Err(StoreError::NotFound);
                    }
                    // Already sent? Decided before the wave's state, so that the
                    // thanks page stays the thanks page after the wave closed.
                    let first = match s.via {
                        Via::Invitation(inv) => {
                            let completed: Option<Option<String>> = sqlx::query_scalar(
                                "SELECT completed_on FROM scan_invitations WHERE id = $1 AND wave_id = $2 AND organisation_id = $3",
                            )
                            .bind(inv.0)
                            .bind(wave_id)
                            .bind(org)
                            .fetch_optional(&mut *tx)
                            .await
                            .map_err(db)?;
                            match completed {
                                None => return Err(StoreError::NotFound),
                                Some(Some(_)) => false,
                                Some(None) => true,
                            }
                        }
                        Via::OpenLink => {
                            let n: i64 = sqlx::query_scalar(
                                "SELECT COUNT(*) FROM scan_submissions WHERE wave_id = $1 AND key_hash = $2",
                            )
                            .bind(wave_id)
                            .bind(s.key_hash)
                            .fetch_one(&mut *tx)
                            .await
                            .map_err(db)?;
                            n == 0
                        }
                    };
                    if !first {
                        break 'tx SubmitOutcome::AlreadySubmitted;
                    }
                    if status != WaveStatus::Open.as_str() {
                        break 'tx SubmitOutcome::WaveNotOpen;
                    }
                    // Claim the invitation or key first: of two submits racing,
                    // only one gets past here.
                    let claimed = match s.via {
                        Via::Invitation(inv) => sqlx::query(
                            "UPDATE scan_invitations SET completed_on = $1
                             WHERE id = $2 AND wave_id = $3 AND organisation_id = $4 AND completed_on IS NULL",
                        )
                        .bind(s.completed_on)
                        .bind(inv.0)
                        .bind(wave_id)
                        .bind(org)
                        .execute(&mut *tx)
                        .await
                        .map_err(db)?
                        .rows_affected(),
                        Via::OpenLink => sqlx::query(
                            "INSERT INTO scan_submissions (wave_id, key_hash) VALUES ($1, $2)
                             ON CONFLICT (wave_id, key_hash) DO NOTHING",
                        )
                        .bind(wave_id)
                        .bind(s.key_hash)
                        .execute(&mut *tx)
                        .await
                        .map_err(db)?
                        .rows_affected(),
                    };
                    if claimed == 0 {
                        break 'tx SubmitOutcome::AlreadySubmitted;
                    }
                    let invitation = match s.via {
                        Via::Invitation(inv) if anonymous == 0 => Some(inv.0),
                        _ => None,
                    };
                    insert_response!(tx, org, wave_id, s.perspective_id.0, s.answers, &model_hash, "form", invitation);
                    sqlx::query(
                        "DELETE FROM scan_drafts WHERE key_hash = $1 AND wave_id = $2 AND organisation_id = $3",
                    )
                    .bind(s.key_hash)
                    .bind(wave_id)
                    .bind(org)
                    .execute(&mut *tx)
                    .await
                    .map_err(db)?;
                    SubmitOutcome::Stored
                }
            })
        })
    }

    /// Stores a whole imported file in one transaction: all rows or none. Every
    /// perspective must be one of the wave's (else `NotFound`, nothing stored);
    /// the wave must not be closed. Returns how many were stored.
    pub async fn import_responses(
        &self,
        scope: WaveScope,
        rows: &[ImportedResponse],
    ) -> Result<usize> {
        let wave = self.reload(scope).await?;
        if wave.status == WaveStatus::Closed {
            return Err(StoreError::NotFound);
        }
        let known: Vec<PerspectiveId> = self
            .perspectives(scope)
            .await?
            .into_iter()
            .map(|p| p.id)
            .collect();
        if rows.iter().any(|r| !known.contains(&r.perspective_id)) {
            return Err(StoreError::NotFound);
        }
        let org = scope.organisation.0;
        let wave_id = scope.wave.0;
        let model_hash = wave.model_hash;
        with_pool!(self.store.backend, pool => {
            crate::write_tx!(pool, tx => {
                for r in rows {
                    insert_response!(tx, org, wave_id, r.perspective_id.0, &r.answers, &model_hash, "import", None::<i64>);
                }
            })?
        });
        Ok(rows.len())
    }

    /// Every stored response of the wave as `(perspective, answers JSON)`, for
    /// scoring. Ordered by the random id: stable, and unrelated to the order in
    /// which the answers came in.
    pub async fn responses(&self, scope: WaveScope) -> Result<Vec<(PerspectiveId, String)>> {
        let rows: Vec<(i64, String)> = with_pool!(self.store.backend, pool => {
            sqlx::query_as(
                "SELECT perspective_id, answers FROM scan_responses
                 WHERE wave_id = $1 AND organisation_id = $2 ORDER BY id",
            )
            .bind(scope.wave.0)
            .bind(scope.organisation.0)
            .fetch_all(pool)
            .await
            .map_err(db)?
        });
        Ok(rows
            .into_iter()
            .map(|(p, a)| (PerspectiveId(p), a))
            .collect())
    }
}
