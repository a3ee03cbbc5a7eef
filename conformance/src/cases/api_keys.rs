//! API.md "API keys": shown once, listed without secret, revoked at once.

use anyhow::{Context as _, Result, bail, ensure};
use kassa_sdk::types::{CreateApiKeyRequest, MemberRole};
use serde_json::json;

use super::case;
use crate::Case;
use crate::ctx::{Ctx, expect_sdk_error};

pub fn cases() -> Vec<Case> {
    vec![
        case!(
            "API keys: 201 shows the sk_test_ secret once; the list never does",
            [("create_api_key", 201), ("list_api_keys", 200)],
            key_shown_once
        ),
        case!(
            "API keys: a key authenticates the merchant API; revoked (204), it is refused at once",
            [("revoke_api_key", 204), ("list_events", 200), ("list_events", 401)],
            revoked_key_refused
        ),
        case!(
            "API keys: 403 insufficient_role for a viewer creating or revoking",
            [("create_api_key", 403), ("revoke_api_key", 403)],
            viewer_cannot_manage_keys
        ),
        case!(
            "API keys: 404 for another merchant's key or merchant",
            [("revoke_api_key", 404), ("create_api_key", 404), ("list_api_keys", 404)],
            foreign_keys_are_404
        ),
        case!(
            "API keys: 400 for a bad name, a bad limit, a malformed key id",
            [("create_api_key", 400), ("list_api_keys", 400), ("revoke_api_key", 400)],
            key_requests_invalid
        ),
        case!(
            "API keys: 401 without a user token",
            [("create_api_key", 401), ("list_api_keys", 401), ("revoke_api_key", 401)],
            keys_need_a_user_token
        ),
        case!(
            "rate limits: an API key's answers carry RateLimit-Limit, -Remaining and -Reset; past the limit any operation is 429 rate_limit_error with Retry-After",
            [],
            api_keys_are_rate_limited
        ),
    ]
}

async fn key_shown_once(cx: Ctx) -> Result<()> {
    let merchant = cx.merchant().await?;
    let id = merchant.id.parse()?;
    let sdk = cx.sdk_as(&merchant.owner.token)?;
    let created = sdk.create_api_key(&id, &CreateApiKeyRequest { name: "production".into() }).await?;
    ensure!(created.status() == 201, "status {}", created.status());
    let created = created.into_inner();
    ensure!(created.key.starts_with("sk_test_") && created.key.len() >= 8 + 32, "key {:?}", created.key);
    ensure!(created.id.starts_with("key_") && created.key.starts_with(&created.prefix), "{created:?}");
    let raw = cx.get(&format!("/v1/merchants/{}/api-keys", merchant.id), Some(&merchant.owner.token)).await?;
    let list = raw.expect_status(200)?;
    ensure!(!raw.text.contains(&created.key), "the list shows the secret");
    ensure!(list["data"][0]["id"] == created.id.as_str() && list["data"][0].get("key").is_none(), "{list}");
    Ok(())
}

async fn revoked_key_refused(cx: Ctx) -> Result<()> {
    let merchant = cx.merchant().await?;
    let (key_id, key) = cx.api_key(&merchant).await?;
    let events = cx.sdk_as(&key)?.list_events(None, None, None, None).await?;
    ensure!(events.status() == 200, "a fresh key should work: {}", events.status());
    let revoked = cx.sdk_as(&merchant.owner.token)?.revoke_api_key(&merchant.id.parse()?, &key_id).await?;
    ensure!(revoked.status() == 204, "status {}", revoked.status());
    expect_sdk_error(cx.sdk_as(&key)?.list_events(None, None, None, None).await, 401, "invalid_api_key")?;
    Ok(())
}

async fn viewer_cannot_manage_keys(cx: Ctx) -> Result<()> {
    let merchant = cx.merchant().await?;
    let id = merchant.id.parse()?;
    let (key_id, _) = cx.api_key(&merchant).await?;
    let viewer = cx.member(&merchant, MemberRole::Viewer).await?;
    let sdk = cx.sdk_as(&viewer.token)?;
    expect_sdk_error(
        sdk.create_api_key(&id, &CreateApiKeyRequest { name: "x".into() }).await,
        403,
        "insufficient_role",
    )?;
    expect_sdk_error(sdk.revoke_api_key(&id, &key_id).await, 403, "insufficient_role")?;
    Ok(())
}

