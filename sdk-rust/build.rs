//! Generates the client from `openapi/kassa.json` at build time, so the SDK cannot drift from the
//! contract: progenitor writes `OUT_DIR/codegen.rs`, which `src/lib.rs` includes.
//!
//! utoipa 6 writes OpenAPI 3.1 and progenitor 0.15 reads only 3.0, so the document is converted
//! in memory first, in ONE place (`build/downgrade.rs`, unit-tested through the library's tests).
//! The spec file itself is never edited and no second copy is kept; the converted document is
//! written to `OUT_DIR/kassa-3.0.json` for inspection only.

#[path = "build/downgrade.rs"]
mod downgrade;

use std::path::PathBuf;

use progenitor::{GenerationSettings, Generator, HooksMode, InterfaceStyle, TagStyle, TypePatch};

const SPEC: &str = "../openapi/kassa.json";

fn main() {
    println!("cargo:rerun-if-changed={SPEC}");
    println!("cargo:rerun-if-changed=build/downgrade.rs");
    let out_dir = PathBuf::from(std::env::var("OUT_DIR").expect("cargo sets OUT_DIR for build scripts"));

    let text = std::fs::read_to_string(SPEC).unwrap_or_else(|err| panic!("reading {SPEC}: {err}"));
    let mut document: serde_json::Value =
        serde_json::from_str(&text).unwrap_or_else(|err| panic!("{SPEC} is not JSON: {err}"));
    downgrade::downgrade_to_3_0(&mut document)
        .unwrap_or_else(|err| panic!("{SPEC} cannot be expressed as OpenAPI 3.0: {err}"));
    write_unkeyed_posts(&document, &out_dir);
    drop_client_headers(&mut document);
    drop_string_constraints(&mut document);
    let pretty = serde_json::to_string_pretty(&document).expect("a JSON value always serializes");
    std::fs::write(out_dir.join("kassa-3.0.json"), pretty).expect("writing OUT_DIR/kassa-3.0.json");

    let defaultable = defaultable_requests(&document);
    let spec: openapiv3::OpenAPI = serde_json::from_value(document)
        .unwrap_or_else(|err| panic!("{SPEC}, converted to 3.0, is not a valid OpenAPI document: {err}"));
    // The hand-written `ClientHooks` of `src/retry.rs` adds idempotency keys and retries to
    // every operation; `Options` is the generated client's inner value that configures them.
    let options: proc_macro2::TokenStream = "crate::Options".parse().expect("a type path");
    let mut settings = GenerationSettings::default();
    settings
        .with_interface(InterfaceStyle::Positional)
        .with_tag(TagStyle::Merged)
        .with_hooks(HooksMode::Expected)
        .with_inner_type(options);
    // A request names only the fields it sets: `CreatePaymentIntentRequest { amount, currency,
    // success_url, cancel_url, ..Default::default() }`.
    let mut default = TypePatch::default();
    default.with_derive("Default");
    for name in defaultable {
        settings.with_patch(name, &default);
    }
    let mut generator = Generator::new(&settings);
    let tokens = generator
        .generate_tokens(&spec)
        .unwrap_or_else(|err| panic!("progenitor could not generate a client from {SPEC}: {err}"));
    let file = syn::parse2(tokens).expect("progenitor emits valid Rust");
    std::fs::write(out_dir.join("codegen.rs"), prettyplease::unparse(&file)).expect("writing OUT_DIR/codegen.rs");
}

/// Headers that are not arguments of every call. `Kassa-Merchant` is half of the dashboard's
/// credential, so like the bearer token it goes on the HTTP client (`ClientBuilder::merchant`).
/// `Idempotency-Key` comes from the layer above (`src/retry.rs`): a fresh one on every POST, or
/// the caller's (`Client::with_idempotency_key`).
fn drop_client_headers(document: &mut serde_json::Value) {
    let operations = document["paths"].as_object_mut().into_iter().flat_map(|paths| paths.values_mut());
    for operation in operations.flat_map(|item| item.as_object_mut().into_iter().flat_map(|ops| ops.values_mut())) {
        if let Some(parameters) = operation.get_mut("parameters").and_then(|p| p.as_array_mut()) {
            parameters
                .retain(|parameter| parameter["name"] != "Kassa-Merchant" && parameter["name"] != "Idempotency-Key");
        }
    }
}

/// The contract states what the server accepts (id patterns, lengths, ranges, metadata's
/// bounds); from them typify would make a validating newtype of every such value. The SDK leaves judging to
/// the server, as Stripe's do: a refused value comes back as the documented error, with its
/// code and `param`, and arguments stay plain `String`s and maps.
fn drop_string_constraints(value: &mut serde_json::Value) {
    match value {
        serde_json::Value::Object(map) => {
            let typed = |name: &str| {
                map.get("type").is_some_and(|t| t == name || t.as_array().is_some_and(|ts| ts.contains(&name.into())))
            };
            if typed("string") || typed("integer") || map.contains_key("maxProperties") {
                for keyword in
                    ["pattern", "minLength", "maxLength", "minimum", "maximum", "maxProperties", "propertyNames"]
                {
                    map.remove(keyword);
                }
            }
            map.values_mut().for_each(drop_string_constraints);
        }
        serde_json::Value::Array(items) => items.iter_mut().for_each(drop_string_constraints),
        _ => {}
    }
}

/// `OUT_DIR/unkeyed.rs`: the POST operations the contract offers no `Idempotency-Key` on. The
/// retry layer (`src/retry.rs`) gives them no key and resends them only when they cannot have
/// run: a failed connection or a 429.
fn write_unkeyed_posts(document: &serde_json::Value, out_dir: &std::path::Path) {
    let mut unkeyed: Vec<&str> = document["paths"]
        .as_object()
        .into_iter()
        .flat_map(|paths| paths.values())
        .filter_map(|item| item.get("post"))
        .filter(|post| !post["parameters"].as_array().into_iter().flatten().any(|p| p["name"] == "Idempotency-Key"))
        .filter_map(|post| post["operationId"].as_str())
        .collect();
    unkeyed.sort_unstable();
    let code = format!("pub(crate) const UNKEYED_POSTS: &[&str] = &{unkeyed:?};\n");
    std::fs::write(out_dir.join("unkeyed.rs"), code).expect("writing OUT_DIR/unkeyed.rs");
}

/// The request bodies that can derive `Default`: every field the type holds has a default
/// (an `Option`, a string, a number, a list or a map), so a caller can spell only the fields it
/// sets. A required enum (a member's role, say) has no honest default, so its request has none.
fn defaultable_requests(document: &serde_json::Value) -> Vec<String> {
    let simple = |schema: &serde_json::Value| {
        matches!(schema["type"].as_str(), Some("string" | "integer" | "number" | "boolean" | "array"))
            && schema.get("enum").is_none()
            && schema.get("format").is_none_or(|format| format == "uuid" || format == "int64" || format == "int32")
    };
    let schemas = document["components"]["schemas"].as_object().into_iter().flatten();
    schemas
        .filter(|(name, _)| name.ends_with("Request"))
        .filter(|(_, schema)| {
            let required: Vec<&str> =
                schema["required"].as_array().into_iter().flatten().filter_map(|name| name.as_str()).collect();
            schema["properties"].as_object().into_iter().flatten().all(|(field, property)| {
                // An optional field is an `Option`, unless the contract gives it a default value.
                simple(property) || (!required.contains(&field.as_str()) && property.get("default").is_none())
            })
        })
        .map(|(name, _)| name.clone())
        .collect()
}
