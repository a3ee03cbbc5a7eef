//! Idempotency keys: claimed before a request runs, answered in the transaction of the change
//! the request makes (or after it, when it made none).
//!
//! A claim holds the key with a lease and a fence token. The answer is saved only under that
//! token, so a request whose key was taken over after its lease ran out cannot commit its
//! change: the saving statement finds no row and the whole transaction rolls back.

use chrono::TimeDelta;

use super::{Store, StoreError, StoreResult, transaction, write};
use crate::domain::random_base62;

/// How long a key's first response is replayed.
pub const RETENTION: TimeDelta = TimeDelta::hours(24);

/// The byte a client secret is replaced with in a stored answer. JSON text never holds a raw
/// control character (serde_json escapes them), so nothing a client sent can forge one.
pub const SECRET_PLACEHOLDER: char = '\u{1}';

/// A key this request holds: its scope, the key, and the fence token of this claim.
#[derive(Debug, Clone)]
pub struct KeyHold {
    pub credential: String,
    pub key: String,
    token: String,
}

/// A request's answer, as sent and as kept for replay.
#[derive(Debug, Clone)]
pub struct Answer {
    pub status: u16,
    /// The JSON body, as sent.
    pub body: Vec<u8>,
    /// The client secret the body carries, and the intent it belongs to: it is stored as
    /// [`SECRET_PLACEHOLDER`] and derived again on replay.
    pub client_secret: Option<(String, String)>,
}

impl Answer {
    pub(crate) fn stored_body(&self) -> Vec<u8> {
        match &self.client_secret {
            Some((secret, _)) => String::from_utf8_lossy(&self.body)
                .replace(secret.as_str(), &SECRET_PLACEHOLDER.to_string())
                .into_bytes(),
            None => self.body.clone(),
        }
    }

    pub(crate) fn secret_of(&self) -> Option<&str> {
        self.client_secret.as_ref().map(|(_, intent)| intent.as_str())
    }
}

/// Saves the answer of a change in the change's own transaction: `render` makes it from what
/// the change returns.
pub struct SaveAnswer<'a, T> {
    pub hold: &'a KeyHold,
    pub render: &'a (dyn Fn(&T) -> Answer + Sync),
}

pub enum Claim {
    /// The key is new, its previous use aged out, or its holder's lease ran out without an
    /// answer: run the request under this hold.
    Proceed(KeyHold),
    /// The key was used for another request.
    Reused,
    /// The key's first request is still running.
    InUse,
    /// The key's first request finished: answer this (`secret_of` names the intent whose
    /// client secret goes back in place of the placeholder).
    Replay { status: u16, body: Vec<u8>, secret_of: Option<String> },
}

#[derive(sqlx::FromRow)]
struct KeyRow {
    fingerprint: String,
    token: String,
    status_code: Option<i64>,
    body: Option<Vec<u8>>,
    secret_of: Option<String>,
    locked_until: Option<chrono::DateTime<chrono::Utc>>,
}

/// Writes `$answer` for `$hold` in the caller's transaction; refuses (rolling the transaction
/// back) when the hold was taken over.
macro_rules! save_answer {
    ($tx:expr, $hold:expr, $answer:expr) => {{
        let answer: &$crate::store::Answer = $answer;
        let saved = sqlx::query(
            "UPDATE idempotency_keys SET status_code = $4, content_type = 'application/json', body = $5, \
             secret_of = $6 WHERE credential = $1 AND key = $2 AND token = $3 AND status_code IS NULL",
        )
        .bind(&$hold.credential)
        .bind(&$hold.key)
        .bind($hold.token())
        .bind(i64::from(answer.status))
        .bind(answer.stored_body())
        .bind(answer.secret_of())
        .execute(&mut *$tx)
        .await?
        .rows_affected();
        if saved != 1 {
            return Err($crate::store::StoreError::KeyTakenOver);
        }
    }};
}
pub(crate) use save_answer;

impl KeyHold {
    pub(crate) fn token(&self) -> &str {
        &self.token
    }
}

