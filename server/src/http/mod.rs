//! The HTTP API: one module per resource, each with its `router()`, handlers and wire types.
//! Wire types (everything deriving `Serialize`/`ToSchema`) are the contract: they live here and
//! nowhere else, and store rows convert into them with `From`.

mod api_keys;
mod charges;
pub(crate) mod checkout;
pub mod checkout_page;
pub(crate) mod dashboard_page;
pub mod error_body;
pub mod events;
mod listen;
mod members;
mod merchants;
pub mod ops;
pub(crate) mod payment_intents;
mod refunds;
mod reports;
mod request_logs;
mod test_helpers;
mod users;

use axum::body::Bytes;
use axum::extract::path::ErrorKind;
use axum::extract::rejection::{BytesRejection, PathRejection};
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::{header, request::Parts};
use serde::Deserialize;
use serde::de::DeserializeOwned;
use utoipa::{IntoParams, OpenApi};
use utoipa_axum::router::OpenApiRouter;

use crate::app::AppState;
use crate::error::ApiError;
use crate::openapi::ApiDoc;
use crate::store::Page;

/// What rendering objects for the wire needs besides the objects: the key client secrets are
/// derived with, and the public base of `checkout_url`.
#[derive(Clone)]
pub struct Wire {
    pub client_secrets: crate::domain::ClientSecretKey,
    pub public_url: String,
}

/// Every documented route, each registered together with its documentation.
pub fn api_router() -> OpenApiRouter<AppState> {
    OpenApiRouter::with_openapi(ApiDoc::openapi())
        .merge(users::router())
        .merge(merchants::router())
        .merge(members::router())
        .merge(api_keys::router())
        .merge(payment_intents::router())
        .merge(refunds::router())
        .merge(charges::router())
        .merge(checkout::router())
        .merge(events::router())
        .merge(request_logs::router())
        .merge(reports::router())
        .merge(listen::router())
        .merge(test_helpers::router())
}

/// A JSON request body. Anything unreadable is a 400 in the documented shape: a wrong content
/// type, malformed JSON, a missing or unknown field (API.md "Conventions"), a wrong type.
pub struct AppJson<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for AppJson<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, ApiError> {
        let is_json = req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(';').next())
            .is_some_and(|mime| mime.trim().eq_ignore_ascii_case("application/json"));
        if !is_json {
            return Err(ApiError::UnsupportedContentType);
        }
        let bytes = Bytes::from_request(req, state).await.map_err(|err| match err {
            BytesRejection::FailedToBufferBody(_) => ApiError::BodyTooLarge,
            _ => ApiError::Unreadable,
        })?;
        // Not JSON at all comes first: typed reading stops at the first unknown field, so
        // `{"amount": ` cut short would otherwise be an unknown parameter.
        serde_json::from_slice::<serde::de::IgnoredAny>(&bytes)
            .map_err(|err| ApiError::InvalidJson(err.to_string()))?;
        // serde would also read a struct from a JSON array (`["a@b.co", …]`); the API takes
        // objects only.
        if bytes.iter().find(|b| !b.is_ascii_whitespace()) != Some(&b'{') {
            return Err(ApiError::ParameterInvalid { param: "body".into(), message: "must be a JSON object".into() });
        }
        let mut de = serde_json::Deserializer::from_slice(&bytes);
        let value = serde_path_to_error::deserialize(&mut de).map_err(|err| {
            let path = err.path().to_string();
            let inner = err.into_inner();
            if inner.is_syntax() || inner.is_eof() {
                ApiError::InvalidJson(inner.to_string())
            } else {
                deserialize_error(&path, &inner.to_string())
            }
        })?;
        de.end().map_err(|err| ApiError::InvalidJson(err.to_string()))?;
        Ok(Self(value))
    }
}

/// Turns serde's data errors into the documented codes. serde reports an unknown or missing
/// field only in its message (`unknown field `x`, expected …`), so the message is parsed here,
/// and only here.
fn deserialize_error(path: &str, message: &str) -> ApiError {
    let quoted = |prefix: &str| message.strip_prefix(prefix).and_then(|rest| rest.split('`').next()).map(str::to_owned);
    // serde_path_to_error's path already ends in an unknown field, but stops at the parent of
    // a missing one.
    let join = |field: String| match path {
        "." | "" => field,
        p if p == field || p.ends_with(&format!(".{field}")) => p.to_owned(),
        parent => format!("{parent}.{field}"),
    };
    if let Some(field) = quoted("unknown field `") {
        return ApiError::UnknownParameter(join(field));
    }
    if let Some(field) = quoted("missing field `") {
        return ApiError::ParameterMissing(join(field));
    }
    let param = if path == "." { "body".to_owned() } else { path.to_owned() };
    let message = message.split(" at line ").next().unwrap_or(message);
    ApiError::ParameterInvalid { param, message: without_values(message) }
}

