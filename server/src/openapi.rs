//! The root of the contract: title, security schemes, tags, and the rules every operation
//! shares (a documented 500, the `Request-Id` header). [`document`] renders the whole contract
//! from the code; `cargo xtask openapi` writes it to `openapi/kassa.json`.

use utoipa::openapi::path::{ParameterBuilder, ParameterIn};
use utoipa::openapi::security::{ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::openapi::{HeaderBuilder, ObjectBuilder, RefOr, Required, ResponseBuilder, Type};
use utoipa::{Modify, OpenApi};

use crate::error::ErrorBody;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Kassa API",
        version = "1.0.0",
        description = include_str!("openapi_description.md"),
        license(name = "Apache-2.0"),
    ),
    components(schemas(ErrorBody)),
    tags(
        (name = "users", description = "Register, log in, and the current user."),
        (name = "merchants", description = "Merchants: the accounts payments belong to."),
        (name = "members", description = "A merchant's team and their roles: owner > admin > developer > viewer."),
        (name = "api_keys", description = "Secret API keys (`sk_test_…`), shown once at creation."),
        (name = "payment_intents", description = "Payments: create an intent, let the customer pay it at its checkout, capture, void. Secret API key, or a member's user token with `Kassa-Merchant`."),
        (name = "refunds", description = "Money returned from succeeded payment intents. Secret API key, or a member's user token with `Kassa-Merchant`."),
        (name = "charges", description = "Every attempt to pay an intent, approved or declined. Secret API key, or a member's user token with `Kassa-Merchant`."),
        (name = "checkout", description = "What a browser holding an intent's client secret may see and do: the hosted checkout's API."),
        (name = "events", description = "The record of state changes, read with a secret API key (or a member's user token with `Kassa-Merchant`), and their deliveries to the merchant's webhook endpoint."),
        (name = "listen", description = "What `kassa listen` uses to forward the merchant's events to a local URL: a long poll and a cursor per API key. Secret API key."),
        (name = "reports", description = "What the dashboard's charts draw: payments per day and currency. Secret API key, or a member's user token with `Kassa-Merchant`."),
        (name = "test-helpers", description = "Sandbox controls: the merchant's test clock (freeze, advance, resume) and schedule, and a reset of its payment data. Secret API key. Any request authenticated with an API key or user token may also carry `Kassa-Simulate` (see the description above). A production implementation of the contract need not have these."),
        (name = "request_logs", description = "The API requests made with the merchant's API keys in the last 7 days, bodies redacted. Secret API key, or a member's user token with `Kassa-Merchant`."),
    )
)]
pub struct ApiDoc;

/// Applied to the merged document, once every route has added its operations.
struct SharedRules;

impl Modify for SharedRules {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "user_token",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .bearer_format("JWT")
                    .description(Some("A user access token from POST /v1/auth/login (HS256 JWT, valid for one hour)."))
                    .build(),
            ),
        );
        components.add_security_scheme(
            "api_key",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .description(Some("A secret API key, `sk_test_…`, from POST /v1/merchants/{merchant_id}/api-keys."))
                    .build(),
            ),
        );
        components.add_security_scheme(
            "kassa_merchant",
            SecurityScheme::ApiKey(ApiKey::Header(ApiKeyValue::with_description(
                "Kassa-Merchant",
                "With a user token, the merchant it acts on (its id): how the dashboard reads and manages a \
                 merchant's payments. A viewer may read; a developer or above may also capture, void, refund \
                 and redeliver. Not needed with an API key (which may only name its own merchant).",
            ))),
        );
        components.add_security_scheme(
            "client_secret",
            SecurityScheme::ApiKey(ApiKey::Query(ApiKeyValue::with_description(
                "client_secret",
                "A payment intent's client secret, `pi_…_secret_…`, for the hosted checkout.",
            ))),
        );

        let request_id = HeaderBuilder::new()
            .schema(Some(
                ObjectBuilder::new()
                    .schema_type(Type::String)
                    .examples([serde_json::json!("req_4Xo3yOJaFQwqnqEcbmV5BMb2")]),
            ))
            .description(Some("The id of this request, `req_…`; quote it in a support request."))
            .build();
        let retry_after = HeaderBuilder::new()
            .schema(Some(ObjectBuilder::new().schema_type(Type::Integer).minimum(Some(1))))
            .description(Some("On a 429 or 503: the seconds to wait before trying again."))
            .build();
        let idempotency_key = ParameterBuilder::new()
            .name("Idempotency-Key")
            .parameter_in(ParameterIn::Header)
            .required(Required::False)
            .schema(Some(ObjectBuilder::new().schema_type(Type::String)))
            .description(Some(
                "1 to 255 printable ASCII characters. Makes a retry safe: the first response for this key and \
                 credential is replayed, byte for byte with `Idempotent-Replayed: true`, for 24 hours. The same \
                 key with another request (method, path or body; one changed digit is another request) is \
                 `400 idempotency_key_reused`; while the first request runs, `409 idempotency_key_in_use`. \
                 Keys belong to the credential: the merchant of an API key, the user of an access token, or, \
                 for a checkout confirm or authentication, its client secret; a request without one runs as if it had no key. \
                 A 5xx is not kept (nothing committed with it), so its retry runs again.",
            ))
            .build();
        for item in openapi.paths.paths.values_mut() {
            if let Some(post) = &mut item.post
                && !post.operation_id.as_deref().is_some_and(|id| UNKEYED_POSTS.contains(&id))
            {
                post.parameters.get_or_insert_with(Vec::new).push(RefOr::T(idempotency_key.clone()));
            }
            let operations = [&mut item.get, &mut item.put, &mut item.post, &mut item.delete, &mut item.patch];
            for operation in operations.into_iter().flatten() {
                if names_a_merchant(operation) {
                    document_merchant_header(&mut operation.responses.responses);
                }
                let responses = &mut operation.responses.responses;
                responses.entry("500".into()).or_insert_with(|| {
                    error_response(
                        "`internal_error`: something went wrong on Kassa's side; the body never reveals what.",
                    )
                });
                // Any operation may also answer what `Kassa-Simulate` asks for: the ranges
                // (not `default`, which progenitor would take for a second success type) give
                // clients those in the one error shape too.
                responses.entry("4XX".into()).or_insert_with(|| {
                    error_response(
                        "Any other client error, in the same shape: `429 rate_limited` (type `rate_limit_error`, \
                         with `Retry-After`) when the API key has made more requests this minute than the server \
                         allows (`KASSA_API_KEY_LIMIT`, default 6000), or as a `Kassa-Simulate` header asks. Retry a \
                         429 after `Retry-After`; other 4xx answers do not change on a retry.",
                    )
                });
                responses.entry("5XX".into()).or_insert_with(|| {
                    error_response(
                        "Any other server error, in the same shape: `503 service_unavailable` (with `Retry-After`) \
                         as a `Kassa-Simulate` header asks. Retry it with the same `Idempotency-Key`.",
                    )
                });
                for (status, response) in responses.iter_mut() {
                    if let RefOr::T(response) = response {
                        response.headers.insert("Request-Id".into(), RefOr::T(request_id.clone()));
                        if matches!(status.as_str(), "429" | "4XX" | "5XX") {
                            response.headers.insert("Retry-After".into(), RefOr::T(retry_after.clone()));
                        }
                    }
                }
            }
        }
    }
}

