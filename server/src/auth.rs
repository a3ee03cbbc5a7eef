//! Credentials and permissions, enforced in one place: the extractors [`UserAuth`] (a JWT user
//! access token), [`MerchantKey`] (a secret API key) and [`Member`] (a user's role on the merchant
//! in the path). A handler states what it needs by taking one of them as a parameter.
//!
//! API.md "Authentication": a missing or invalid credential, or one of the wrong kind, is 401;
//! a valid credential without the role is 403; a merchant the user is not a member of is 404,
//! so its existence does not leak.

use std::marker::PhantomData;
use std::sync::OnceLock;

use anyhow::Context as _;
use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString, rand_core::OsRng};
use axum::extract::{FromRequestParts, RawPathParams};
use axum::http::{header, request::Parts};
use chrono::{DateTime, Duration, Utc};
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation, errors::ErrorKind};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::app::AppState;
use crate::domain::{ApiKeySecret, Password, Role};
use crate::error::ApiError;

/// Lifetime of a user access token (API.md: 1 h).
pub const ACCESS_TOKEN_TTL: Duration = Duration::hours(1);

/// How long a token lives: the hour, or less when the caller asks at login (a script that needs a
/// token for a minute should not hold one for an hour, and a test can see one expire).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TokenLifetime(Duration);

impl TokenLifetime {
    pub fn parse(seconds: Option<i64>) -> Result<Self, ApiError> {
        match seconds {
            None => Ok(Self(ACCESS_TOKEN_TTL)),
            Some(s) if (1..=ACCESS_TOKEN_TTL.num_seconds()).contains(&s) => Ok(Self(Duration::seconds(s))),
            Some(_) => Err(ApiError::ParameterInvalid {
                param: "expires_in".into(),
                message: format!("must be 1 to {} seconds", ACCESS_TOKEN_TTL.num_seconds()),
            }),
        }
    }
}

/// HS256 keys for user access tokens. Only HS256 is accepted, so `alg: none` and every other
/// algorithm fail verification.
pub struct JwtKeys {
    encoding: EncodingKey,
    decoding: DecodingKey,
    validation: Validation,
}

#[derive(Debug, Serialize, Deserialize)]
struct Claims {
    sub: Uuid,
    iat: i64,
    exp: i64,
}

impl JwtKeys {
    pub fn new(secret: &[u8]) -> Self {
        let mut validation = Validation::new(Algorithm::HS256);
        validation.set_required_spec_claims(&["exp", "sub"]);
        // `exp` is checked in `verify` against the app's clock, the one source of "now".
        validation.validate_exp = false;
        // A second absorbs drift between replicas' clocks (NTP keeps them within milliseconds);
        // more would keep a token alive well past the lifetime a login asked for.
        validation.leeway = 1;
        Self { encoding: EncodingKey::from_secret(secret), decoding: DecodingKey::from_secret(secret), validation }
    }

    /// A token for `user` issued at `now`, and its lifetime in seconds.
    pub fn issue(&self, user: Uuid, now: DateTime<Utc>, lifetime: TokenLifetime) -> Result<(String, i64), ApiError> {
        let claims = Claims { sub: user, iat: now.timestamp(), exp: (now + lifetime.0).timestamp() };
        let token = jsonwebtoken::encode(&Header::new(Algorithm::HS256), &claims, &self.encoding)
            .context("signing an access token")?;
        Ok((token, lifetime.0.num_seconds()))
    }

    /// The user a token speaks for, checked as of `now`.
    pub fn verify(&self, token: &str, now: DateTime<Utc>) -> Result<Uuid, ApiError> {
        match jsonwebtoken::decode::<Claims>(token, &self.decoding, &self.validation) {
            Ok(data) if data.claims.exp + self.validation.leeway as i64 <= now.timestamp() => {
                Err(ApiError::TokenExpired)
            }
            Ok(data) => Ok(data.claims.sub),
            Err(err) if matches!(err.kind(), ErrorKind::ExpiredSignature) => Err(ApiError::TokenExpired),
            Err(_) => Err(ApiError::InvalidToken),
        }
    }
}