/// serde's message without the offending value it quotes (`invalid type: string "DE89…",
/// expected struct SepaDebit`, ``invalid type: integer `4242…` ``): the value may be a card or
/// account number, and answers can be stored, so only what was expected is kept.
fn without_values(message: &str) -> String {
    let cut = |found: &str| {
        let end = [found.find(':'), found.find(" `"), found.find(" \"")].into_iter().flatten().min();
        end.map_or(found, |end| &found[..end]).to_owned()
    };
    match message.split_once(", expected ") {
        Some((found, expected)) => format!("{}, expected {expected}", cut(found)),
        None => cut(message),
    }
}

/// Path parameters; a malformed one (not a UUID, not an id of the right kind) is a 400.
pub struct AppPath<T>(pub T);

impl<T: DeserializeOwned + Send, S: Send + Sync> FromRequestParts<S> for AppPath<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        match axum::extract::Path::<T>::from_request_parts(parts, state).await {
            Ok(axum::extract::Path(value)) => Ok(Self(value)),
            Err(PathRejection::FailedToDeserializePathParams(err)) => {
                let param = match err.kind() {
                    ErrorKind::ParseErrorAtKey { key, .. } | ErrorKind::InvalidUtf8InPathParam { key } => key.clone(),
                    ErrorKind::Message(_) => "path".to_owned(),
                    _ => "path".to_owned(),
                };
                Err(ApiError::ParameterInvalid { param, message: err.body_text() })
            }
            Err(err) => Err(ApiError::Internal(anyhow::anyhow!("path extraction: {err}"))),
        }
    }
}

/// Query parameters, decoded with the same error mapping as JSON bodies.
pub struct AppQuery<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequestParts<S> for AppQuery<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, ApiError> {
        let query = parts.uri.query().unwrap_or_default();
        let de = serde_urlencoded::Deserializer::new(form_urlencoded::parse(query.as_bytes()));
        serde_path_to_error::deserialize(de)
            .map(Self)
            .map_err(|err| deserialize_error(&err.path().to_string(), &err.into_inner().to_string()))
    }
}

/// `?limit=1..100 (default 10)&starting_after=<id>` (API.md "Conventions").
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ListParams {
    /// How many objects to return, 1 to 100.
    #[param(minimum = 1, maximum = 100, default = 10)]
    pub limit: Option<i64>,
    /// Return the objects after this one (its id), for the next page.
    pub starting_after: Option<String>,
}

impl ListParams {
    /// Validates the page size and parses the cursor with `parse_id`.
    pub fn page<C, E>(&self, parse_id: impl FnOnce(&str) -> Result<C, E>) -> Result<Page<C>, ApiError> {
        let limit = match self.limit {
            None => 10,
            Some(n @ 1..=100) => n as u32,
            Some(_) => {
                return Err(ApiError::ParameterInvalid {
                    param: "limit".into(),
                    message: "must be between 1 and 100".into(),
                });
            }
        };
        let starting_after =
            self.starting_after.as_deref().map(parse_id).transpose().map_err(|_| ApiError::InvalidStartingAfter)?;
        Ok(Page { limit, starting_after })
    }
}

/// Deserializes a field that distinguishes "absent" (`None`) from `null` (`Some(None)`), as a
/// PATCH needs to clear a value.
pub fn double_option<'de, T: Deserialize<'de>, D: serde::Deserializer<'de>>(
    de: D,
) -> Result<Option<Option<T>>, D::Error> {
    Option::<T>::deserialize(de).map(Some)
}

#[cfg(test)]
mod tests {
    use super::without_values;

    #[test]
    fn serde_messages_lose_the_value_they_quote() {
        assert_eq!(
            without_values("invalid type: string \"DE89370400440532013000\", expected struct SepaDebit"),
            "invalid type, expected struct SepaDebit"
        );
        assert_eq!(
            without_values("invalid type: integer `4242424242424242`, expected a string"),
            "invalid type, expected a string"
        );
        assert_eq!(
            without_values("unknown variant `maybe`, expected `complete` or `fail`"),
            "unknown variant, expected `complete` or `fail`"
        );
        assert_eq!(without_values("invalid value: string \"x\""), "invalid value");
    }
}
