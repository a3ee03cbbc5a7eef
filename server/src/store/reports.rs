//! The payments report behind the dashboard's charts: per UTC day and currency, what succeeded
//! (count and amount captured), what was refunded, and how many attempts were declined, summed
//! by the database rather than by paging every intent out of it.

use chrono::{DateTime, NaiveDate, Utc};
use uuid::Uuid;

use super::{Db, Store, StoreError, StoreResult};
use crate::domain::EventKind;

/// One day's activity in one currency.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DayActivity {
    pub day: NaiveDate,
    pub currency: String,
    /// How many intents succeeded (were captured) that day, and how much was captured.
    pub succeeded: i64,
    pub gross: i64,
    /// The refunds created that day.
    pub refunded: i64,
    /// How many payment attempts were declined that day.
    pub failed: i64,
}

/// The query, given the SQL that turns a timestamp column into its UTC day, `YYYY-MM-DD`.
/// Succeeded and declined attempts are events (one per capture, one per decline), joined to
/// their intent for the currency and the amount received; refunds are rows of their own.
macro_rules! activity_sql {
    ($event_day:literal, $refund_day:literal) => {
        concat!(
            "SELECT day, currency, kind, COUNT(*) AS n, CAST(COALESCE(SUM(amount), 0) AS BIGINT) AS total FROM (",
            "SELECT ",
            $event_day,
            " AS day, p.currency AS currency, e.type AS kind, p.amount_received AS amount \
             FROM events e JOIN payment_intents p ON p.id = e.payment_intent_id \
             WHERE e.merchant_id = $1 AND e.type IN ($2, $3) AND e.created_at >= $4 AND e.created_at < $5 \
             UNION ALL SELECT ",
            $refund_day,
            " AS day, p.currency AS currency, 'refund' AS kind, r.amount AS amount \
             FROM refunds r JOIN payment_intents p ON p.id = r.payment_intent_id \
             WHERE p.merchant_id = $1 AND r.created_at >= $4 AND r.created_at < $5\
             ) activity GROUP BY day, currency, kind"
        )
    };
}

impl Store {
    /// The merchant's activity in `[from, until)`, one entry per day and currency that had any,
    /// in no particular order.
    pub async fn payment_activity(
        &self,
        merchant: Uuid,
        from: DateTime<Utc>,
        until: DateTime<Utc>,
    ) -> StoreResult<Vec<DayActivity>> {
        let succeeded = EventKind::PaymentIntentSucceeded.as_str();
        let failed = EventKind::PaymentIntentPaymentFailed.as_str();
        let rows: Vec<(String, String, String, i64, i64)> = match &self.db {
            // SQLite keeps timestamps as RFC 3339 text in UTC: the day is its first ten bytes.
            Db::Sqlite { read, .. } => {
                sqlx::query_as(activity_sql!("substr(e.created_at, 1, 10)", "substr(r.created_at, 1, 10)"))
                    .bind(merchant)
                    .bind(succeeded)
                    .bind(failed)
                    .bind(from)
                    .bind(until)
                    .fetch_all(read)
                    .await?
            }
            Db::Postgres(pool) => {
                sqlx::query_as(activity_sql!(
                    "to_char(e.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD')",
                    "to_char(r.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD')"
                ))
                .bind(merchant)
                .bind(succeeded)
                .bind(failed)
                .bind(from)
                .bind(until)
                .fetch_all(pool)
                .await?
            }
        };
        let mut days: Vec<DayActivity> = Vec::new();
        for (day, currency, kind, count, total) in rows {
            let day = NaiveDate::parse_from_str(&day, "%Y-%m-%d")
                .map_err(|_| StoreError::Corrupt(format!("a report day {day:?}")))?;
            let index = match days.iter().position(|d| d.day == day && d.currency == currency) {
                Some(index) => index,
                None => {
                    days.push(DayActivity { day, currency, ..DayActivity::default() });
                    days.len() - 1
                }
            };
            let entry = &mut days[index];
            match kind.as_str() {
                "refund" => entry.refunded = total,
                k if k == succeeded => (entry.succeeded, entry.gross) = (count, total),
                _ => entry.failed = count,
            }
        }
        Ok(days)
    }
}