/// The credential a request presents in `Authorization`, resolved: whose it is.
#[derive(Debug, Clone)]
pub enum Credential {
    /// A valid secret API key.
    ApiKey(MerchantKey),
    /// A valid user access token of a user who exists.
    User(Uuid),
}

/// The resolved credential, kept in the request's extensions so it is resolved once.
#[derive(Debug, Clone)]
struct Resolved(Option<Credential>);

/// Reads and checks the request's `Authorization`, once per request: `None` when there is none,
/// else whose it is, or the 401 it earns. The scheme is case-insensitive (RFC 9110). This is the
/// only parser of the header: the idempotency middleware scopes keys by what it returns, and
/// the extractors below authenticate with it, so the two can never disagree.
pub async fn credential(parts: &mut Parts, app: &AppState) -> Result<Option<Credential>, ApiError> {
    if let Some(Resolved(resolved)) = parts.extensions.get::<Resolved>() {
        return Ok(resolved.clone());
    }
    let Some(value) = parts.headers.get(header::AUTHORIZATION) else {
        parts.extensions.insert(Resolved(None));
        return Ok(None);
    };
    let value = value.to_str().map_err(|_| ApiError::InvalidToken)?;
    let (scheme, token) = value.split_once(' ').ok_or(ApiError::InvalidToken)?;
    let token = token.trim();
    if !scheme.eq_ignore_ascii_case("bearer") || token.is_empty() {
        return Err(ApiError::InvalidToken);
    }
    let resolved = if token.starts_with(ApiKeySecret::PREFIX) {
        let secret = ApiKeySecret::parse(token).ok_or(ApiError::InvalidApiKey)?;
        let key = app.store.authenticate_api_key(&secret).await?.ok_or(ApiError::InvalidApiKey)?;
        Credential::ApiKey(MerchantKey { key_id: key.id, merchant_id: key.merchant_id })
    } else {
        let user_id = app.jwt.verify(token, app.store.clock().now())?;
        // A well-signed token can outlive its user (a reset database, a configured secret):
        // such a token is invalid, not a reason for a foreign-key error later.
        if !app.store.user_exists(user_id).await? {
            return Err(ApiError::InvalidToken);
        }
        Credential::User(user_id)
    };
    parts.extensions.insert(Resolved(Some(resolved.clone())));
    Ok(Some(resolved))
}

/// A logged-in user, from a user access token.
#[derive(Debug, Clone, Copy)]
pub struct UserAuth {
    pub user_id: Uuid,
}

impl FromRequestParts<AppState> for UserAuth {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, app: &AppState) -> Result<Self, ApiError> {
        match credential(parts, app).await {
            Ok(Some(Credential::User(user_id))) => Ok(Self { user_id }),
            Ok(Some(Credential::ApiKey(_))) | Err(ApiError::InvalidApiKey) => Err(ApiError::InvalidToken),
            Ok(None) => Err(ApiError::MissingCredentials),
            Err(err) => Err(err),
        }
    }
}

/// A merchant's server, from a secret API key. Revocation is effective on the next request:
/// every request looks the key up.
#[derive(Debug, Clone)]
pub struct MerchantKey {
    pub key_id: String,
    pub merchant_id: Uuid,
}

impl FromRequestParts<AppState> for MerchantKey {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, app: &AppState) -> Result<Self, ApiError> {
        match credential(parts, app).await {
            Ok(Some(Credential::ApiKey(key))) => Ok(key),
            Ok(Some(Credential::User(_))) => Err(ApiError::InvalidApiKey),
            Err(ApiError::InvalidToken | ApiError::TokenExpired) => Err(ApiError::InvalidApiKey),
            Ok(None) => Err(ApiError::MissingCredentials),
            Err(err) => Err(err),
        }
    }
}