impl Store {
    /// Claims `key` in the scope `credential` for a request with `fingerprint`, for `lease`.
    /// One transaction decides between concurrent requests with one key: exactly one proceeds.
    pub async fn claim_idempotency_key(
        &self,
        credential: &str,
        key: &str,
        fingerprint: &str,
        lease: TimeDelta,
    ) -> StoreResult<Claim> {
        let now = self.clock.now();
        let hold = KeyHold { credential: credential.to_owned(), key: key.to_owned(), token: random_base62(24) };
        transaction!(self, |tx| {
            // A use older than the retention no longer counts.
            sqlx::query("DELETE FROM idempotency_keys WHERE credential = $1 AND key = $2 AND created_at <= $3")
                .bind(credential)
                .bind(key)
                .bind(now - RETENTION)
                .execute(&mut *tx)
                .await?;
            let inserted = sqlx::query(
                "INSERT INTO idempotency_keys (credential, key, fingerprint, token, locked_until, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (credential, key) DO NOTHING",
            )
            .bind(credential)
            .bind(key)
            .bind(fingerprint)
            .bind(&hold.token)
            .bind(now + lease)
            .bind(now)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if inserted == 1 {
                return Ok(Claim::Proceed(hold));
            }
            let row: KeyRow = sqlx::query_as(
                "SELECT fingerprint, token, status_code, body, secret_of, locked_until FROM idempotency_keys \
                 WHERE credential = $1 AND key = $2",
            )
            .bind(credential)
            .bind(key)
            .fetch_one(&mut *tx)
            .await?;
            if row.fingerprint != fingerprint {
                return Ok(Claim::Reused);
            }
            if let Some(status) = row.status_code {
                return Ok(Claim::Replay {
                    status: u16::try_from(status).map_err(|_| StoreError::Corrupt(format!("status {status}")))?,
                    body: row.body.unwrap_or_default(),
                    secret_of: row.secret_of,
                });
            }
            if row.locked_until.is_some_and(|until| until > now) {
                return Ok(Claim::InUse);
            }
            // The holder died or gave up without an answer, so nothing it did committed: this
            // request takes the key over, and the old holder can no longer save (the fence).
            let taken = sqlx::query(
                "UPDATE idempotency_keys SET token = $4, locked_until = $5 \
                 WHERE credential = $1 AND key = $2 AND token = $3 AND status_code IS NULL",
            )
            .bind(credential)
            .bind(key)
            .bind(&row.token)
            .bind(&hold.token)
            .bind(now + lease)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            Ok(if taken == 1 { Claim::Proceed(hold) } else { Claim::InUse })
        })
    }

    /// Saves the answer of a request that changed nothing (or whose change kept no answer).
    /// A no-op when the answer is already saved, or the hold was taken over.
    pub async fn save_idempotent_answer(&self, hold: &KeyHold, answer: &Answer) -> StoreResult<()> {
        write!(self, |pool| {
            sqlx::query(
                "UPDATE idempotency_keys SET status_code = $4, content_type = 'application/json', body = $5, \
                 secret_of = $6 WHERE credential = $1 AND key = $2 AND token = $3 AND status_code IS NULL",
            )
            .bind(&hold.credential)
            .bind(&hold.key)
            .bind(&hold.token)
            .bind(i64::from(answer.status))
            .bind(answer.stored_body())
            .bind(answer.secret_of())
            .execute(pool)
            .await?
            .rows_affected()
        });
        Ok(())
    }

    /// Gives up a claim that has no answer, so a retry runs afresh (a 5xx before anything
    /// committed, an answer that holds a secret shown once). A no-op once answered.
    pub async fn release_idempotency_key(&self, hold: &KeyHold) -> StoreResult<()> {
        write!(self, |pool| {
            sqlx::query(
                "DELETE FROM idempotency_keys WHERE credential = $1 AND key = $2 AND token = $3 \
                 AND status_code IS NULL",
            )
            .bind(&hold.credential)
            .bind(&hold.key)
            .bind(&hold.token)
            .execute(pool)
            .await?
            .rows_affected()
        });
        Ok(())
    }

    /// Ends the lease of every unanswered claim: for a process that owns its database (SQLite)
    /// and so knows their holders are gone.
    pub(super) async fn release_abandoned_idempotency_keys(&self) -> StoreResult<u64> {
        Ok(write!(self, |pool| {
            sqlx::query("UPDATE idempotency_keys SET locked_until = created_at WHERE status_code IS NULL")
                .execute(pool)
                .await?
                .rows_affected()
        }))
    }

    /// Deletes keys past their retention; returns how many.
    pub async fn delete_old_idempotency_keys(&self) -> StoreResult<u64> {
        Ok(write!(self, |pool| {
            sqlx::query("DELETE FROM idempotency_keys WHERE created_at <= $1")
                .bind(self.clock.now() - RETENTION)
                .execute(pool)
                .await?
                .rows_affected()
        }))
    }
}
