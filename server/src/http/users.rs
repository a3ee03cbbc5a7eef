//! Users (API.md "Users"): register, log in, who am I.

use axum::extract::State;
use axum::http::StatusCode;
use axum::{Extension, Json};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};
use uuid::Uuid;

use super::AppJson;
use crate::app::AppState;
use crate::auth::{TokenLifetime, UserAuth, hash_password, verify_password};
use crate::domain::{Email, Name, Password};
use crate::error::{ApiError, ErrorBody};
use crate::idempotency::NoStore;
use crate::rate_limit::{self, ClientAddress};
use crate::store::UserRow;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(register)).routes(routes!(login)).routes(routes!(get_me))
}

/// A person who logs in to manage merchants.
#[derive(Debug, Serialize, ToSchema)]
pub struct User {
    pub id: Uuid,
    #[schema(example = "ada@example.com")]
    pub email: String,
    #[schema(example = "Ada Lovelace")]
    pub name: String,
    pub created_at: DateTime<Utc>,
}

impl From<UserRow> for User {
    fn from(row: UserRow) -> Self {
        Self { id: row.id, email: row.email, name: row.name, created_at: row.created_at }
    }
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RegisterRequest {
    /// The login; stored trimmed and lower-cased.
    #[schema(example = "ada@example.com")]
    pub email: String,
    /// At least 10 characters, with at least one letter and one digit.
    #[schema(example = "correct-horse-42")]
    pub password: String,
    /// Display name, 1 to 200 characters.
    #[schema(example = "Ada Lovelace")]
    pub name: String,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LoginRequest {
    #[schema(example = "ada@example.com")]
    pub email: String,
    #[schema(example = "correct-horse-42")]
    pub password: String,
    /// The token's lifetime in seconds, 1 to 3600 (the default): a script that needs a token
    /// for a minute can ask for one that lives a minute.
    #[schema(example = 3600, minimum = 1, maximum = 3600)]
    pub expires_in: Option<i64>,
}

/// A user access token: send it as `Authorization: Bearer <access_token>`.
#[derive(Debug, Serialize, ToSchema)]
pub struct AccessToken {
    pub access_token: String,
    /// Always `Bearer`.
    #[schema(example = "Bearer")]
    pub token_type: String,
    /// Seconds until the token expires: the login's `expires_in`, 3600 unless it asked for less.
    #[schema(example = 3600)]
    pub expires_in: i64,
}

/// Register a user
///
/// Creates a user who can then log in. The email is the login and must be unique; the password
/// is stored only as an argon2id hash.
#[utoipa::path(
    post, path = "/v1/auth/register", tag = "users", security(()),
    request_body(content = RegisterRequest, example = json!({"email": "ada@example.com", "password": "correct-horse-42", "name": "Ada Lovelace"})),
    responses(
        (status = 201, description = "The new user.", body = User),
        (status = 400, description = "`email_taken`, `weak_password`, `invalid_email`, `parameter_invalid` (name), `unknown_parameter`, `parameter_missing`, `invalid_json`, `invalid_content_type`.", body = ErrorBody),
        (status = 429, description = "`rate_limited` (type `rate_limit_error`): more login and register attempts naming this email (default 10) or from this client address (default 1000) this minute than the server allows. `Retry-After` says when the minute ends.", body = ErrorBody),
    )
)]
pub async fn register(
    State(app): State<AppState>,
    client: ClientAddress,
    AppJson(req): AppJson<RegisterRequest>,
) -> Result<(StatusCode, Json<User>), ApiError> {
    rate_limit::auth_attempt(&app, &req.email, client).await?;
    let email = Email::parse(&req.email)?;
    let password = Password::parse(req.password)?;
    let name = Name::parse(&req.name, "name")?;
    let hash = hash_password(password).await?;
    let user = app.store.insert_user(&email, &name, &hash).await?;
    Ok((StatusCode::CREATED, Json(user.into())))
}

/// Log in
///
/// Exchanges email and password for a user access token valid for one hour, or the shorter
/// `expires_in` asked for. An unknown email and a wrong password get the same answer, in the same
/// time. A token used after it expires is `401 token_expired`.
#[utoipa::path(
    post, path = "/v1/auth/login", tag = "users", security(()),
    request_body(content = LoginRequest, example = json!({"email": "ada@example.com", "password": "correct-horse-42"})),
    responses(
        (status = 200, description = "A user access token.", body = AccessToken),
        (status = 400, description = "`parameter_invalid` (expires_in), `unknown_parameter`, `parameter_missing`, `invalid_json`, `invalid_content_type`.", body = ErrorBody),
        (status = 401, description = "`invalid_credentials`: unknown email or wrong password.", body = ErrorBody),
        (status = 429, description = "`rate_limited` (type `rate_limit_error`): more login and register attempts naming this email (default 10) or from this client address (default 1000) this minute than the server allows (`KASSA_AUTH_LIMIT_PER_EMAIL`, `KASSA_AUTH_LIMIT_PER_ADDRESS`). `Retry-After` says when the minute ends.", body = ErrorBody),
    )
)]
pub async fn login(
    State(app): State<AppState>,
    client: ClientAddress,
    AppJson(req): AppJson<LoginRequest>,
) -> Result<(Extension<NoStore>, Json<AccessToken>), ApiError> {
    rate_limit::auth_attempt(&app, &req.email, client).await?;
    let lifetime = TokenLifetime::parse(req.expires_in)?;
    // A malformed email cannot belong to anyone: same answer as an unknown one.
    let user = match Email::parse(&req.email) {
        Ok(email) => app.store.find_user_by_email(&email).await?,
        Err(_) => None,
    };
    let stored = user.as_ref().map(|u| u.password_hash.clone());
    let verified = verify_password(req.password, stored).await?;
    match user {
        Some(user) if verified => {
            let (access_token, expires_in) = app.jwt.issue(user.id, app.store.clock().now(), lifetime)?;
            Ok((Extension(NoStore), Json(AccessToken { access_token, token_type: "Bearer".into(), expires_in })))
        }
        _ => Err(ApiError::InvalidCredentials),
    }
}

/// Get the current user
///
/// The user the access token was issued to.
#[utoipa::path(
    get, path = "/v1/auth/me", tag = "users", security(("user_token" = [])),
    responses(
        (status = 200, description = "The logged-in user.", body = User),
        (status = 401, description = "`missing_credentials`, `invalid_token`, `token_expired`.", body = ErrorBody),
    )
)]
pub async fn get_me(auth: UserAuth, State(app): State<AppState>) -> Result<Json<User>, ApiError> {
    let user = app.store.find_user(auth.user_id).await?.ok_or(ApiError::InvalidToken)?;
    Ok(Json(user.into()))
}