/// The least role an endpoint needs, as a type: `Member<Admin>` reads as the rule.
pub trait MinRole: Send + Sync {
    const ROLE: Role;
}
macro_rules! min_role {
    ($($name:ident => $role:expr),*) => {$(
        #[derive(Debug)]
        pub struct $name;
        impl MinRole for $name {
            const ROLE: Role = $role;
        }
    )*};
}
min_role!(Viewer => Role::Viewer, Developer => Role::Developer, Admin => Role::Admin, Owner => Role::Owner);

/// A logged-in user acting on the merchant named by the `{merchant_id}` path parameter, with at
/// least the role `R`.
#[derive(Debug)]
pub struct Member<R> {
    pub user_id: Uuid,
    pub merchant_id: Uuid,
    pub role: Role,
    _min: PhantomData<R>,
}

impl<R: MinRole> FromRequestParts<AppState> for Member<R> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, app: &AppState) -> Result<Self, ApiError> {
        let user = UserAuth::from_request_parts(parts, app).await?;
        let bad_id = || ApiError::ParameterInvalid { param: "merchant_id".into(), message: "must be a UUID".into() };
        // The only way to fail here is a percent-encoded segment that is not UTF-8: bad input.
        let params = RawPathParams::from_request_parts(parts, app).await.map_err(|_| bad_id())?;
        let raw = params
            .iter()
            .find_map(|(name, value)| (name == "merchant_id").then_some(value))
            .ok_or_else(|| ApiError::Internal(anyhow::anyhow!("route has no {{merchant_id}}")))?;
        let merchant_id = Uuid::parse_str(raw).map_err(|_| bad_id())?;
        let role = app.store.member_role(merchant_id, user.user_id).await?.ok_or(ApiError::NotFound("merchant"))?;
        role.require(R::ROLE)?;
        Ok(Self { user_id: user.user_id, merchant_id, role, _min: PhantomData })
    }
}

/// The header with which a user access token names the merchant it acts on, on the payment
/// API (API.md "Dashboard access").
pub const MERCHANT_HEADER: &str = "kassa-merchant";

/// Who acts on a merchant's payment objects: the merchant's secret API key, or (the dashboard)
/// a member's user access token naming the merchant in `Kassa-Merchant`, with at least the role
/// `R`. A key may do all a key does; it is the merchant's own server. The checks run in the
/// order a caller can fix them: the credential (401), the header (400), membership (404, so a
/// stranger learns nothing), the role (403).
#[derive(Debug)]
pub struct MerchantAccess<R> {
    pub merchant_id: Uuid,
    /// The member's role; `None` for the merchant's own API key.
    pub role: Option<Role>,
    _min: PhantomData<R>,
}

impl<R> MerchantAccess<R> {
    /// Whether intents read with this access carry their client secret (and checkout URL). A
    /// client secret pays an intent, so a viewer, who may only read, never sees one; a
    /// developer could make an API key and read it anyway.
    pub fn sees_client_secrets(&self) -> bool {
        self.role.is_none_or(|role| role >= Role::Developer)
    }
}

impl<R: MinRole> FromRequestParts<AppState> for MerchantAccess<R> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, app: &AppState) -> Result<Self, ApiError> {
        let credential = match credential(parts, app).await {
            Ok(Some(credential)) => credential,
            Ok(None) => return Err(ApiError::MissingCredentials),
            Err(err) => return Err(err),
        };
        let named = named_merchant(parts)?;
        let (merchant_id, role) = match credential {
            Credential::ApiKey(key) => match named {
                // A key naming another merchant asks for what it cannot see.
                Some(other) if other != key.merchant_id => return Err(ApiError::NotFound("merchant")),
                _ => (key.merchant_id, None),
            },
            Credential::User(user_id) => {
                let merchant_id = named.ok_or_else(|| ApiError::ParameterMissing("Kassa-Merchant".into()))?;
                let role =
                    member_role(parts, app, merchant_id, user_id).await?.ok_or(ApiError::NotFound("merchant"))?;
                role.require(R::ROLE)?;
                (merchant_id, Some(role))
            }
        };
        Ok(Self { merchant_id, role, _min: PhantomData })
    }
}

