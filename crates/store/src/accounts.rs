//! Organisations, accounts, memberships, invitations, login sessions, settings and the
//! audit log.

use crate::{with_pool, Result, StoreError};
use koers_core::membership::{check_member_change, MemberChange, MembershipError};
use koers_core::{
    Country, InvitationId, OrganisationId, OrganisationKind, Role, SizeClass, Timestamp, UserId,
};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Organisation {
    pub id: OrganisationId,
    pub name: String,
    pub kind: OrganisationKind,
    pub size_class: SizeClass,
    pub country: Country,
    pub created_at: Timestamp,
}

#[derive(sqlx::FromRow)]
struct OrganisationRow {
    id: i64,
    name: String,
    kind: String,
    size_class: String,
    country: String,
    created_at: i64,
}

impl TryFrom<OrganisationRow> for Organisation {
    type Error = StoreError;
    fn try_from(r: OrganisationRow) -> Result<Self> {
        let bad = |e: koers_core::FieldError| StoreError::InvalidData(e.to_string());
        Ok(Self {
            id: OrganisationId(r.id),
            name: r.name,
            kind: OrganisationKind::parse(&r.kind).map_err(bad)?,
            size_class: SizeClass::parse(&r.size_class).map_err(bad)?,
            country: Country::parse(&r.country).map_err(bad)?,
            created_at: r.created_at,
        })
    }
}

pub struct NewOrganisation<'a> {
    pub name: &'a koers_core::OrganisationName,
    pub kind: OrganisationKind,
    pub size_class: SizeClass,
    pub country: Country,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    pub id: UserId,
    pub email: String,
    pub display_name: String,
    pub password_hash: String,
    pub is_platform_admin: bool,
    pub locale: Option<String>,
    pub failed_logins: i64,
    pub locked_until: Option<i64>,
    pub created_at: i64,
}

#[derive(sqlx::FromRow)]
pub(crate) struct UserRow {
    id: i64,
    email: String,
    display_name: String,
    password_hash: String,
    is_platform_admin: bool,
    locale: Option<String>,
    failed_logins: i64,
    locked_until: Option<i64>,
    created_at: i64,
}

impl From<UserRow> for User {
    fn from(r: UserRow) -> Self {
        Self {
            id: UserId(r.id),
            email: r.email,
            display_name: r.display_name,
            password_hash: r.password_hash,
            is_platform_admin: r.is_platform_admin,
            locale: r.locale,
            failed_logins: r.failed_logins,
            locked_until: r.locked_until,
            created_at: r.created_at,
        }
    }
}