async fn foreign_keys_are_404(cx: Ctx) -> Result<()> {
    let mine = cx.merchant().await?;
    let theirs = cx.merchant().await?;
    let (their_key_id, their_key) = cx.api_key(&theirs).await?;
    let sdk = cx.sdk_as(&mine.owner.token)?;
    expect_sdk_error(sdk.revoke_api_key(&mine.id.parse()?, &their_key_id).await, 404, "resource_missing")?;
    ensure!(
        cx.sdk_as(&their_key)?.list_events(None, None, None, None).await.is_ok(),
        "their key must survive my attempt"
    );
    let their_id = theirs.id.parse()?;
    expect_sdk_error(
        sdk.create_api_key(&their_id, &CreateApiKeyRequest { name: "x".into() }).await,
        404,
        "resource_missing",
    )?;
    expect_sdk_error(sdk.list_api_keys(&their_id, None, None).await, 404, "resource_missing")?;
    Ok(())
}

async fn key_requests_invalid(cx: Ctx) -> Result<()> {
    let merchant = cx.merchant().await?;
    let token = Some(merchant.owner.token.as_str());
    let path = format!("/v1/merchants/{}/api-keys", merchant.id);
    cx.post(&path, token, &json!({"name": ""})).await?.expect_param(400, "parameter_invalid", "name")?;
    cx.post(&path, token, &json!({"name": "k", "scopes": ["all"]})).await?.expect_param(
        400,
        "unknown_parameter",
        "scopes",
    )?;
    cx.get(&format!("{path}?limit=-1"), token).await?.expect_param(400, "parameter_invalid", "limit")?;
    cx.raw(reqwest::Method::DELETE, &format!("{path}/sk_test_oops"), token, None)
        .await?
        .expect_error(400, "parameter_invalid")?;
    Ok(())
}

async fn keys_need_a_user_token(cx: Ctx) -> Result<()> {
    let merchant = cx.merchant().await?;
    let id = merchant.id.parse()?;
    let (key_id, key) = cx.api_key(&merchant).await?;
    // An API key is not a user token.
    let as_key = cx.sdk_as(&key)?;
    expect_sdk_error(
        as_key.create_api_key(&id, &CreateApiKeyRequest { name: "x".into() }).await,
        401,
        "invalid_token",
    )?;
    expect_sdk_error(as_key.list_api_keys(&id, None, None).await, 401, "invalid_token")?;
    expect_sdk_error(cx.sdk().revoke_api_key(&id, &key_id).await, 401, "missing_credentials")?;
    Ok(())
}

/// The most requests the suite spends to reach an API key's limit: a server with a higher one
/// must be run with a lower one (Kassa: `--api-key-limit`) for this case.
const MAX_SPEND: u64 = 10_000;

async fn api_keys_are_rate_limited(cx: Ctx) -> Result<()> {
    let shop = cx.shop().await?;
    let list = "/v1/payment-intents?limit=1";
    let first = cx.get(list, Some(&shop.key)).await?;
    first.expect_status(200)?;
    let limit = first.number("ratelimit-limit").context("no RateLimit-Limit on an API key's answer")?;
    let mut remaining = first.number("ratelimit-remaining").context("no RateLimit-Remaining")?;
    let reset = first.number("ratelimit-reset").context("no RateLimit-Reset")?;
    ensure!(remaining < limit && (1..=60).contains(&reset), "limit {limit}, remaining {remaining}, reset {reset}");
    ensure!(limit <= MAX_SPEND, "a limit of {limit} a minute is more than the suite spends; lower it for the run");
    let mut spent = 0;
    let limited = loop {
        let batch = remaining.clamp(1, 16);
        let answers = futures::future::join_all((0..batch).map(|_| cx.get(list, Some(&shop.key)))).await;
        spent += batch;
        let mut lowest = u64::MAX;
        let mut refused = None;
        for answer in answers {
            let answer = answer?;
            match answer.status.as_u16() {
                200 => lowest = lowest.min(answer.number("ratelimit-remaining").context("no RateLimit-Remaining")?),
                429 => refused = Some(answer),
                other => bail!("{other} while spending the key's limit: {:.300}", answer.text),
            }
        }
        if let Some(refused) = refused {
            break refused;
        }
        ensure!(spent <= 3 * limit, "{spent} requests with one key and none refused; the limit is {limit}");
        remaining = lowest;
    };
    limited.expect_error(429, "rate_limited")?;
    let retry_after = limited.number("retry-after").context("429 without Retry-After")?;
    ensure!((1..=60).contains(&retry_after), "Retry-After {retry_after}");
    ensure!(
        limited.number("ratelimit-remaining") == Some(0),
        "a 429 with RateLimit-Remaining {:?}",
        limited.number("ratelimit-remaining")
    );
    if retry_after >= 2 {
        // Still this window: a write is refused the same way, and does nothing.
        let new = json!({"amount": 500, "currency": "usd", "success_url": "https://s.example/ok", "cancel_url": "https://s.example/no"});
        cx.post("/v1/payment-intents", Some(&shop.key), &new).await?.expect_error(429, "rate_limited")?;
    }
    Ok(())
}
