//! API keys (API.md "API keys"): create (the secret is shown once), list, revoke.

use axum::extract::State;
use axum::http::StatusCode;
use axum::{Extension, Json};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};
use uuid::Uuid;

use super::{AppJson, AppPath, AppQuery, ListParams};
use crate::app::AppState;
use crate::auth::{Developer, Member, Viewer};
use crate::domain::{ApiKeyId, ApiKeySecret, Name};
use crate::error::{ApiError, ErrorBody};
use crate::idempotency::NoStore;
use crate::store::ApiKeyRow;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(create_api_key, list_api_keys)).routes(routes!(revoke_api_key))
}

/// An API key as listed: never its secret.
#[derive(Debug, Serialize, ToSchema)]
pub struct ApiKey {
    #[schema(example = "key_1Hh8Ck2eZvKYlo2C0iGbfCzl")]
    pub id: String,
    #[schema(example = "Production server")]
    pub name: String,
    /// The first characters of the key, to tell keys apart.
    #[schema(example = "sk_test_4eC39H")]
    pub prefix: String,
    pub created_at: DateTime<Utc>,
    /// When the key last authenticated a request (to the minute), or null if never.
    #[schema(required = true)]
    pub last_used_at: Option<DateTime<Utc>>,
}

impl From<ApiKeyRow> for ApiKey {
    fn from(row: ApiKeyRow) -> Self {
        Self {
            id: row.id,
            name: row.name,
            prefix: row.prefix,
            created_at: row.created_at,
            last_used_at: row.last_used_at,
        }
    }
}

/// A newly created API key, with its secret: the only time the secret is shown.
#[derive(Debug, Serialize, ToSchema)]
pub struct CreatedApiKey {
    #[schema(example = "key_1Hh8Ck2eZvKYlo2C0iGbfCzl")]
    pub id: String,
    #[schema(example = "Production server")]
    pub name: String,
    /// The secret key, `sk_test_…`. Store it now: Kassa keeps only its hash.
    #[schema(example = "sk_test_4eC39HqLyjWDarjtT1zdp7dcPn2L0gQx8vbRe5WkZ3Y")]
    pub key: String,
    #[schema(example = "sk_test_4eC39H")]
    pub prefix: String,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ApiKeyList {
    pub data: Vec<ApiKey>,
    /// Whether another page follows; pass the last id as `starting_after` to get it.
    pub has_more: bool,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateApiKeyRequest {
    /// What the key is for, 1 to 200 characters.
    #[schema(example = "Production server")]
    pub name: String,
}

#[derive(Debug, Deserialize)]
pub struct ApiKeyPath {
    #[allow(dead_code, reason = "checked by the Member extractor")]
    merchant_id: Uuid,
    key_id: String,
}

/// Create an API key
///
/// Creates a secret key for the merchant's servers. The `key` in the response is the only copy:
/// Kassa stores only its SHA-256. Needs the `developer` role.
#[utoipa::path(
    post, path = "/v1/merchants/{merchant_id}/api-keys", tag = "api_keys", security(("user_token" = [])),
    params(("merchant_id" = Uuid, Path, description = "The merchant's id.")),
    request_body(content = CreateApiKeyRequest, example = json!({"name": "Production server"})),
    responses(
        (status = 201, description = "The new key, with its secret.", body = CreatedApiKey),
        (status = 400, description = "`parameter_invalid` (name), `unknown_parameter`, `parameter_missing`, `invalid_json`, `invalid_content_type`.", body = ErrorBody),
        (status = 401, description = "`missing_credentials`, `invalid_token`, `token_expired`: no valid user access token.", body = ErrorBody),
        (status = 403, description = "`insufficient_role`: needs `developer`.", body = ErrorBody),
        (status = 404, description = "`resource_missing`: no such merchant, or the caller is not a member.", body = ErrorBody),
    )
)]
pub async fn create_api_key(
    member: Member<Developer>,
    State(app): State<AppState>,
    AppJson(req): AppJson<CreateApiKeyRequest>,
) -> Result<(StatusCode, Extension<NoStore>, Json<CreatedApiKey>), ApiError> {
    let name = Name::parse(&req.name, "name")?;
    let secret = ApiKeySecret::generate();
    let row = app.store.insert_api_key(member.merchant_id, member.user_id, &name, &secret).await?;
    let created = CreatedApiKey {
        id: row.id,
        name: row.name,
        key: secret.expose().to_owned(),
        prefix: row.prefix,
        created_at: row.created_at,
    };
    Ok((StatusCode::CREATED, Extension(NoStore), Json(created)))
}

/// List API keys
///
/// The merchant's active keys, newest first, without their secrets. Any member may read it.
#[utoipa::path(
    get, path = "/v1/merchants/{merchant_id}/api-keys", tag = "api_keys", security(("user_token" = [])),
    params(("merchant_id" = Uuid, Path, description = "The merchant's id."), ListParams),
    responses(
        (status = 200, description = "A page of API keys.", body = ApiKeyList),
        (status = 400, description = "`parameter_invalid`, `invalid_starting_after`, `unknown_parameter`.", body = ErrorBody),
        (status = 401, description = "`missing_credentials`, `invalid_token`, `token_expired`: no valid user access token.", body = ErrorBody),
        (status = 404, description = "`resource_missing`: no such merchant, or the caller is not a member.", body = ErrorBody),
    )
)]
pub async fn list_api_keys(
    member: Member<Viewer>,
    State(app): State<AppState>,
    AppQuery(params): AppQuery<ListParams>,
) -> Result<Json<ApiKeyList>, ApiError> {
    let page = params.page(ApiKeyId::parse)?;
    let (rows, has_more) = app.store.list_api_keys(member.merchant_id, page).await?;
    Ok(Json(ApiKeyList { data: rows.into_iter().map(Into::into).collect(), has_more }))
}

/// Revoke an API key
///
/// The key is refused from the next request on. Needs the `developer` role.
#[utoipa::path(
    delete, path = "/v1/merchants/{merchant_id}/api-keys/{key_id}", tag = "api_keys", security(("user_token" = [])),
    params(
        ("merchant_id" = Uuid, Path, description = "The merchant's id."),
        ("key_id" = String, Path, description = "The key's id, `key_…`."),
    ),
    responses(
        (status = 204, description = "The key was revoked."),
        (status = 400, description = "`parameter_invalid`: a malformed path parameter.", body = ErrorBody),
        (status = 401, description = "`missing_credentials`, `invalid_token`, `token_expired`: no valid user access token.", body = ErrorBody),
        (status = 403, description = "`insufficient_role`: needs `developer`.", body = ErrorBody),
        (status = 404, description = "`resource_missing`: no such merchant or active key.", body = ErrorBody),
    )
)]
pub async fn revoke_api_key(
    member: Member<Developer>,
    State(app): State<AppState>,
    AppPath(path): AppPath<ApiKeyPath>,
) -> Result<StatusCode, ApiError> {
    let key_id = ApiKeyId::parse(&path.key_id).map_err(|_| ApiError::ParameterInvalid {
        param: "key_id".into(),
        message: "must be an API key id, key_…".into(),
    })?;
    app.store.revoke_api_key(member.merchant_id, &key_id).await?;
    Ok(StatusCode::NO_CONTENT)
}
