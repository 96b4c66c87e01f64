//! Scan results in the store: the scores a wave showed when it closed, frozen
//! (`scan_wave_scores`), and each organisation's benchmark settings
//! (`scan_benchmark_settings`).
//!
//! Frozen scores are the only figures that ever leave an organisation: the peer
//! benchmark of another organisation reads them, never responses. They are
//! written by [`ScanStore::close_and_freeze`] in the same transaction that closes the
//! wave, and only for figures the anonymity rule showed (the caller passes what
//! `koers_core::scan::aggregate` made visible; a wave whose organisation score
//! was suppressed passes nothing and never enters a benchmark).
//!
//! The benchmark's cross-organisation read ([`ScanStore::peer_scores`]) returns
//! frozen scores with each organisation's kind, size class and country for the
//! matching, but its name only for organisations that opted in to the
//! "leren van" list, together with the contact line they wrote.

use crate::{with_pool, OrgScope, Result, ScanStore, StoreError, WaveScope};
use koers_core::{Country, OrganisationId, OrganisationKind, SizeClass, Timestamp};

fn db(e: sqlx::Error) -> StoreError {
    StoreError::from_db(e)
}

/// One frozen figure: a dimension's organisation score, or the overall score
/// (`dimension_id` empty).
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct FrozenScore {
    pub dimension_id: String,
    pub score: f64,
}

/// The model a frozen wave was scored on, for the rows of `scan_wave_scores`.
#[derive(Debug, Clone, Copy)]
pub struct FrozenModel<'a> {
    pub id: &'a str,
    pub version: &'a str,
}

/// How an organisation wants to be benchmarked and whether others may learn
/// from it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct BenchmarkSettings {
    /// In the "leren van" list of other organisations when in their top quartile.
    pub learn_from: bool,
    /// The contact line shown there (a name, a team, an address).
    pub contact: String,
    /// Other organisations may pick this one, by name, for their own chosen peer
    /// set. Without it an organisation's name is never shown to another tenant,
    /// and it is never counted in another's chosen set.
    pub listed: bool,
    /// `None`: peers are matched by kind, size class and country; `Some`: this
    /// chosen set of organisations.
    pub peer_set: Option<Vec<OrganisationId>>,
}

/// One other organisation's latest frozen wave on a model, as the benchmark
/// sees it: what to match on and its scores. Its name only when it opted in to
/// being contacted.
#[derive(Debug, Clone)]
pub struct PeerScores {
    pub organisation: OrganisationId,
    pub kind: OrganisationKind,
    pub size_class: SizeClass,
    pub country: Country,
    pub scores: Vec<FrozenScore>,
    /// `(name, contact)`, only for organisations with `learn_from` on.
    pub contact: Option<(String, String)>,
    /// It may be counted in another organisation's chosen peer set.
    pub listed: bool,
}