pub struct NewUser<'a> {
    pub email: &'a koers_core::Email,
    pub display_name: &'a koers_core::DisplayName,
    pub password_hash: &'a str,
    pub is_platform_admin: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Member {
    pub user_id: UserId,
    pub email: String,
    pub display_name: String,
    pub role: Role,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invitation {
    pub id: InvitationId,
    pub organisation_id: OrganisationId,
    pub role: Role,
    pub note: String,
    /// The only address that may accept it; `None`: whoever holds the link.
    pub email: Option<koers_core::Email>,
    pub created_at: Timestamp,
    pub expires_at: Timestamp,
    pub accepted_at: Option<Timestamp>,
    pub revoked_at: Option<Timestamp>,
}

impl Invitation {
    /// Whether the invitation can still be used, by the core's rule (which the
    /// store's own `expires_at > now` queries agree with).
    pub fn is_open(&self, now: Timestamp) -> bool {
        koers_core::membership::InvitationDates {
            expires_at: self.expires_at,
            accepted_at: self.accepted_at,
            revoked_at: self.revoked_at,
        }
        .status(now)
        .is_open()
    }
}

#[derive(sqlx::FromRow)]
struct InvitationRow {
    id: i64,
    organisation_id: i64,
    role: String,
    note: String,
    email: String,
    created_at: i64,
    expires_at: i64,
    accepted_at: Option<i64>,
    revoked_at: Option<i64>,
}

impl TryFrom<InvitationRow> for Invitation {
    type Error = StoreError;
    fn try_from(r: InvitationRow) -> Result<Self> {
        Ok(Self {
            id: InvitationId(r.id),
            organisation_id: OrganisationId(r.organisation_id),
            role: Role::parse(&r.role).map_err(|e| StoreError::InvalidData(e.to_string()))?,
            note: r.note,
            email: if r.email.is_empty() {
                None
            } else {
                Some(
                    koers_core::Email::parse(&r.email)
                        .map_err(|e| StoreError::InvalidData(e.to_string()))?,
                )
            },
            created_at: r.created_at,
            expires_at: r.expires_at,
            accepted_at: r.accepted_at,
            revoked_at: r.revoked_at,
        })
    }
}

pub struct NewInvitation<'a> {
    pub organisation_id: OrganisationId,
    pub token_hash: &'a str,
    pub role: Role,
    pub note: &'a str,
    /// Tie the invitation to this address (only it may accept).
    pub email: Option<&'a koers_core::Email>,
    pub created_by: UserId,
    pub now: Timestamp,
    pub expires_at: Timestamp,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditEntry {
    pub organisation_id: Option<OrganisationId>,
    pub actor: Option<UserId>,
    pub action: String,
    pub detail: String,
    pub created_at: Timestamp,
}

const ORG_COLS: &str = "id, name, kind, size_class, country, created_at";
pub(crate) const USER_COLS: &str = "id, email, display_name, password_hash, is_platform_admin, locale, failed_logins, locked_until, created_at";
const INVITATION_COLS: &str =
    "id, organisation_id, role, note, email, created_at, expires_at, accepted_at, revoked_at";

fn db(e: sqlx::Error) -> StoreError {
    StoreError::from_db(e)
}

impl crate::Store {
    // ---- organisations -------------------------------------------------------

    pub async fn create_organisation(
        &self,
        org: NewOrganisation<'_>,
        now: Timestamp,
    ) -> Result<Organisation> {
        let sql = format!(
            "INSERT INTO organisations (name, kind, size_class, country, created_at)
             VALUES ($1, $2, $3, $4, $5) RETURNING {ORG_COLS}"
        );
        let row: OrganisationRow = with_pool!(self.backend, pool => {
            // In a transaction of its own: on SQLite a RETURNING row read
            // with fetch_one comes back before the statement is done, so a
            // failed autocommit would go unseen; the commit reports it.
            crate::write_tx!(pool, tx => { sqlx::query_as(&sql)
                .bind(org.name.as_str())
                .bind(org.kind.as_str())
                .bind(org.size_class.as_str())
                .bind(org.country.as_str())
                .bind(now)
                .fetch_one(&mut *tx)
                .await
                .map_err(db)? })?
        });
        row.try_into()
    }

    pub async fn update_organisation(
        &self,
        id: OrganisationId,
        org: NewOrganisation<'_>,
    ) -> Result<()> {
        let done = with_pool!(self.backend, pool => {
            sqlx::query("UPDATE organisations SET name = $1, kind = $2, size_class = $3, country = $4 WHERE id = $5")
                .bind(org.name.as_str())
                .bind(org.kind.as_str())
                .bind(org.size_class.as_str())
                .bind(org.country.as_str())
                .bind(id.0)
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

    pub async fn organisation(&self, id: OrganisationId) -> Result<Organisation> {
        let sql = format!("SELECT {ORG_COLS} FROM organisations WHERE id = $1");
        let row: OrganisationRow = with_pool!(self.backend, pool => {
            sqlx::query_as(&sql).bind(id.0).fetch_optional(pool).await.map_err(db)?
        })
        .ok_or(StoreError::NotFound)?;
        row.try_into()
    }

    pub async fn organisations(&self) -> Result<Vec<Organisation>> {
        let sql = format!("SELECT {ORG_COLS} FROM organisations ORDER BY lower(name)");
        let rows: Vec<OrganisationRow> = with_pool!(self.backend, pool => {
            sqlx::query_as(&sql).fetch_all(pool).await.map_err(db)?
        });
        rows.into_iter().map(TryInto::try_into).collect()
    }

    /// The organisations `user` belongs to, with the role held in each.
    pub async fn memberships_of(&self, user: UserId) -> Result<Vec<(Organisation, Role)>> {
        let sql = "SELECT o.id, o.name, o.kind, o.size_class, o.country, o.created_at, m.role
                   FROM memberships m JOIN organisations o ON o.id = m.organisation_id
                   WHERE m.user_id = $1 ORDER BY lower(o.name)";
        #[derive(sqlx::FromRow)]
        struct Row {
            #[sqlx(flatten)]
            org: OrganisationRow,
            role: String,
        }
        let rows: Vec<Row> = with_pool!(self.backend, pool => {
            sqlx::query_as(sql).bind(user.0).fetch_all(pool).await.map_err(db)?
        });
        rows.into_iter()
            .map(|r| {
                let role =
                    Role::parse(&r.role).map_err(|e| StoreError::InvalidData(e.to_string()))?;
                Ok((r.org.try_into()?, role))
            })
            .collect()
    }

    // ---- users -------------------------------------------------------------

    pub async fn create_user(&self, user: NewUser<'_>, now: Timestamp) -> Result<User> {
        let sql = format!(
            "INSERT INTO users (email, display_name, password_hash, is_platform_admin, created_at)
             VALUES ($1, $2, $3, $4, $5) RETURNING {USER_COLS}"
        );
        let row: UserRow = with_pool!(self.backend, pool => {
            // In a transaction of its own: on SQLite a RETURNING row read
            // with fetch_one comes back before the statement is done, so a
            // failed autocommit would go unseen; the commit reports it.
            crate::write_tx!(pool, tx => { sqlx::query_as(&sql)
                .bind(user.email.as_str())
                .bind(user.display_name.as_str())
                .bind(user.password_hash)
                .bind(user.is_platform_admin)
                .bind(now)
                .fetch_one(&mut *tx)
                .await
                .map_err(db)? })?
        });
        Ok(row.into())
    }

    pub async fn user(&self, id: UserId) -> Result<User> {
        let sql = format!("SELECT {USER_COLS} FROM users WHERE id = $1");
        let row: Option<UserRow> = with_pool!(self.backend, pool => {
            sqlx::query_as(&sql).bind(id.0).fetch_optional(pool).await.map_err(db)?
        });
        row.map(User::from).ok_or(StoreError::NotFound)
    }

    pub async fn user_by_email(&self, email: &koers_core::Email) -> Result<Option<User>> {
        let sql = format!("SELECT {USER_COLS} FROM users WHERE email = $1");
        let row: Option<UserRow> = with_pool!(self.backend, pool => {
            sqlx::query_as(&sql).bind(email.as_str()).fetch_optional(pool).await.map_err(db)?
        });
        Ok(row.map(User::from))
    }

    pub async fn users(&self) -> Result<Vec<User>> {
        let sql = format!("SELECT {USER_COLS} FROM users ORDER BY email");
        let rows: Vec<UserRow> = with_pool!(self.backend, pool => {
            sqlx::query_as(&sql).fetch_all(pool).await.map_err(db)?
        });
        Ok(rows.into_iter().map(User::from).collect())
    }

    pub async fn has_platform_admin(&self) -> Result<bool> {
        let n: i64 = with_pool!(self.backend, pool => {
            sqlx::query_scalar("SELECT COUNT(*) FROM users WHERE is_platform_admin")
                .fetch_one(pool)
                .await
                .map_err(db)?
        });
        Ok(n > 0)
    }

    /// Sets a new password hash and lifts any lockout.
    pub async fn set_password_hash(&self, id: UserId, hash: &str) -> Result<()> {
        let done = with_pool!(self.backend, pool => {
            sqlx::query("UPDATE users SET password_hash = $1, failed_logins = 0, locked_until = NULL WHERE id = $2")
                .bind(hash)
                .bind(id.0)
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

    pub async fn set_locale(&self, id: UserId, locale: &str) -> Result<()> {
        with_pool!(self.backend, pool => {
            sqlx::query("UPDATE users SET locale = $1 WHERE id = $2")
                .bind(locale)
                .bind(id.0)
                .execute(pool)
                .await
                .map_err(db)?;
        });
        Ok(())
    }

    /// Counts a failed login atomically and returns the new count, so that
    /// concurrent attempts on several instances cannot undercount.
    pub async fn record_failed_login(&self, id: UserId) -> Result<i64> {
        Ok(with_pool!(self.backend, pool => {
            // In a transaction of its own: on SQLite a RETURNING row read
            // with fetch_one comes back before the statement is done, so a
            // failed autocommit would go unseen; the commit reports it.
            crate::write_tx!(pool, tx => { sqlx::query_scalar("UPDATE users SET failed_logins = failed_logins + 1 WHERE id = $1 RETURNING failed_logins")
                .bind(id.0)
                .fetch_one(&mut *tx)
                .await
                .map_err(db)? })?
        }))
    }

    pub async fn lock_user(&self, id: UserId, until: Timestamp) -> Result<()> {
        with_pool!(self.backend, pool => {
            sqlx::query("UPDATE users SET locked_until = $1, failed_logins = 0 WHERE id = $2")
                .bind(until)
                .bind(id.0)
                .execute(pool)
                .await
                .map_err(db)?;
        });
        Ok(())
    }

    pub async fn record_successful_login(&self, id: UserId) -> Result<()> {
        with_pool!(self.backend, pool => {
            sqlx::query("UPDATE users SET failed_logins = 0, locked_until = NULL WHERE id = $1")
                .bind(id.0)
                .execute(pool)
                .await
                .map_err(db)?;
        });
        Ok(())
    }

    // ---- memberships -------------------------------------------------------

    /// Adds `user` to `org`, or changes the role if already a member.
    pub async fn set_membership(
        &self,
        org: OrganisationId,
        user: UserId,
        role: Role,
        now: Timestamp,
    ) -> Result<()> {
        with_pool!(self.backend, pool => {
            sqlx::query(
                "INSERT INTO memberships (organisation_id, user_id, role, created_at) VALUES ($1, $2, $3, $4)
                 ON CONFLICT (organisation_id, user_id) DO UPDATE SET role = excluded.role",
            )
            .bind(org.0)
            .bind(user.0)
            .bind(role.as_str())
            .bind(now)
            .execute(pool)
            .await
            .map_err(db)?;
        });
        Ok(())
    }

    pub async fn remove_membership(&self, scope: &OrgScope, user: UserId) -> Result<()> {
        let org = scope.organisation();
        let done = with_pool!(self.backend, pool => {
            sqlx::query("DELETE FROM memberships WHERE organisation_id = $1 AND user_id = $2")
                .bind(org.0)
                .bind(user.0)
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

    pub async fn role_in(&self, org: OrganisationId, user: UserId) -> Result<Option<Role>> {
        let role: Option<String> = with_pool!(self.backend, pool => {
            sqlx::query_scalar("SELECT role FROM memberships WHERE organisation_id = $1 AND user_id = $2")
                .bind(org.0)
                .bind(user.0)
                .fetch_optional(pool)
                .await
                .map_err(db)?
        });
        role.map(|r| Role::parse(&r).map_err(|e| StoreError::InvalidData(e.to_string())))
            .transpose()
    }

    pub async fn members(&self, scope: &OrgScope) -> Result<Vec<Member>> {
        let org = scope.organisation();
        #[derive(sqlx::FromRow)]
        struct Row {
            id: i64,
            email: String,
            display_name: String,
            role: String,
        }
        let rows: Vec<Row> = with_pool!(self.backend, pool => {
            sqlx::query_as(
                "SELECT u.id, u.email, u.display_name, m.role FROM memberships m
                 JOIN users u ON u.id = m.user_id WHERE m.organisation_id = $1 ORDER BY lower(u.display_name), u.id",
            )
            .bind(org.0)
            .fetch_all(pool)
            .await
            .map_err(db)?
        });
        rows.into_iter()
            .map(|r| {
                Ok(Member {
                    user_id: UserId(r.id),
                    email: r.email,
                    display_name: r.display_name,
                    role: Role::parse(&r.role)
                        .map_err(|e| StoreError::InvalidData(e.to_string()))?,
                })
            })
            .collect()
    }

    // ---- invitations -------------------------------------------------------

    pub async fn create_invitation(&self, inv: NewInvitation<'_>) -> Result<Invitation> {
        let sql = format!(
            "INSERT INTO invitations (organisation_id, token_hash, role, note, created_by, created_at, expires_at, email)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING {INVITATION_COLS}"
        );
        let row: InvitationRow = with_pool!(self.backend, pool => {
            // In a transaction of its own: on SQLite a RETURNING row read
            // with fetch_one comes back before the statement is done, so a
            // failed autocommit would go unseen; the commit reports it.
            crate::write_tx!(pool, tx => { sqlx::query_as(&sql)
                .bind(inv.organisation_id.0)
                .bind(inv.token_hash)
                .bind(inv.role.as_str())
                .bind(inv.note)
                .bind(inv.created_by.0)
                .bind(inv.now)
                .bind(inv.expires_at)
                .bind(inv.email.map_or("", |e| e.as_str()))
                .fetch_one(&mut *tx)
                .await
                .map_err(db)? })?
        });
        row.try_into()
    }

    pub async fn invitations(&self, scope: &OrgScope) -> Result<Vec<Invitation>> {
        let org = scope.organisation();
        let sql = format!(
            "SELECT {INVITATION_COLS} FROM invitations WHERE organisation_id = $1 ORDER BY created_at DESC, id DESC"
        );
        let rows: Vec<InvitationRow> = with_pool!(self.backend, pool => {
            sqlx::query_as(&sql).bind(org.0).fetch_all(pool).await.map_err(db)?
        });
        rows.into_iter().map(TryInto::try_into).collect()
    }

    pub async fn invitation_by_token_hash(&self, token_hash: &str) -> Result<Option<Invitation>> {
        let sql = format!("SELECT {INVITATION_COLS} FROM invitations WHERE token_hash = $1");
        let row: Option<InvitationRow> = with_pool!(self.backend, pool => {
            sqlx::query_as(&sql).bind(token_hash).fetch_optional(pool).await.map_err(db)?
        });
        row.map(TryInto::try_into).transpose()
    }

    /// Revokes an open invitation of `org`. An id from another organisation is
    /// `NotFound`, exactly like an id that does not exist.
    pub async fn revoke_invitation(
        &self,
        scope: &OrgScope,
        id: InvitationId,
        now: Timestamp,
    ) -> Result<()> {
        let org = scope.organisation();
        let done = with_pool!(self.backend, pool => {
            sqlx::query(
                "UPDATE invitations SET revoked_at = $1
                 WHERE id = $2 AND organisation_id = $3 AND accepted_at IS NULL AND revoked_at IS NULL",
            )
            .bind(now)
            .bind(id.0)
            .bind(org.0)
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

    /// Uses an invitation: marks it accepted and grants the membership, in one
    /// transaction, so that an invitation can never be used twice. Returns the
    /// organisation joined. An existing higher role is kept.
    pub async fn accept_invitation(
        &self,
        token_hash: &str,
        user: UserId,
        now: Timestamp,
    ) -> Result<OrganisationId> {
        with_pool!(self.backend, pool => {
            crate::write_tx!(pool, tx => {
            // An invitation tied to an address is only for the account with it.
            let row: Option<(i64, String)> = sqlx::query_as(
                "UPDATE invitations SET accepted_at = $1, accepted_by = $2
                 WHERE token_hash = $3 AND accepted_at IS NULL AND revoked_at IS NULL AND expires_at > $1
                   AND (email = '' OR email = (SELECT email FROM users WHERE id = $2))
                 RETURNING organisation_id, role",
            )
            .bind(now)
            .bind(user.0)
            .bind(token_hash)
            .fetch_optional(&mut *tx)
            .await
            .map_err(db)?;
            let (org, role) = row.ok_or(StoreError::NotFound)?;
            let role = Role::parse(&role).map_err(|e| StoreError::InvalidData(e.to_string()))?;
            let current: Option<String> =
                sqlx::query_scalar("SELECT role FROM memberships WHERE organisation_id = $1 AND user_id = $2")
                    .bind(org)
                    .bind(user.0)
                    .fetch_optional(&mut *tx)
                    .await
                    .map_err(db)?;
            let keep = current.and_then(|r| Role::parse(&r).ok()).is_some_and(|r| r >= role);
            if !keep {
                sqlx::query(
                    "INSERT INTO memberships (organisation_id, user_id, role, created_at) VALUES ($1, $2, $3, $4)
                     ON CONFLICT (organisation_id, user_id) DO UPDATE SET role = excluded.role",
                )
                .bind(org)
                .bind(user.0)
                .bind(role.as_str())
                .bind(now)
                .execute(&mut *tx)
                .await
                .map_err(db)?;
            }
            OrganisationId(org)
            })
        })
    }

    /// Uses an invitation for a newcomer: creates the account and grants the
    /// membership in one transaction that claims the invitation first, so that one
    /// link followed in several browsers at once makes one account (the others find
    /// the invitation used, `NotFound`, and create nothing). An e-mail address that
    /// is taken is `Conflict`, and then the invitation stays open.
    pub async fn accept_invitation_as_new_user(
        &self,
        token_hash: &str,
        user: NewUser<'_>,
        now: Timestamp,
    ) -> Result<(User, OrganisationId)> {
        let insert_user = format!(
            "INSERT INTO users (email, display_name, password_hash, is_platform_admin, created_at)
             VALUES ($1, $2, $3, $4, $5) RETURNING {USER_COLS}"
        );
        with_pool!(self.backend, pool => {
            crate::write_tx!(pool, tx => {
            // The claim is the transaction's first statement and a write: on SQLite
            // it takes the write lock (waiting out the busy timeout), on PostgreSQL
            // a second claim waits for the first and then finds it used.
            let row: Option<(i64, i64, String)> = sqlx::query_as(
                "UPDATE invitations SET accepted_at = $1
                 WHERE token_hash = $2 AND accepted_at IS NULL AND revoked_at IS NULL AND expires_at > $1
                   AND (email = '' OR email = $3)
                 RETURNING id, organisation_id, role",
            )
            .bind(now)
            .bind(token_hash)
            .bind(user.email.as_str())
            .fetch_optional(&mut *tx)
            .await
            .map_err(db)?;
            let (invitation, org, role) = row.ok_or(StoreError::NotFound)?;
            let role = Role::parse(&role).map_err(|e| StoreError::InvalidData(e.to_string()))?;
            let created: UserRow = sqlx::query_as(&insert_user)
                .bind(user.email.as_str())
                .bind(user.display_name.as_str())
                .bind(user.password_hash)
                .bind(user.is_platform_admin)
                .bind(now)
                .fetch_one(&mut *tx)
                .await
                .map_err(db)?;
            sqlx::query("UPDATE invitations SET accepted_by = $1 WHERE id = $2")
                .bind(created.id)
                .bind(invitation)
                .execute(&mut *tx)
                .await
                .map_err(db)?;
            sqlx::query(
                "INSERT INTO memberships (organisation_id, user_id, role, created_at) VALUES ($1, $2, $3, $4)",
            )
            .bind(org)
            .bind(created.id)
            .bind(role.as_str())
            .bind(now)
            .execute(&mut *tx)
            .await
            .map_err(db)?;
            (User::from(created), OrganisationId(org))
            })
        })
    }

    /// Changes a member's role or removes them, under the rule that the
    /// organisation keeps a beheerder ([`check_member_change`]), checked and
    /// written in one transaction: two beheerders removing each other at once
    /// cannot both pass a check that each read before the other wrote. `Ok(Err)`
    /// is the rule's refusal; a user who is no member is `NotFound`.
    pub async fn change_member(
        &self,
        scope: &OrgScope,
        user: UserId,
        change: MemberChange,
    ) -> Result<std::result::Result<(), MembershipError>> {
        let org = scope.organisation();
        with_pool!(self.backend, pool => {
            crate::write_tx!(pool, tx => {
            // A write before the read: it takes SQLite's write lock for the whole
            // transaction (so the read below cannot be stale), and on PostgreSQL it
            // locks the organisation's membership rows until commit; a concurrent
            // change waits here and then reads what this one wrote.
            sqlx::query("UPDATE memberships SET role = role WHERE organisation_id = $1")
                .bind(org.0)
                .execute(&mut *tx)
                .await
                .map_err(db)?;
            let rows: Vec<(i64, String)> =
                sqlx::query_as("SELECT user_id, role FROM memberships WHERE organisation_id = $1")
                    .bind(org.0)
                    .fetch_all(&mut *tx)
                    .await
                    .map_err(db)?;
            let mut members = Vec::with_capacity(rows.len());
            for (id, role) in rows {
                let role = Role::parse(&role).map_err(|e| StoreError::InvalidData(e.to_string()))?;
                members.push((UserId(id), role));
            }
            if !members.iter().any(|(id, _)| *id == user) {
                return Err(StoreError::NotFound);
            }
            if let Err(refusal) = check_member_change(members, user, change) {
                return Ok(Err(refusal));
            }
            match change {
                MemberChange::SetRole(role) => {
                    sqlx::query("UPDATE memberships SET role = $1 WHERE organisation_id = $2 AND user_id = $3")
                        .bind(role.as_str())
                        .bind(org.0)
                        .bind(user.0)
                        .execute(&mut *tx)
                        .await
                        .map_err(db)?;
                }
                MemberChange::Remove => {
                    sqlx::query("DELETE FROM memberships WHERE organisation_id = $1 AND user_id = $2")
                        .bind(org.0)
                        .bind(user.0)
                        .execute(&mut *tx)
                        .await
                        .map_err(db)?;
                }
            }
            Ok(())
            })
        })
    }

    // ---- login sessions ----------------------------------------------------

    pub async fn create_login_session(
        &self,
        token_hash: &str,
        user: UserId,
        now: Timestamp,
        expires_at: Timestamp,
    ) -> Result<()> {
        with_pool!(self.backend, pool => {
            sqlx::query("INSERT INTO login_sessions (token_hash, user_id, created_at, expires_at) VALUES ($1, $2, $3, $4)")
                .bind(token_hash)
                .bind(user.0)
                .bind(now)
                .bind(expires_at)
                .execute(pool)
                .await
                .map_err(db)?;
        });
        Ok(())
    }

    /// The user behind a live login session, if the session exists and has not expired.
    pub async fn login_session_user(
        &self,
        token_hash: &str,
        now: Timestamp,
    ) -> Result<Option<User>> {
        let sql = format!(
            "SELECT {} FROM login_sessions s JOIN users u ON u.id = s.user_id
             WHERE s.token_hash = $1 AND s.expires_at > $2",
            USER_COLS
                .split(", ")
                .map(|c| format!("u.{c}"))
                .collect::<Vec<_>>()
                .join(", ")
        );
        let row: Option<UserRow> = with_pool!(self.backend, pool => {
            sqlx::query_as(&sql).bind(token_hash).bind(now).fetch_optional(pool).await.map_err(db)?
        });
        Ok(row.map(User::from))
    }

    pub async fn delete_login_session(&self, token_hash: &str) -> Result<()> {
        with_pool!(self.backend, pool => {
            sqlx::query("DELETE FROM login_sessions WHERE token_hash = $1")
                .bind(token_hash)
                .execute(pool)
                .await
                .map_err(db)?;
        });
        Ok(())
    }

    /// Ends every login session of a user (after a password reset).
    pub async fn delete_login_sessions_of(&self, user: UserId) -> Result<()> {
        with_pool!(self.backend, pool => {
            sqlx::query("DELETE FROM login_sessions WHERE user_id = $1")
                .bind(user.0)
                .execute(pool)
                .await
                .map_err(db)?;
        });
        Ok(())
    }

    pub async fn purge_expired_login_sessions(&self, now: Timestamp) -> Result<u64> {
        Ok(with_pool!(self.backend, pool => {
            sqlx::query("DELETE FROM login_sessions WHERE expires_at <= $1")
                .bind(now)
                .execute(pool)
                .await
                .map_err(db)?
                .rows_affected()
        }))
    }

    // ---- settings and audit -------------------------------------------------

    pub async fn setting(&self, key: &str) -> Result<Option<String>> {
        Ok(with_pool!(self.backend, pool => {
            sqlx::query_scalar("SELECT value FROM settings WHERE key = $1")
                .bind(key)
                .fetch_optional(pool)
                .await
                .map_err(db)?
        }))
    }

    pub async fn put_setting(&self, key: &str, value: &str) -> Result<()> {
        with_pool!(self.backend, pool => {
            sqlx::query("INSERT INTO settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value")
                .bind(key)
                .bind(value)
                .execute(pool)
                .await
                .map_err(db)?;
        });
        Ok(())
    }

    pub async fn audit(&self, entry: &AuditEntry) -> Result<()> {
        with_pool!(self.backend, pool => {
            sqlx::query(
                "INSERT INTO audit_log (organisation_id, actor_user_id, action, detail, created_at) VALUES ($1, $2, $3, $4, $5)",
            )
            .bind(entry.organisation_id.map(|o| o.0))
            .bind(entry.actor.map(|u| u.0))
            .bind(&entry.action)
            .bind(&entry.detail)
            .bind(entry.created_at)
            .execute(pool)
            .await
            .map_err(db)?;
        });
        Ok(())
    }

    /// The newest audit entries of one organisation.
    pub async fn audit_log(&self, scope: &OrgScope, limit: i64) -> Result<Vec<AuditEntry>> {
        let org = scope.organisation();
        #[derive(sqlx::FromRow)]
        struct Row {
            organisation_id: Option<i64>,
            actor_user_id: Option<i64>,
            action: String,
            detail: String,
            created_at: i64,
        }
        let rows: Vec<Row> = with_pool!(self.backend, pool => {
            sqlx::query_as(
                "SELECT organisation_id, actor_user_id, action, detail, created_at FROM audit_log
                 WHERE organisation_id = $1 ORDER BY created_at DESC, id DESC LIMIT $2",
            )
            .bind(org.0)
            .bind(limit)
            .fetch_all(pool)
            .await
            .map_err(db)?
        });
        Ok(rows
            .into_iter()
            .map(|r| AuditEntry {
                organisation_id: r.organisation_id.map(OrganisationId),
                actor: r.actor_user_id.map(UserId),
                action: r.action,
                detail: r.detail,
                created_at: r.created_at,
            })
            .collect())
    }
}

/// Proof that the caller may see an organisation's data: a member, or a platform
/// administrator. Only [`Store::authorise`] (and, for trusted tools,
/// [`Store::system_scope`]) makes one, and every organisation-scoped read takes
/// one, so a request handler that forgets the access check does not compile.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct OrgScope {
    organisation: OrganisationId,
}

impl OrgScope {
    pub fn organisation(&self) -> OrganisationId {
        self.organisation
    }
}

/// The outcome of the access check: the organisation, the user's role in it
/// (`None` for a platform administrator who is not a member) and the scope.
#[derive(Debug, Clone)]
pub struct Membership {
    pub organisation: Organisation,
    pub role: Option<Role>,
    pub scope: OrgScope,
}

impl crate::Store {
    /// The one access check for organisation data. A user who is neither a
    /// member nor a platform administrator gets `NotFound`, exactly as for an
    /// organisation that does not exist, so ids cannot be probed.
    pub async fn authorise(&self, user: &User, org: OrganisationId) -> Result<Membership> {
        let organisation = self.organisation(org).await?;
        let role = self.role_in(org, user.id).await?;
        if role.is_none() && !user.is_platform_admin {
            return Err(StoreError::NotFound);
        }
        Ok(Membership {
            organisation,
            role,
            scope: OrgScope { organisation: org },
        })
    }

    /// A scope without a user, for trusted tools only: the command line, the
    /// demo seed and tests. `clippy.toml` forbids it in request handlers.
    pub fn system_scope(&self, org: OrganisationId) -> OrgScope {
        OrgScope { organisation: org }
    }
}
