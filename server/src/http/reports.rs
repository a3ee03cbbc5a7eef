//! The payments report: what the dashboard's charts draw (today's payments, net volume per day,
//! failed payments), per UTC day and currency, summed in SQL (`store::reports`).

use std::collections::BTreeMap;

use axum::Json;
use axum::extract::State;
use chrono::{Datelike as _, Days, NaiveDate, NaiveTime};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::{router::OpenApiRouter, routes};

use super::AppQuery;
use crate::app::AppState;
use crate::auth::{MerchantAccess, Viewer};
use crate::error::{ApiError, ErrorBody};
use crate::store::DayActivity;

/// The longest report, in days.
const MAX_DAYS: u64 = 366;
/// The default report: the last 30 days, today included.
const DEFAULT_DAYS: u64 = 30;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(payments_report))
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ReportParams {
    /// The first day, `YYYY-MM-DD` (UTC), year 1 to 9999. Default: 29 days before `to`.
    #[param(example = "2026-11-02", format = Date, pattern = r"^\d{4}-\d{2}-\d{2}$")]
    pub from: Option<String>,
    /// The last day, `YYYY-MM-DD` (UTC), included. Default: today, by the merchant's clock (real time unless a test clock moved it). The range holds at most 366
    /// days, both ends included.
    #[param(example = "2026-12-01", format = Date, pattern = r"^\d{4}-\d{2}-\d{2}$")]
    pub to: Option<String>,
}

/// The merchant's payments per day and currency.
#[derive(Debug, Serialize, ToSchema)]
pub struct PaymentsReport {
    /// Always `payments_report`.
    #[schema(example = "payments_report")]
    pub object: String,
    #[schema(example = "2026-11-02")]
    pub from: String,
    #[schema(example = "2026-12-01")]
    pub to: String,
    /// Every currency with activity in the range, by code.
    pub currencies: Vec<CurrencyReport>,
}

/// One currency's totals over the range, and every day of the range (days without activity
/// are zeros), oldest first. Amounts are in the currency's minor unit.
#[derive(Debug, Serialize, ToSchema)]
pub struct CurrencyReport {
    #[schema(example = "usd")]
    pub currency: String,
    /// The sums over the range.
    pub totals: DayFigures,
    pub days: Vec<ReportDay>,
}

/// One day's figures, defined as in [`DayFigures`].
#[derive(Debug, Serialize, ToSchema)]
pub struct ReportDay {
    #[schema(example = "2026-12-01")]
    pub date: String,
    #[schema(example = 2500)]
    pub gross_volume: i64,
    #[schema(example = 500)]
    pub refunded: i64,
    #[schema(example = 2000)]
    pub net_volume: i64,
    #[schema(example = 2)]
    pub succeeded: i64,
    #[schema(example = 1)]
    pub failed: i64,
}

impl ReportDay {
    fn new(date: NaiveDate, f: DayFigures) -> Self {
        Self {
            date: date.to_string(),
            gross_volume: f.gross_volume,
            refunded: f.refunded,
            net_volume: f.net_volume,
            succeeded: f.succeeded,
            failed: f.failed,
        }
    }
}

/// What a chart plots, in the currency's minor unit.
#[derive(Debug, Default, Clone, Copy, Serialize, ToSchema)]
pub struct DayFigures {
    /// What was captured: the `amount_received` of the intents that succeeded.
    #[schema(example = 2500)]
    pub gross_volume: i64,
    /// What was refunded, whichever day its payment was.
    #[schema(example = 500)]
    pub refunded: i64,
    /// `gross_volume - refunded` (negative on a day with more refunds than payments).
    #[schema(example = 2000)]
    pub net_volume: i64,
    /// How many payment intents succeeded.
    #[schema(example = 2)]
    pub succeeded: i64,
    /// How many payment attempts were declined (each decline counts, as each failed charge does).
    #[schema(example = 1)]
    pub failed: i64,
}

impl DayFigures {
    fn add(&mut self, activity: &DayActivity) {
        self.gross_volume += activity.gross;
        self.refunded += activity.refunded;
        self.net_volume = self.gross_volume - self.refunded;
        self.succeeded += activity.succeeded;
        self.failed += activity.failed;
    }
}

