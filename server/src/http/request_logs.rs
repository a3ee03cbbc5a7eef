//! Request logs (API.md "request logs"): the merchant's API requests, newest first, with
//! filters, read with a secret API key. Recorded by `crate::request_logs`; kept 7 days.

use axum::Json;
use axum::extract::State;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::{router::OpenApiRouter, routes};

use super::{AppQuery, ListParams};
use crate::app::AppState;
use crate::auth::{MerchantAccess, Viewer};
use crate::domain::RequestId;
use crate::error::{ApiError, ErrorBody};
use crate::store::{RequestLogFilter, RequestLogRow};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(list_request_logs))
}

/// One API request made with the merchant's secret key. Its bodies are as the request and the
/// answer were, except that card numbers read as brand and last four digits, IBANs as country
/// and last four, BECS account numbers as last four, the CVC is gone,
/// and every secret (API keys, client secrets, passwords, tokens, webhook secrets) is
/// `[redacted]`; each body keeps at most 32 KB.
#[derive(Debug, Serialize, ToSchema)]
pub struct RequestLog {
    /// The request's id, as its `Request-Id` said.
    #[schema(example = "req_4Xo3yOJaFQwqnqEcbmV5BMb2")]
    pub id: String,
    /// Always `request_log`.
    #[schema(example = "request_log")]
    pub object: String,
    #[schema(example = "POST")]
    pub method: String,
    /// Without the query string.
    #[schema(example = "/v1/payment-intents")]
    pub path: String,
    #[schema(example = 201)]
    pub status: i64,
    #[schema(required = true)]
    pub idempotency_key: Option<String>,
    #[schema(example = 12)]
    pub duration_ms: i64,
    pub request_body: String,
    pub response_body: String,
    pub created_at: DateTime<Utc>,
}

impl From<&RequestLogRow> for RequestLog {
    fn from(row: &RequestLogRow) -> Self {
        Self {
            id: row.id.to_string(),
            object: "request_log".into(),
            method: row.method.clone(),
            path: row.path.clone(),
            status: row.status,
            idempotency_key: row.idempotency_key.clone(),
            duration_ms: row.duration_ms,
            request_body: row.request_body.clone(),
            response_body: row.response_body.clone(),
            created_at: row.created_at,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct RequestLogList {
    pub data: Vec<RequestLog>,
    /// Whether another page follows; pass the last id as `starting_after` to get it.
    pub has_more: bool,
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct RequestLogListParams {
    /// Only requests answered with this HTTP status.
    #[param(minimum = 100, maximum = 599)]
    pub status: Option<i64>,
    /// Only requests with this method.
    #[param(inline)]
    pub method: Option<LoggedMethod>,
    /// Only requests whose path starts with this, e.g. `/v1/payment-intents`.
    pub path: Option<String>,
    /// Only requests made at or after this time (RFC 3339).
    pub created_gte: Option<DateTime<Utc>>,
    /// Only requests made before this time (RFC 3339).
    pub created_lt: Option<DateTime<Utc>>,
    /// How many entries to return, 1 to 100.
    #[param(minimum = 1, maximum = 100, default = 10)]
    pub limit: Option<i64>,
    /// Return the entries after this one (its id), for the next page.
    pub starting_after: Option<String>,
}

/// The methods the API answers, as HTTP spells them (methods are case-sensitive).
#[derive(Debug, Clone, Copy, Deserialize, ToSchema)]
#[serde(rename_all = "UPPERCASE")]
pub enum LoggedMethod {
    Get,
    Post,
    Patch,
    Put,
    Delete,
}

impl LoggedMethod {
    /// As the logs store it (`http::Method::as_str`).
    fn as_str(self) -> &'static str {
        match self {
            Self::Get => "GET",
            Self::Post => "POST",
            Self::Patch => "PATCH",
            Self::Put => "PUT",
            Self::Delete => "DELETE",
        }
    }
}

/// List request logs
///
/// The API requests made with the merchant's secret keys in the last 7 days, newest first,
/// with their redacted bodies. Entries are written just after their answer, so the newest may
/// take a moment to appear.
#[utoipa::path(
    get, path = "/v1/request-logs", tag = "request_logs", security(("api_key" = []), ("user_token" = [], "kassa_merchant" = [])),
    params(RequestLogListParams),
    responses(
        (status = 200, description = "A page of request logs.", body = RequestLogList),
        (status = 400, description = "`parameter_invalid` (status, method, created_gte, created_lt, limit), `invalid_starting_after`, `unknown_parameter`.", body = ErrorBody),
        (status = 401, description = "`missing_credentials`, `invalid_api_key`, `invalid_token`, `token_expired`: no active secret API key or user token.", body = ErrorBody),
    )
)]
pub async fn list_request_logs(
    key: MerchantAccess<Viewer>,
    State(app): State<AppState>,
    AppQuery(params): AppQuery<RequestLogListParams>,
) -> Result<Json<RequestLogList>, ApiError> {
    let page = ListParams { limit: params.limit, starting_after: params.starting_after }.page(RequestId::parse)?;
    if params.status.is_some_and(|s| !(100..=599).contains(&s)) {
        return Err(ApiError::ParameterInvalid { param: "status".into(), message: "must be an HTTP status".into() });
    }
    let filter = RequestLogFilter {
        status: params.status,
        method: params.method.map(|method| method.as_str().to_owned()),
        path: params.path,
        created_gte: params.created_gte,
        created_lt: params.created_lt,
    };
    let (rows, has_more) = app.store.list_request_logs(key.merchant_id, &filter, page).await?;
    Ok(Json(RequestLogList { data: rows.iter().map(RequestLog::from).collect(), has_more }))
}