/// A user's role on the merchant a request names, looked up once per request: the idempotency
/// middleware asks before it replays an answer, and [`MerchantAccess`] again to authorize.
pub async fn member_role(
    parts: &mut Parts,
    app: &AppState,
    merchant: Uuid,
    user: Uuid,
) -> Result<Option<Role>, ApiError> {
    #[derive(Clone)]
    struct Looked(Uuid, Uuid, Option<Role>);
    if let Some(Looked(m, u, role)) = parts.extensions.get::<Looked>()
        && (*m, *u) == (merchant, user)
    {
        return Ok(*role);
    }
    let role = app.store.member_role(merchant, user).await?;
    parts.extensions.insert(Looked(merchant, user, role));
    Ok(role)
}

/// The merchant a request names in `Kassa-Merchant`, if it names one.
pub fn named_merchant(parts: &Parts) -> Result<Option<Uuid>, ApiError> {
    let Some(value) = parts.headers.get(MERCHANT_HEADER) else { return Ok(None) };
    let bad = || ApiError::ParameterInvalid {
        param: "Kassa-Merchant".into(),
        message: "must be a merchant id (a UUID)".into(),
    };
    let value = value.to_str().map_err(|_| bad())?;
    Uuid::parse_str(value.trim()).map(Some).map_err(|_| bad())
}

/// Each argon2 computation takes ~19 MiB and a core for tens of milliseconds, and register and
/// login need no credential: without a bound, a burst of them could exhaust memory. Excess
/// callers wait their turn.
async fn argon2_permit() -> Result<tokio::sync::SemaphorePermit<'static>, ApiError> {
    static PERMITS: OnceLock<tokio::sync::Semaphore> = OnceLock::new();
    let permits = PERMITS.get_or_init(|| {
        let cores = std::thread::available_parallelism().map_or(2, std::num::NonZero::get);
        tokio::sync::Semaphore::new(2 * cores)
    });
    permits.acquire().await.map_err(|err| ApiError::Internal(err.into()))
}

/// Hashes a password with argon2id (the crate's default: 19 MiB, 2 passes), off the async
/// workers since it takes tens of milliseconds on purpose.
pub async fn hash_password(password: Password) -> Result<String, ApiError> {
    let _permit = argon2_permit().await?;
    let hash = tokio::task::spawn_blocking(move || {
        let salt = SaltString::generate(&mut OsRng);
        Argon2::default().hash_password(password.expose().as_bytes(), &salt).map(|h| h.to_string())
    })
    .await
    .context("password hashing task")?
    .map_err(|err| anyhow::anyhow!("hashing a password: {err}"))?;
    Ok(hash)
}

/// Checks `password` against `stored`; with no stored hash (unknown email) it checks against a
/// dummy hash so that both failures take the same time and a caller cannot probe for accounts.
pub async fn verify_password(password: String, stored: Option<String>) -> Result<bool, ApiError> {
    static DUMMY: OnceLock<String> = OnceLock::new();
    let _permit = argon2_permit().await?;
    let matches = tokio::task::spawn_blocking(move || {
        let dummy = DUMMY.get_or_init(|| {
            let salt = SaltString::generate(&mut OsRng);
            Argon2::default()
                .hash_password(b"no such user, no such password", &salt)
                .map(|h| h.to_string())
                .unwrap_or_default()
        });
        let known = stored.is_some();
        let stored = stored.unwrap_or_else(|| dummy.clone());
        let ok = PasswordHash::new(&stored)
            .map(|hash| Argon2::default().verify_password(password.as_bytes(), &hash).is_ok())
            .unwrap_or(false);
        known && ok
    })
    .await
    .context("password verification task")?;
    Ok(matches)
}
