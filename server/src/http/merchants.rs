//! Merchants (API.md "Merchants and teams"): create, list mine, show, update, roll the webhook
//! signing secret.

use axum::extract::State;
use axum::http::StatusCode;
use axum::{Extension, Json};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};
use uuid::Uuid;

use super::{AppJson, AppQuery, ListParams, double_option};
use crate::app::AppState;
use crate::auth::{Admin, Member, UserAuth, Viewer};
use crate::domain::{HttpUrl, Name, WebhookSecret};
use crate::error::{ApiError, ErrorBody};
use crate::idempotency::NoStore;
use crate::store::{MerchantRow, MerchantUpdate};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(create_merchant, list_merchants))
        .routes(routes!(get_merchant, update_merchant))
        .routes(routes!(roll_webhook_secret))
}

/// A business that takes payments. Its members act on it with their roles.
#[derive(Debug, Serialize, ToSchema)]
pub struct Merchant {
    pub id: Uuid,
    #[schema(example = "Acme Books")]
    pub name: String,
    /// Where events are delivered, or null.
    #[schema(required = true, example = "https://acme.example/webhooks/kassa")]
    pub webhook_url: Option<String>,
    /// The `whsec_…` secret webhook signatures are made with. Present only in the response that
    /// creates the merchant (and from the roll endpoint); null everywhere else.
    #[schema(required = true)]
    pub webhook_secret: Option<String>,
    pub created_at: DateTime<Utc>,
}

impl Merchant {
    fn without_secret(row: MerchantRow) -> Self {
        Self {
            id: row.id,
            name: row.name,
            webhook_url: row.webhook_url,
            webhook_secret: None,
            created_at: row.created_at,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct MerchantList {
    pub data: Vec<Merchant>,
    /// Whether another page follows; pass the last id as `starting_after` to get it.
    pub has_more: bool,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateMerchantRequest {
    /// 1 to 200 characters.
    #[schema(example = "Acme Books")]
    pub name: String,
    /// An absolute http(s) URL events are delivered to.
    #[schema(example = "https://acme.example/webhooks/kassa")]
    pub webhook_url: Option<String>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateMerchantRequest {
    /// A new name; omit it to keep the current one (`null` is refused: a merchant always has
    /// a name).
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = String)]
    pub name: Option<Option<String>>,
    /// A new webhook URL; `null` removes it, omitting it keeps the current one.
    #[serde(default, deserialize_with = "double_option")]
    pub webhook_url: Option<Option<String>>,
}

/// The new webhook signing secret; the previous one stops verifying at once.
#[derive(Debug, Serialize, ToSchema)]
pub struct WebhookSecretResponse {
    #[schema(example = "whsec_6eYbQ0zJ4kGJm1dF0sQzLr8VhX2pT9wC")]
    pub webhook_secret: String,
}

/// Create a merchant
///
/// Creates a merchant; the caller becomes its `owner`. The response is the only place besides
/// the roll endpoint where the webhook signing secret is shown.
#[utoipa::path(
    post, path = "/v1/merchants", tag = "merchants", security(("user_token" = [])),
    request_body(content = CreateMerchantRequest, example = json!({"name": "Acme Books", "webhook_url": "https://acme.example/webhooks/kassa"})),
    responses(
        (status = 201, description = "The new merchant, with its webhook secret.", body = Merchant),
        (status = 400, description = "`parameter_invalid` (name), `invalid_url`, `unknown_parameter`, `parameter_missing`, `invalid_json`, `invalid_content_type`.", body = ErrorBody),
        (status = 401, description = "`missing_credentials`, `invalid_token`, `token_expired`: no valid user access token.", body = ErrorBody),
    )
)]
pub async fn create_merchant(
    auth: UserAuth,
    State(app): State<AppState>,
    AppJson(req): AppJson<CreateMerchantRequest>,
) -> Result<(StatusCode, Extension<NoStore>, Json<Merchant>), ApiError> {
    let name = Name::parse(&req.name, "name")?;
    let webhook_url = req.webhook_url.as_deref().map(|u| HttpUrl::parse(u, "webhook_url")).transpose()?;
    let secret = WebhookSecret::generate();
    let row = app.store.create_merchant(auth.user_id, &name, webhook_url.as_ref(), &secret).await?;
    let merchant = Merchant { webhook_secret: Some(row.webhook_secret.clone()), ..Merchant::without_secret(row) };
    Ok((StatusCode::CREATED, Extension(NoStore), Json(merchant)))
}

/// List my merchants
///
/// The merchants the caller is a member of, newest first.
#[utoipa::path(
    get, path = "/v1/merchants", tag = "merchants", security(("user_token" = [])),
    params(ListParams),
    responses(
        (status = 200, description = "A page of merchants.", body = MerchantList),
        (status = 400, description = "`parameter_invalid` (limit), `invalid_starting_after`, `unknown_parameter`.", body = ErrorBody),
        (status = 401, description = "`missing_credentials`, `invalid_token`, `token_expired`: no valid user access token.", body = ErrorBody),
    )
)]
pub async fn list_merchants(
    auth: UserAuth,
    State(app): State<AppState>,
    AppQuery(params): AppQuery<ListParams>,
) -> Result<Json<MerchantList>, ApiError> {
    let page = params.page(Uuid::parse_str)?;
    let (rows, has_more) = app.store.list_merchants_for_user(auth.user_id, page).await?;
    Ok(Json(MerchantList { data: rows.into_iter().map(Merchant::without_secret).collect(), has_more }))
}

