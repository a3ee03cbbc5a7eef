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