impl ScanStore<'_> {
    /// Closes an open wave and freezes the given scores, in one transaction (the
    /// open link goes too, as in [`ScanStore::close_wave`]). `false` when the wave
    /// was not open (still a concept, or already closed): then nothing is written.
    pub async fn close_and_freeze(
        &self,
        scope: WaveScope,
        model: FrozenModel<'_>,
        scores: &[FrozenScore],
        now: Timestamp,
    ) -> Result<bool> {
        let org = scope.organisation().0;
        let wave = scope.wave().0;
        with_pool!(self.store().backend, pool => {
            crate::write_tx!(pool, tx => {
                let changed = sqlx::query(
                    "UPDATE scan_waves SET status = 'closed', closed_at = $1, open_link_hash = NULL
                     WHERE id = $2 AND organisation_id = $3 AND status = 'open'",
                )
                .bind(now)
                .bind(wave)
                .bind(org)
                .execute(&mut *tx)
                .await
                .map_err(db)?
                .rows_affected();
                if changed == 1 {
                    for s in scores {
                        sqlx::query(
                            "INSERT INTO scan_wave_scores
                             (organisation_id, wave_id, model_id, model_version, dimension_id, score, closed_at)
                             VALUES ($1, $2, $3, $4, $5, $6, $7)",
                        )
                        .bind(org)
                        .bind(wave)
                        .bind(model.id)
                        .bind(model.version)
                        .bind(&s.dimension_id)
                        .bind(s.score)
                        .bind(now)
                        .execute(&mut *tx)
                        .await
                        .map_err(db)?;
                    }
                }
                changed == 1
            })
        })
    }

    /// The scores frozen when this wave closed (empty when it froze nothing or is
    /// not closed), overall (`''`) first.
    pub async fn frozen_scores(&self, scope: WaveScope) -> Result<Vec<FrozenScore>> {
        Ok(with_pool!(self.store().backend, pool => {
            sqlx::query_as(
                "SELECT dimension_id, score FROM scan_wave_scores
                 WHERE wave_id = $1 AND organisation_id = $2 ORDER BY dimension_id",
            )
            .bind(scope.wave().0)
            .bind(scope.organisation().0)
            .fetch_all(pool)
            .await
            .map_err(db)?
        }))
    }

    /// The organisation's benchmark settings (the defaults when never saved).
    pub async fn benchmark_settings(&self, scope: &OrgScope) -> Result<BenchmarkSettings> {
        let row: Option<(i64, String, String, i64)> = with_pool!(self.store().backend, pool => {
            sqlx::query_as(
                "SELECT learn_from, contact, peer_set, listed FROM scan_benchmark_settings
                 WHERE organisation_id = $1",
            )
            .bind(scope.organisation().0)
            .fetch_optional(pool)
            .await
            .map_err(db)?
        });
        let Some((learn_from, contact, peer_set, listed)) = row else {
            return Ok(BenchmarkSettings::default());
        };
        Ok(BenchmarkSettings {
            learn_from: learn_from != 0,
            contact,
            listed: listed != 0,
            peer_set: parse_peer_set(&peer_set)?,
        })
    }

    /// Saves the organisation's benchmark settings (one autocommit upsert).
    pub async fn put_benchmark_settings(
        &self,
        scope: &OrgScope,
        settings: &BenchmarkSettings,
    ) -> Result<()> {
        let peer_set = match &settings.peer_set {
            None => String::new(),
            Some(ids) => {
                let ids: Vec<i64> = ids.iter().map(|o| o.0).collect();
                serde_json::to_string(&ids).map_err(|e| StoreError::InvalidData(e.to_string()))?
            }
        };
        with_pool!(self.store().backend, pool => {
            sqlx::query(
                "INSERT INTO scan_benchmark_settings (organisation_id, learn_from, contact, peer_set, listed)
                 VALUES ($1, $2, $3, $4, $5)
                 ON CONFLICT (organisation_id) DO UPDATE SET
                 learn_from = excluded.learn_from, contact = excluded.contact,
                 peer_set = excluded.peer_set, listed = excluded.listed",
            )
            .bind(scope.organisation().0)
            .bind(i64::from(settings.learn_from))
            .bind(&settings.contact)
            .bind(&peer_set)
            .bind(i64::from(settings.listed))
            .execute(pool)
            .await
            .map_err(db)?;
        });
        Ok(())
    }

    /// The other organisations that agreed to be picked for a chosen peer set
    /// (`listed`), by name. The asking organisation's scope proves the caller may
    /// set up a benchmark at all; it is itself left out.
    pub async fn listed_organisations(
        &self,
        scope: &OrgScope,
    ) -> Result<Vec<(OrganisationId, String)>> {
        let rows: Vec<(i64, String)> = with_pool!(self.store().backend, pool => {
            sqlx::query_as(
                "SELECT o.id, o.name FROM scan_benchmark_settings b
                 JOIN organisations o ON o.id = b.organisation_id
                 WHERE b.listed = 1 AND o.id <> $1
                 ORDER BY o.id",
            )
            .bind(scope.organisation().0)
            .fetch_all(pool)
            .await
            .map_err(db)?
        });
        Ok(rows
            .into_iter()
            .map(|(id, name)| (OrganisationId(id), name))
            .collect())
    }

    /// Every other organisation's latest frozen wave on `model_id` (by closing
    /// time), with what the benchmark matches on. The asking organisation's scope
    /// proves the caller may see a benchmark at all; its own rows are left out.
    /// Only frozen scores are read, never responses.
    pub async fn peer_scores(&self, scope: &OrgScope, model_id: &str) -> Result<Vec<PeerScores>> {
        #[derive(sqlx::FromRow)]
        struct Row {
            organisation_id: i64,
            name: String,
            kind: String,
            size_class: String,
            country: String,
            dimension_id: String,
            score: f64,
            learn_from: Option<i64>,
            contact: Option<String>,
            listed: Option<i64>,
        }
        // The latest closed wave per organisation that froze scores on this model.
        let rows: Vec<Row> = with_pool!(self.store().backend, pool => {
            sqlx::query_as(
                "SELECT o.id AS organisation_id, o.name, o.kind, o.size_class, o.country,
                        s.dimension_id, s.score, b.learn_from, b.contact, b.listed
                 FROM scan_wave_scores s
                 JOIN organisations o ON o.id = s.organisation_id
                 LEFT JOIN scan_benchmark_settings b ON b.organisation_id = s.organisation_id
                 WHERE s.model_id = $1 AND s.organisation_id <> $2
                   AND s.wave_id = (
                     SELECT s2.wave_id FROM scan_wave_scores s2
                     WHERE s2.organisation_id = s.organisation_id AND s2.model_id = $1
                     ORDER BY s2.closed_at DESC, s2.wave_id DESC LIMIT 1)
                 ORDER BY o.id, s.dimension_id",
            )
            .bind(model_id)
            .bind(scope.organisation().0)
            .fetch_all(pool)
            .await
            .map_err(db)?
        });
        let bad = |e: koers_core::FieldError| StoreError::InvalidData(format!("{e:?}"));
        let mut out: Vec<PeerScores> = Vec::new();
        for r in rows {
            let org = OrganisationId(r.organisation_id);
            if out.last().map(|p| p.organisation) != Some(org) {
                let contact = (r.learn_from.unwrap_or(0) != 0)
                    .then(|| (r.name.clone(), r.contact.clone().unwrap_or_default()));
                out.push(PeerScores {
                    organisation: org,
                    kind: OrganisationKind::parse(&r.kind).map_err(bad)?,
                    size_class: SizeClass::parse(&r.size_class).map_err(bad)?,
                    country: Country::parse(&r.country).map_err(bad)?,
                    scores: Vec::new(),
                    contact,
                    listed: r.listed.unwrap_or(0) != 0,
                });
            }
            if let Some(p) = out.last_mut() {
                p.scores.push(FrozenScore {
                    dimension_id: r.dimension_id,
                    score: r.score,
                });
            }
        }
        Ok(out)
    }
}

fn parse_peer_set(text: &str) -> Result<Option<Vec<OrganisationId>>> {
    if text.trim().is_empty() {
        return Ok(None);
    }
    let ids: Vec<i64> = serde_json::from_str(text)
        .map_err(|e| StoreError::InvalidData(format!("scan_benchmark_settings.peer_set: {e}")))?;
    Ok(Some(ids.into_iter().map(OrganisationId).collect()))
}

#[cfg(test)]
mod tests {
    use super::parse_peer_set;
    use koers_core::OrganisationId;

    #[test]
    fn peer_set_empty_means_match() {
        assert_eq!(parse_peer_set("").ok(), Some(None));
        assert_eq!(
            parse_peer_set("[3, 7]").ok(),
            Some(Some(vec![OrganisationId(3), OrganisationId(7)]))
        );
        assert!(parse_peer_set("nope").is_err());
    }
}