/// Get a merchant
///
/// Any member may read it. A merchant the caller is not a member of is 404.
#[utoipa::path(
    get, path = "/v1/merchants/{merchant_id}", tag = "merchants", security(("user_token" = [])),
    params(("merchant_id" = Uuid, Path, description = "The merchant's id.")),
    responses(
        (status = 200, description = "The merchant (without its webhook secret).", body = Merchant),
        (status = 400, description = "`parameter_invalid`: `merchant_id` is not a UUID.", body = ErrorBody),
        (status = 401, description = "`missing_credentials`, `invalid_token`, `token_expired`: no valid user access token.", body = ErrorBody),
        (status = 404, description = "`resource_missing`: no such merchant, or the caller is not a member.", body = ErrorBody),
    )
)]
pub async fn get_merchant(member: Member<Viewer>, State(app): State<AppState>) -> Result<Json<Merchant>, ApiError> {
    let row = app.store.get_merchant(member.merchant_id).await?;
    Ok(Json(Merchant::without_secret(row)))
}

/// Update a merchant
///
/// Changes the name or the webhook URL. Needs the `admin` role.
#[utoipa::path(
    patch, path = "/v1/merchants/{merchant_id}", tag = "merchants", security(("user_token" = [])),
    params(("merchant_id" = Uuid, Path, description = "The merchant's id.")),
    request_body(content = UpdateMerchantRequest, example = json!({"webhook_url": "https://acme.example/hooks/v2"})),
    responses(
        (status = 200, description = "The updated merchant (without its webhook secret).", body = Merchant),
        (status = 400, description = "`parameter_invalid`, `invalid_url`, `unknown_parameter`, `invalid_json`, `invalid_content_type`.", body = ErrorBody),
        (status = 401, description = "`missing_credentials`, `invalid_token`, `token_expired`: no valid user access token.", body = ErrorBody),
        (status = 403, description = "`insufficient_role`: needs `admin`.", body = ErrorBody),
        (status = 404, description = "`resource_missing`: no such merchant, or the caller is not a member.", body = ErrorBody),
    )
)]
pub async fn update_merchant(
    member: Member<Admin>,
    State(app): State<AppState>,
    AppJson(req): AppJson<UpdateMerchantRequest>,
) -> Result<Json<Merchant>, ApiError> {
    let update = MerchantUpdate {
        name: match req.name {
            None => None,
            Some(None) => {
                return Err(ApiError::ParameterInvalid { param: "name".into(), message: "must not be null".into() });
            }
            Some(Some(name)) => Some(Name::parse(&name, "name")?),
        },
        webhook_url: req
            .webhook_url
            .map(|url| url.as_deref().map(|u| HttpUrl::parse(u, "webhook_url")).transpose())
            .transpose()?,
    };
    let row = app.store.update_merchant(member.merchant_id, &update).await?;
    Ok(Json(Merchant::without_secret(row)))
}

/// Roll the webhook secret
///
/// Replaces the webhook signing secret and returns the new one, once. Needs the `admin` role.
#[utoipa::path(
    post, path = "/v1/merchants/{merchant_id}/webhook-secret/roll", tag = "merchants", security(("user_token" = [])),
    params(("merchant_id" = Uuid, Path, description = "The merchant's id.")),
    responses(
        (status = 200, description = "The new secret.", body = WebhookSecretResponse),
        (status = 400, description = "`parameter_invalid`: `merchant_id` is not a UUID.", body = ErrorBody),
        (status = 401, description = "`missing_credentials`, `invalid_token`, `token_expired`: no valid user access token.", body = ErrorBody),
        (status = 403, description = "`insufficient_role`: needs `admin`.", body = ErrorBody),
        (status = 404, description = "`resource_missing`: no such merchant, or the caller is not a member.", body = ErrorBody),
    )
)]
pub async fn roll_webhook_secret(
    member: Member<Admin>,
    State(app): State<AppState>,
) -> Result<(Extension<NoStore>, Json<WebhookSecretResponse>), ApiError> {
    let secret = WebhookSecret::generate();
    app.store.roll_webhook_secret(member.merchant_id, &secret).await?;
    Ok((Extension(NoStore), Json(WebhookSecretResponse { webhook_secret: secret.expose().to_owned() })))
}
