//! Members: who may act on a merchant, and with which role.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::{Page, Resource, Store, StoreError, StoreResult, cursor, read, transaction};
use crate::domain::{Email, Role};

#[derive(Debug, Clone)]
pub struct MemberRow {
    pub user_id: Uuid,
    pub email: String,
    pub name: String,
    pub role: Role,
    pub created_at: DateTime<Utc>,
}

#[derive(sqlx::FromRow)]
struct RawMember {
    user_id: Uuid,
    email: String,
    name: String,
    role: String,
    created_at: DateTime<Utc>,
}

impl TryFrom<RawMember> for MemberRow {
    type Error = StoreError;
    fn try_from(raw: RawMember) -> StoreResult<Self> {
        Ok(Self {
            user_id: raw.user_id,
            email: raw.email,
            name: raw.name,
            role: parse_role(&raw.role)?,
            created_at: raw.created_at,
        })
    }
}

fn parse_role(raw: &str) -> StoreResult<Role> {
    Role::parse(raw).map_err(|_| StoreError::Corrupt(format!("unknown role {raw:?}")))
}

impl Store {
    /// The role `user` holds on `merchant`, or `None` when they are not a member.
    pub async fn member_role(&self, merchant: Uuid, user: Uuid) -> StoreResult<Option<Role>> {
        let role: Option<String> = read!(self, |pool| {
            sqlx::query_scalar("SELECT role FROM members WHERE merchant_id = $1 AND user_id = $2")
                .bind(merchant)
                .bind(user)
                .fetch_optional(pool)
                .await?
        });
        role.as_deref().map(parse_role).transpose()
    }

    /// Members of `merchant`, newest first; the cursor is a member's user id.
    pub async fn list_members(&self, merchant: Uuid, page: Page<Uuid>) -> StoreResult<(Vec<MemberRow>, bool)> {
        let (after_at, after_id) = cursor!(
            self,
            "SELECT created_at, user_id FROM members WHERE merchant_id = $1 AND user_id = $2",
            merchant,
            page.starting_after,
            Uuid
        );
        let rows: Vec<RawMember> = read!(self, |pool| {
            sqlx::query_as(
                "SELECT mem.user_id, u.email, u.name, mem.role, mem.created_at
                 FROM members mem JOIN users u ON u.id = mem.user_id
                 WHERE mem.merchant_id = $1
                   AND ($2 IS NULL OR mem.created_at < $2 OR (mem.created_at = $2 AND mem.user_id < $3))
                 ORDER BY mem.created_at DESC, mem.user_id DESC LIMIT $4",
            )
            .bind(merchant)
            .bind(after_at)
            .bind(after_id)
            .bind(i64::from(page.limit) + 1)
            .fetch_all(pool)
            .await?
        });
        let rows = rows.into_iter().map(MemberRow::try_from).collect::<StoreResult<Vec<_>>>()?;
        Ok(super::split_page(rows, page.limit))
    }

    /// Adds the registered user with `email` to `merchant`. `NotFound` when no user has that
    /// email; `Duplicate` when they are a member already.
    pub async fn add_member(&self, merchant: Uuid, email: &Email, role: Role) -> StoreResult<MemberRow> {
        let raw: RawMember = transaction!(self, |tx| {
            let user: Option<(Uuid, String, String)> =
                sqlx::query_as("SELECT id, email, name FROM users WHERE email = $1")
                    .bind(email.as_ref())
                    .fetch_optional(&mut *tx)
                    .await?;
            let (user_id, email, name) = user.ok_or(StoreError::NotFound(Resource::UserWithEmail))?;
            let now = self.clock.now();
            sqlx::query("INSERT INTO members (merchant_id, user_id, role, created_at) VALUES ($1, $2, $3, $4)")
                .bind(merchant)
                .bind(user_id)
                .bind(role.as_str())
                .bind(now)
                .execute(&mut *tx)
                .await
                .map_err(super::duplicate_as(super::Unique::Member))?;
            Ok::<_, StoreError>(RawMember { user_id, email, name, role: role.as_str().to_owned(), created_at: now })
        })?;
        raw.try_into()
    }

    /// `actor` removes `target` from `merchant`. The permission rules are checked inside the
    /// transaction, against the roles as they are when the row goes: `actor` must be an admin and
    /// hold at least the target's role (`Refused`), the target must be a member (`NotFound`, as
    /// is an actor who is no longer one), and the last owner stays (`LastOwner`).
    pub async fn remove_member(&self, merchant: Uuid, actor: Uuid, target: Uuid) -> StoreResult<()> {
        transaction!(self, |tx| {
            // Touching the merchant row first serialises membership changes per merchant:
            // PostgreSQL holds its row lock until commit (SQLite's BEGIN IMMEDIATE already
            // serialises writers). Without it, two owners removing each other at once would each
            // count two owners and leave none, and an admin could remove a member who was just
            // promoted above them.
            sqlx::query("UPDATE merchants SET updated_at = $2 WHERE id = $1")
                .bind(merchant)
                .bind(self.clock.now())
                .execute(&mut *tx)
                .await?;
            let role_of = "SELECT role FROM members WHERE merchant_id = $1 AND user_id = $2";
            let actor_role: Option<String> =
                sqlx::query_scalar(role_of).bind(merchant).bind(actor).fetch_optional(&mut *tx).await?;
            let target_role: Option<String> =
                sqlx::query_scalar(role_of).bind(merchant).bind(target).fetch_optional(&mut *tx).await?;
            let (Some(actor_role), Some(target_role)) = (actor_role, target_role) else {
                return Err(StoreError::NotFound(Resource::Member));
            };
            let (actor_role, target_role) = (parse_role(&actor_role)?, parse_role(&target_role)?);
            actor_role.require(Role::Admin)?;
            actor_role.may_manage(target_role)?;
            let owners: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM members WHERE merchant_id = $1 AND role = $2")
                .bind(merchant)
                .bind(Role::Owner.as_str())
                .fetch_one(&mut *tx)
                .await?;
            if target_role == Role::Owner && owners <= 1 {
                return Err(StoreError::LastOwner);
            }
            sqlx::query("DELETE FROM members WHERE merchant_id = $1 AND user_id = $2")
                .bind(merchant)
                .bind(target)
                .execute(&mut *tx)
                .await?;
            Ok(())
        })
    }
}
