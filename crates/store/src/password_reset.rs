//! One-time password reset links that a beheerder makes for a member. Only the
//! SHA-256 of the token is stored. A link works once, until it expires; the old
//! password keeps working until the reset is done, and the reset ends every
//! login session of the account in the same transaction that sets the password.

use crate::{with_pool, OrgScope, Result, Store, StoreError, User};
use koers_core::links::{may_reset, LinkDates, ResetRefusal, ResetTarget};
use koers_core::{OrganisationId, Timestamp, UserId};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PasswordReset {
    pub id: i64,
    pub organisation_id: OrganisationId,
    pub user_id: UserId,
    pub created_at: Timestamp,
    pub expires_at: Timestamp,
    pub used_at: Option<Timestamp>,
}

impl PasswordReset {
    pub fn dates(&self) -> LinkDates {
        LinkDates {
            expires_at: self.expires_at,
            used_at: self.used_at,
            revoked_at: None,
        }
    }
}

#[derive(sqlx::FromRow)]
struct ResetRow {
    id: i64,
    organisation_id: i64,
    user_id: i64,
    created_at: i64,
    expires_at: i64,
    used_at: Option<i64>,
}

impl From<ResetRow> for PasswordReset {
    fn from(r: ResetRow) -> Self {
        Self {
            id: r.id,
            organisation_id: OrganisationId(r.organisation_id),
            user_id: UserId(r.user_id),
            created_at: r.created_at,
            expires_at: r.expires_at,
            used_at: r.used_at,
        }
    }
}

fn db(e: sqlx::Error) -> StoreError {
    StoreError::from_db(e)
}

pub struct NewPasswordReset<'a> {
    pub user: UserId,
    pub token_hash: &'a str,
    pub created_by: UserId,
    pub now: Timestamp,
    pub expires_at: Timestamp,
}

impl Store {
    /// Makes a reset link for a member of the scope's organisation, under the
    /// core's rule ([`may_reset`]), checked and written in one transaction so a
    /// membership added elsewhere meanwhile cannot slip past the check. A user who
    /// is no member of this organisation is `NotFound`, like one that does not
    /// exist; `Ok(Err)` is the rule's refusal. Returns the member.
    pub async fn create_password_reset(
        &self,
        scope: &OrgScope,
        reset: NewPasswordReset<'_>,
    ) -> Result<std::result::Result<User, ResetRefusal>> {
        let org = scope.organisation();
        let user_sql = format!(
            "SELECT {} FROM users u JOIN memberships m ON m.user_id = u.id
             WHERE m.organisation_id = $1 AND u.id = $2",
            crate::accounts::USER_COLS
                .split(", ")
                .map(|c| format!("u.{c}"))
                .collect::<Vec<_>>()
                .join(", ")
        );
        with_pool!(self.backend(), pool => {
            crate::write_tx!(pool, tx => {
                // A write first: it takes SQLite's write lock for the whole
                // transaction, and on PostgreSQL locks the account's memberships.
                sqlx::query("UPDATE memberships SET role = role WHERE user_id = $1")
                    .bind(reset.user.0)
                    .execute(&mut *tx)
                    .await
                    .map_err(db)?;
                let user: Option<crate::accounts::UserRow> = sqlx::query_as(&user_sql)
                    .bind(org.0)
                    .bind(reset.user.0)
                    .fetch_optional(&mut *tx)
                    .await
                    .map_err(db)?;
                let user = User::from(user.ok_or(StoreError::NotFound)?);
                let other: i64 = sqlx::query_scalar(
                    "SELECT COUNT(*) FROM memberships WHERE user_id = $1 AND organisation_id <> $2",
                )
                .bind(reset.user.0)
                .bind(org.0)
                .fetch_one(&mut *tx)
                .await
                .map_err(db)?;
                let verdict = may_reset(ResetTarget {
                    is_platform_admin: user.is_platform_admin,
                    other_memberships: usize::try_from(other).unwrap_or(usize::MAX),
                });
                match verdict {
                    Ok(()) => {
                        sqlx::query(
                            "INSERT INTO password_resets (organisation_id, user_id, token_hash, created_by, created_at, expires_at)
                             VALUES ($1, $2, $3, $4, $5, $6)",
                        )
                        .bind(org.0)
                        .bind(reset.user.0)
                        .bind(reset.token_hash)
                        .bind(reset.created_by.0)
                        .bind(reset.now)
                        .bind(reset.expires_at)
                        .execute(&mut *tx)
                        .await
                        .map_err(db)?;
                        Ok(user)
                    }
                    Err(refusal) => Err(refusal),
                }
            })
        })
    }

    /// The reset link behind a token, whatever its status.
    pub async fn password_reset_by_token_hash(
        &self,
        token_hash: &str,
    ) -> Result<Option<PasswordReset>> {
        let row: Option<ResetRow> = with_pool!(self.backend(), pool => {
            sqlx::query_as(
                "SELECT id, organisation_id, user_id, created_at, expires_at, used_at
                 FROM password_resets WHERE token_hash = $1",
            )
            .bind(token_hash)
            .fetch_optional(pool)
            .await
            .map_err(db)?
        });
        Ok(row.map(Into::into))
    }

    /// Uses a reset link: claims it (once, before it expires), sets the new
    /// password hash, lifts any lockout, closes the account's other open reset
    /// links and ends every login session of the account, all in one
    /// transaction. A used, expired or unknown link is `NotFound` and changes
    /// nothing. Returns the reset that was used.
    pub async fn use_password_reset(
        &self,
        token_hash: &str,
        password_hash: &str,
        now: Timestamp,
    ) -> Result<PasswordReset> {
        with_pool!(self.backend(), pool => {
            crate::write_tx!(pool, tx => {
                let row: Option<ResetRow> = sqlx::query_as(
                    "UPDATE password_resets SET used_at = $1
                     WHERE token_hash = $2 AND used_at IS NULL AND expires_at > $1
                     RETURNING id, organisation_id, user_id, created_at, expires_at, used_at",
                )
                .bind(now)
                .bind(token_hash)
                .fetch_optional(&mut *tx)
                .await
                .map_err(db)?;
                let reset = PasswordReset::from(row.ok_or(StoreError::NotFound)?);
                sqlx::query(
                    "UPDATE users SET password_hash = $1, failed_logins = 0, locked_until = NULL WHERE id = $2",
                )
                .bind(password_hash)
                .bind(reset.user_id.0)
                .execute(&mut *tx)
                .await
                .map_err(db)?;
                sqlx::query(
                    "UPDATE password_resets SET used_at = $1 WHERE user_id = $2 AND used_at IS NULL",
                )
                .bind(now)
                .bind(reset.user_id.0)
                .execute(&mut *tx)
                .await
                .map_err(db)?;
                sqlx::query("DELETE FROM login_sessions WHERE user_id = $1")
                    .bind(reset.user_id.0)
                    .execute(&mut *tx)
                    .await
                    .map_err(db)?;
                reset
            })
        })
    }
}