/// A response with the documented error body.
fn error_response(description: &str) -> RefOr<utoipa::openapi::Response> {
    RefOr::T(
        ResponseBuilder::new()
            .description(description)
            .content(
                "application/json",
                utoipa::openapi::ContentBuilder::new()
                    .schema(Some(utoipa::openapi::Ref::from_schema_name("Error")))
                    .build(),
            )
            .build(),
    )
}

/// The POSTs that take no `Idempotency-Key`, so the contract does not offer one (clients then
/// know not to retry them after a lost answer): register and login have no credential to scope
/// a key by, and the others answer with a secret shown once (an API key, a webhook secret),
/// which is never kept for a replay (`idempotency::NoStore`).
const UNKEYED_POSTS: &[&str] = &["register", "login", "create_merchant", "create_api_key", "roll_webhook_secret"];

/// Whether the operation accepts a user token with `Kassa-Merchant` (`auth::MerchantAccess`).
fn names_a_merchant(operation: &utoipa::openapi::path::Operation) -> bool {
    operation
        .security
        .iter()
        .flatten()
        .any(|requirement| serde_json::to_value(requirement).is_ok_and(|value| value.get("kassa_merchant").is_some()))
}

/// What `Kassa-Merchant` adds to every operation that takes it: a 400 for a missing or
/// malformed header, and a 404 for a merchant the user is not a member of.
fn document_merchant_header(responses: &mut std::collections::BTreeMap<String, RefOr<utoipa::openapi::Response>>) {
    let not_a_member = "the user is not a member of the merchant in `Kassa-Merchant`, or an API key named another \
                        merchant there";
    let additions = [
        ("400", "With a user token: `parameter_missing` or `parameter_invalid` (`Kassa-Merchant`).".to_owned(), None),
        ("404", format!("Also when {not_a_member}."), Some(format!("`resource_missing`: {not_a_member}."))),
    ];
    for (status, addition, alone) in additions {
        match responses.get_mut(status) {
            Some(RefOr::T(response)) => response.description = format!("{} {addition}", response.description),
            Some(RefOr::Ref(_)) => {}
            None => {
                responses.insert(status.into(), error_response(alone.as_deref().unwrap_or(&addition)));
            }
        }
    }
}

/// The contract as the code defines it.
pub fn document() -> utoipa::openapi::OpenApi {
    let (_, mut openapi) = crate::http::api_router().split_for_parts();
    SharedRules.modify(&mut openapi);
    openapi
}

/// The contract as `openapi/kassa.json` must hold it: pretty JSON and a final newline.
pub fn render() -> String {
    let mut json = document().to_pretty_json().expect("an OpenAPI document always serializes to JSON");
    json.push('\n');
    json
}
