//! API.md "Conventions" and "Errors": shared behaviour of every endpoint.

use anyhow::{Result, ensure};
use reqwest::Method;

use super::case;
use crate::Case;
use crate::ctx::Ctx;

pub fn cases() -> Vec<Case> {
    vec![
        case!("conventions: every response carries a distinct Request-Id: req_…", [], request_ids),
        case!(
            "conventions: unknown routes and methods answer in the error shape, never plain text",
            [],
            unknown_routes
        ),
        case!("conventions: GET /openapi.json serves the contract", [], serves_the_contract),
        case!(
            "conventions: every operation answers each 401 code it documents, and each JSON body operation 400 invalid_json, invalid_content_type, unknown_parameter and parameter_missing",
            [],
            every_operation_judges_credentials_and_bodies
        ),
    ]
}

async fn request_ids(cx: Ctx) -> Result<()> {
    let mut seen = std::collections::HashSet::new();
    for path in ["/v1/auth/me", "/v1/merchants", "/v1/events", "/healthz"] {
        let raw = cx.get(path, None).await?; // `raw` itself fails without a req_ id
        ensure!(seen.insert(raw.request_id().unwrap_or_default().to_owned()), "a request id repeats");
    }
    Ok(())
}

async fn unknown_routes(cx: Ctx) -> Result<()> {
    let raw = cx.get("/v1/no-such-resource", None).await?;
    ensure!(raw.status == 404, "status {}", raw.status);
    crate::ctx::check_error_body(&raw.json()?, 404, None, raw.request_id())?;
    let raw = cx.raw(Method::PUT, "/v1/auth/me", None, None).await?;
    ensure!(raw.status.is_client_error(), "status {}", raw.status);
    crate::ctx::check_error_body(&raw.json()?, raw.status.as_u16(), None, raw.request_id())?;
    Ok(())
}

async fn serves_the_contract(cx: Ctx) -> Result<()> {
    let raw = cx.get("/openapi.json", None).await?;
    let served = raw.expect_status(200)?;
    let ours: serde_json::Value = serde_json::from_str(crate::CONTRACT)?;
    ensure!(served["paths"] == ours["paths"], "the served contract's paths differ from openapi/kassa.json");
    Ok(())
}

/// Walks the contract: each operation is called as its documented 401 codes say it refuses
/// (no credential, an unknown API key, a token that is no token), and each operation with a
/// JSON body, with a valid credential, given a body that is not JSON, one that is not declared
/// JSON, one with an unknown field, and an empty object where the body has a required field
/// (each where it documents the code). Path parameters name real objects of a fresh shop where
/// one is needed, so that the answer judges the credential or the body and nothing else.
async fn every_operation_judges_credentials_and_bodies(cx: Ctx) -> Result<()> {
    use crate::ctx::RawBody;
    let shop = cx.shop().await?;
    let intent = shop.sdk.create_payment_intent(None, &super::payments::new_intent(1000, false)).await?.into_inner();
    let token = shop.merchant.owner.token.clone();
    let fill = |path: &str| {
        path.replace("{merchant_id}", &shop.merchant.id)
            .replace("{payment_intent_id}", &intent.id)
            .replace("{user_id}", &shop.merchant.owner.id)
            .replace("{key_id}", "key_000000000000000000000000")
            .replace("{charge_id}", "ch_000000000000000000000000")
            .replace("{event_id}", "evt_000000000000000000000000")
    };
    let contract: serde_json::Value = serde_json::from_str(crate::CONTRACT)?;
    for (path, item) in contract["paths"].as_object().into_iter().flatten() {
        for (method, operation) in item.as_object().into_iter().flatten() {
            let method: Method = method.to_uppercase().parse()?;
            let id = operation["operationId"].as_str().unwrap_or_default();
            let target = fill(path);
            let codes = |status: &str| -> Vec<String> {
                let examples = operation["responses"][status]["content"]["application/json"]["examples"].as_object();
                examples.into_iter().flat_map(|e| e.keys().cloned()).collect()
            };
            let refusals = codes("401");
            for (code, credential) in [
                ("missing_credentials", None),
                ("invalid_api_key", Some("sk_test_0000000000000000000000000000")),
                ("invalid_token", Some("not.a.token")),
            ] {
                if refusals.iter().any(|c| c == code) {
                    let answer = cx.raw(method.clone(), &target, credential, None).await?;
                    answer.expect_error(401, code).map_err(|err| err.context(format!("{id}: {method} {target}")))?;
                }
            }
            let schemes: Vec<&str> = operation["security"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|r| r.as_object())
                .flat_map(|r| r.keys().map(String::as_str))
                .collect();
            let credential = if schemes.contains(&"api_key") {
                Some(shop.key.as_str())
            } else if schemes.contains(&"user_token") {
                Some(token.as_str())
            } else {
                None
            };
            let malformed = codes("400");
            let (unknown, empty) = (serde_json::json!({"no_such_field": 1}), serde_json::json!({}));
            let bodies = [
                ("invalid_json", RawBody::Text { content_type: "application/json", text: "{\"amount\": " }),
                ("invalid_content_type", RawBody::Text { content_type: "text/plain", text: "amount=1000" }),
                ("unknown_parameter", RawBody::Json(&unknown)),
                ("parameter_missing", RawBody::Json(&empty)),
            ];
            // An empty object lacks a field only where the body has a required one.
            let schema = operation["requestBody"]["content"]["application/json"]["schema"]["$ref"].as_str();
            let name = schema.and_then(|r| r.rsplit('/').next()).unwrap_or_default();
            let requires =
                contract["components"]["schemas"][name]["required"].as_array().is_some_and(|r| !r.is_empty());
            for (code, body) in bodies {
                let applies = code != "parameter_missing" || requires;
                if operation.get("requestBody").is_some() && applies && malformed.iter().any(|c| c == code) {
                    let answer = cx.raw(method.clone(), &target, credential, Some(body)).await?;
                    answer.expect_error(400, code).map_err(|err| err.context(format!("{id}: {method} {target}")))?;
                }
            }
        }
    }
    Ok(())
}