/// A `YYYY-MM-DD` day exactly: chrono alone would also take `2026-1-5`, `+2026-…` and years
/// of any width, whose arithmetic overflows.
fn day(raw: Option<&str>, param: &str) -> Result<Option<NaiveDate>, ApiError> {
    let Some(raw) = raw else { return Ok(None) };
    let shaped = raw.len() == 10
        && raw.bytes().enumerate().all(|(i, b)| if i == 4 || i == 7 { b == b'-' } else { b.is_ascii_digit() });
    match NaiveDate::parse_from_str(raw, "%Y-%m-%d") {
        Ok(date) if shaped && date.year() >= 1 => Ok(Some(date)),
        _ => Err(invalid(param, "must be a date, YYYY-MM-DD")),
    }
}

fn invalid(param: &str, message: &str) -> ApiError {
    ApiError::ParameterInvalid { param: param.into(), message: message.into() }
}

/// Payments report
///
/// Per UTC day and currency: the volume captured, refunds, net volume, and the counts of
/// succeeded intents and declined attempts. A payment counts on the day it succeeded (was
/// captured), a refund on the day it was made, a decline on the day it happened.
#[utoipa::path(
    get, path = "/v1/reports/payments", tag = "reports",
    security(("api_key" = []), ("user_token" = [], "kassa_merchant" = [])),
    params(ReportParams),
    responses(
        (status = 200, description = "The report.", body = PaymentsReport),
        (status = 400, description = "`parameter_invalid` (from, to: not a `YYYY-MM-DD` date of year 1 to 9999, `from` after `to`, or more than 366 days), `unknown_parameter`.", body = ErrorBody),
        (status = 401, description = "`missing_credentials`, `invalid_api_key`, `invalid_token`, `token_expired`: no active secret API key or user token.", body = ErrorBody),
    )
)]
pub async fn payments_report(
    key: MerchantAccess<Viewer>,
    State(app): State<AppState>,
    AppQuery(params): AppQuery<ReportParams>,
) -> Result<Json<PaymentsReport>, ApiError> {
    let today = app.store.now_for(key.merchant_id).await?.date_naive();
    let to = day(params.to.as_deref(), "to")?.unwrap_or(today);
    let from = match day(params.from.as_deref(), "from")? {
        Some(from) => from,
        None => to.checked_sub_days(Days::new(DEFAULT_DAYS - 1)).ok_or_else(|| invalid("to", "is too early"))?,
    };
    if from > to {
        return Err(invalid("from", "must not be after `to`"));
    }
    let span = (to - from).num_days() as u64 + 1;
    if span > MAX_DAYS {
        return Err(invalid("to", "the range holds at most 366 days, both ends included"));
    }
    let start = from.and_time(NaiveTime::MIN).and_utc();
    let end = to.checked_add_days(Days::new(1)).ok_or_else(|| invalid("to", "is too late"))?;
    let end = end.and_time(NaiveTime::MIN).and_utc();
    let activity = app.store.payment_activity(key.merchant_id, start, end).await?;

    let mut by_currency: BTreeMap<&str, Vec<&DayActivity>> = BTreeMap::new();
    for entry in &activity {
        by_currency.entry(entry.currency.as_str()).or_default().push(entry);
    }
    let currencies = by_currency
        .into_iter()
        .map(|(currency, entries)| {
            let mut totals = DayFigures::default();
            let days = from
                .iter_days()
                .take(span as usize)
                .map(|date| {
                    let mut figures = DayFigures::default();
                    for entry in entries.iter().filter(|e| e.day == date) {
                        figures.add(entry);
                        totals.add(entry);
                    }
                    ReportDay::new(date, figures)
                })
                .collect();
            CurrencyReport { currency: currency.to_owned(), totals, days }
        })
        .collect();
    Ok(Json(PaymentsReport {
        object: "payments_report".into(),
        from: from.to_string(),
        to: to.to_string(),
        currencies,
    }))
}
