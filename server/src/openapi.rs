//! The root of the contract: title, security schemes, tags, and the rules every operation
//! shares (a documented 500, the `Request-Id` header). [`document`] renders the whole contract
//! from the code; `cargo xtask openapi` writes it to `openapi/kassa.json`.

use utoipa::openapi::path::{ParameterBuilder, ParameterIn};
use utoipa::openapi::security::{
    ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityRequirement, SecurityScheme,
};
use utoipa::openapi::{
    HeaderBuilder, KnownFormat, ObjectBuilder, RefOr, Required, ResponseBuilder, Schema, SchemaFormat, Type,
};
use utoipa::{Modify, OpenApi};

use crate::domain::{ApiKeyId, AttemptId, ChargeId, EventId, PaymentIntentId, RefundId, RequestId};
use crate::error::ErrorBody;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Kassa API",
        version = "1.0.0",
        description = include_str!("openapi_description.md"),
        license(name = "Apache-2.0", identifier = "Apache-2.0"),
    ),
    servers(
        (url = "http://127.0.0.1:4242", description = "`kassa serve` with no configuration: the sandbox on this machine."),
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
        state_field_rules(&mut components.schemas);
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
            .schema(Some(ObjectBuilder::new().schema_type(Type::String).pattern(Some(IDEMPOTENCY_KEY_PATTERN))))
            .description(Some(
                "1 to 255 printable ASCII characters, the first and last not a space. Makes a retry safe: the first response for this key and \
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
                // `security(())` renders as `[{}]`, "a credential is optional"; register and
                // log in take none, which `[]` says, and openapi-python-client reads only `[]`
                // that way (on `[{}]` it makes the caller build an authenticated client).
                if operation.security.as_ref().is_some_and(|s| s.iter().all(|r| *r == Default::default())) {
                    operation.security = Some(Vec::new());
                }
                if take_merchant_header(operation) {
                    document_merchant_header(&mut operation.responses.responses);
                }
                state_id_patterns(operation);
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
                        name_error_examples(status, response);
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

/// Each error code an error response's description names becomes a named example of its body,
/// so that `/docs` shows it and tools can read it: "`parameter_missing` (client_secret)" is the
/// example `parameter_missing`, answered by the server's own `ApiError` with `param`
/// `client_secret`.
fn name_error_examples(status: &str, response: &mut utoipa::openapi::Response) {
    let Some(RefOr::T(content)) = response.content.get_mut("application/json") else { return };
    for (code, param) in documented_codes(&response.description) {
        let example = crate::error::ApiError::examples(param)
            .iter()
            .map(|error| error.body(EXAMPLE_REQUEST_ID))
            .find(|(answered, body)| body.error.code == code && status_covers(status, *answered));
        let Some((_, body)) = example else { continue };
        let value = serde_json::to_value(&body).ok();
        let example = utoipa::openapi::example::ExampleBuilder::new().summary(body.error.message).value(value);
        content.examples.insert(code.to_owned(), RefOr::T(example.build()));
    }
}

/// The request id every example shows.
const EXAMPLE_REQUEST_ID: &str = "req_4Xo3yOJaFQwqnqEcbmV5BMb2";

/// The snake-case words in backticks of `description` (the last word of "`429 rate_limited`"),
/// each with the field named in the parentheses right after it, if any: "`parameter_invalid`
/// (param: limit, starting_after)" gives `("parameter_invalid", Some("limit"))`.
fn documented_codes(description: &str) -> Vec<(&str, Option<&str>)> {
    let mut codes = Vec::new();
    let mut rest = description;
    while let Some((_, after)) = rest.split_once('`') {
        let Some((quoted, after)) = after.split_once('`') else { break };
        rest = after;
        let word = quoted.rsplit(' ').next().unwrap_or(quoted);
        if word.is_empty() || !word.bytes().all(|b| b.is_ascii_lowercase() || b == b'_') {
            continue;
        }
        let param = after
            .strip_prefix(" (")
            .and_then(|inner| inner.split([')', ',', ';']).next())
            .map(|first| first.trim_start_matches("param: ").trim_matches('`'))
            .filter(|first| {
                !first.is_empty() && first.bytes().all(|b| b.is_ascii_alphanumeric() || b"_.-".contains(&b))
            });
        codes.push((word, param));
    }
    codes
}

/// Whether the response keyed `status` ("400", "4XX") is where an answer `answered` goes.
fn status_covers(status: &str, answered: axum::http::StatusCode) -> bool {
    match status.strip_suffix("XX") {
        Some(class) => answered.as_str().starts_with(class),
        None => answered.as_str() == status,
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

/// What [`crate::idempotency`] accepts as a key. HTTP drops the spaces around a header's
/// value, so a key cannot begin or end with one.
pub const IDEMPOTENCY_KEY_PATTERN: &str = "^[!-~]([ -~]{0,253}[!-~])?$";

/// The routes declare the dashboard's credential as the security requirement it is: a user
/// token together with `Kassa-Merchant` (`auth::MerchantAccess`).
const MERCHANT_HEADER: &str = "kassa_merchant";

/// Where the operation accepts a user token with `Kassa-Merchant`, renders that requirement
/// as the user token plus a `Kassa-Merchant` header parameter: a security scheme cannot say
/// that the header is a merchant id, and a parameter can, so generators and fuzzers send UUIDs
/// there. Whether it did.
fn take_merchant_header(operation: &mut utoipa::openapi::path::Operation) -> bool {
    let mut took = false;
    for requirement in operation.security.iter_mut().flatten() {
        if serde_json::to_value(&*requirement).is_ok_and(|value| value.get(MERCHANT_HEADER).is_some()) {
            *requirement = SecurityRequirement::new("user_token", Vec::<String>::new());
            took = true;
        }
    }
    if !took {
        return false;
    }
    let header = ParameterBuilder::new()
        .name("Kassa-Merchant")
        .parameter_in(ParameterIn::Header)
        .required(Required::False)
        .schema(Some(
            ObjectBuilder::new().schema_type(Type::String).format(Some(SchemaFormat::KnownFormat(KnownFormat::Uuid))),
        ))
        .description(Some(
            "With a user token, the merchant it acts on (its id): how the dashboard reads and manages a merchant's \
             payments, and then required. A viewer may read; a developer or above may also capture, void, refund and \
             redeliver. Not needed with an API key, which may only name its own merchant here.",
        ))
        .build();
    operation.parameters.get_or_insert_with(Vec::new).push(RefOr::T(header));
    true
}

/// States on every parameter that names an object the shape of its id, from the type that
/// parses it, so the contract refuses what the server refuses. A list's `starting_after` is
/// an id of the objects it lists.
fn state_id_patterns(operation: &mut utoipa::openapi::path::Operation) {
    let listing = operation.operation_id.as_deref().unwrap_or_default();
    for parameter in operation.parameters.iter_mut().flatten() {
        let RefOr::T(parameter) = parameter else { continue };
        let pattern: &str = match parameter.name.as_str() {
            "payment_intent_id" | "payment_intent" => PaymentIntentId::PATTERN,
            "charge_id" => ChargeId::PATTERN,
            "event_id" => EventId::PATTERN,
            "key_id" => ApiKeyId::PATTERN,
            "types" => &crate::domain::EventKind::list_pattern(),
            "starting_after" => match listing {
                "list_payment_intents" => PaymentIntentId::PATTERN,
                "list_refunds" => RefundId::PATTERN,
                "list_charges" => ChargeId::PATTERN,
                "list_events" => EventId::PATTERN,
                "list_event_deliveries" => AttemptId::PATTERN,
                "list_api_keys" => ApiKeyId::PATTERN,
                "list_request_logs" => RequestId::PATTERN,
                // Merchants and members are listed by UUID, which the parameter's format says.
                "list_merchants" | "list_members" => {
                    set_format_uuid(parameter);
                    continue;
                }
                other => panic!("{other} lists objects whose ids openapi.rs does not know"),
            },
            _ => continue,
        };
        if let Some(RefOr::T(Schema::Object(schema))) = &mut parameter.schema {
            schema.pattern = Some(pattern.to_owned());
        }
    }
}

fn set_format_uuid(parameter: &mut utoipa::openapi::path::Parameter) {
    if let Some(RefOr::T(Schema::Object(schema))) = &mut parameter.schema {
        schema.format = Some(SchemaFormat::KnownFormat(KnownFormat::Uuid));
    }
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

/// A request field whose value a domain parser checks, so its schema states what that parser
/// accepts (the field keeps its own description and example).
enum Rule {
    Name,
    Url,
    Email,
    Currency,
    Metadata,
    /// An id of one kind: its type's `PATTERN`.
    Id(&'static str),
}

/// Which request fields go through which parser.
const FIELD_RULES: &[(&str, &str, Rule)] = &[
    ("RegisterRequest", "name", Rule::Name),
    ("RegisterRequest", "email", Rule::Email),
    ("LoginRequest", "email", Rule::Email),
    ("CreateMerchantRequest", "name", Rule::Name),
    ("CreateMerchantRequest", "webhook_url", Rule::Url),
    ("UpdateMerchantRequest", "name", Rule::Name),
    ("UpdateMerchantRequest", "webhook_url", Rule::Url),
    ("AddMemberRequest", "email", Rule::Email),
    ("CreateApiKeyRequest", "name", Rule::Name),
    ("CreatePaymentIntentRequest", "currency", Rule::Currency),
    ("CreatePaymentIntentRequest", "success_url", Rule::Url),
    ("CreatePaymentIntentRequest", "cancel_url", Rule::Url),
    ("CreatePaymentIntentRequest", "customer_email", Rule::Email),
    ("CreatePaymentIntentRequest", "metadata", Rule::Metadata),
    ("ListenAttemptRequest", "event_id", Rule::Id(EventId::PATTERN)),
];

fn state_field_rules(schemas: &mut std::collections::BTreeMap<String, RefOr<Schema>>) {
    for (schema, field, rule) in FIELD_RULES {
        let Some(RefOr::T(Schema::Object(object))) = schemas.get_mut(*schema) else {
            panic!("FIELD_RULES names {schema}, which is not an object schema of the contract");
        };
        let Some(RefOr::T(Schema::Object(property))) = object.properties.get_mut(*field) else {
            panic!("FIELD_RULES names {schema}.{field}, which is not a plain field");
        };
        let (pattern, max_length) = match rule {
            Rule::Name => (crate::domain::Name::PATTERN.to_owned(), Some(crate::domain::Name::MAX_CHARS)),
            Rule::Url => (crate::domain::HttpUrl::PATTERN.to_owned(), Some(crate::domain::HttpUrl::MAX_LEN)),
            Rule::Email => (crate::domain::Email::PATTERN.to_owned(), Some(crate::domain::Email::MAX_LEN)),
            Rule::Currency => (crate::domain::Currency::pattern(), Some(3)),
            // The pattern bounds the length.
            Rule::Id(pattern) => ((*pattern).to_owned(), None),
            Rule::Metadata => {
                // `domain::Metadata`: up to 20 keys of 1 to 40 characters, values up to 500.
                let string = |max: usize| {
                    ObjectBuilder::new().schema_type(Type::String).min_length(Some(1)).max_length(Some(max))
                };
                property.max_properties = Some(20);
                property.property_names = Some(Box::new(string(40).into()));
                property.additional_properties = Some(Box::new(utoipa::openapi::schema::AdditionalProperties::RefOr(
                    RefOr::T(string(500).min_length(None).into()),
                )));
                continue;
            }
        };
        property.pattern = Some(pattern);
        property.max_length = max_length;
        property.min_length = Some(1);
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
