//! API.md "Events and webhooks": the read side, with a secret API key.

use anyhow::{Result, ensure};

use super::case;
use crate::Case;
use crate::ctx::{Ctx, expect_sdk_error};

pub fn cases() -> Vec<Case> {
    vec![
        case!("events: a new merchant's list is empty", [("list_events", 200)], new_merchant_has_no_events),
        case!(
            "events: 400 for an unknown type, a bad limit, a malformed cursor or id",
            [("list_events", 400), ("get_event", 400)],
            event_queries_invalid
        ),
        case!("events: 404 for an unknown event", [("get_event", 404)], unknown_event_is_404),
        case!(
            "events: 401 without a credential, with an unknown API key, or with a forged token",
            [("list_events", 401), ("get_event", 401)],
            events_need_a_credential
        ),
    ]
}

async fn new_merchant_has_no_events(cx: Ctx) -> Result<()> {
    let merchant = cx.merchant().await?;
    let (_, key) = cx.api_key(&merchant).await?;
    let list = cx.sdk_as(&key)?.list_events(None, None, None, None).await?.into_inner();
    ensure!(list.data.is_empty() && !list.has_more, "{list:?}");
    Ok(())
}

async fn event_queries_invalid(cx: Ctx) -> Result<()> {
    let merchant = cx.merchant().await?;
    let (_, key) = cx.api_key(&merchant).await?;
    let key = Some(key.as_str());
    cx.get("/v1/events?type=payment_intent.exploded", key).await?.expect_param(400, "parameter_invalid", "type")?;
    cx.get("/v1/events?limit=0", key).await?.expect_param(400, "parameter_invalid", "limit")?;
    cx.get("/v1/events?starting_after=pi_123", key).await?.expect_param(
        400,
        "invalid_starting_after",
        "starting_after",
    )?;
    cx.get("/v1/events/not-an-event", key).await?.expect_error(400, "parameter_invalid")?;
    Ok(())
}

async fn unknown_event_is_404(cx: Ctx) -> Result<()> {
    let merchant = cx.merchant().await?;
    let (_, key) = cx.api_key(&merchant).await?;
    expect_sdk_error(cx.sdk_as(&key)?.get_event("evt_000000000000000000000000").await, 404, "resource_missing")?;
    Ok(())
}

async fn events_need_a_credential(cx: Ctx) -> Result<()> {
    let unknown = cx.sdk_as(&format!("sk_test_{}", "A".repeat(43)))?;
    expect_sdk_error(cx.sdk().list_events(None, None, None, None).await, 401, "missing_credentials")?;
    expect_sdk_error(unknown.list_events(None, None, None, None).await, 401, "invalid_api_key")?;
    expect_sdk_error(unknown.get_event("evt_000000000000000000000000").await, 401, "invalid_api_key")?;
    // A token that is neither an API key nor a well-signed user token.
    let forged = cx.sdk_as("eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.")?;
    expect_sdk_error(forged.get_event("evt_000000000000000000000000").await, 401, "invalid_token")?;
    Ok(())
}
