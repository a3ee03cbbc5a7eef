//! API.md "Dashboard access": a member's user token, with `Kassa-Merchant`, on the payment API.

use anyhow::{Result, ensure};
use kassa_sdk::types::{CapturePaymentIntentRequest, MemberRole, PaymentIntentStatus};
use reqwest::Method;
use serde_json::json;

use super::case;
use super::payments::{create, pay};
use crate::Case;
use crate::ctx::{Ctx, Shop};

pub fn cases() -> Vec<Case> {
    vec![
        case!(
            "dashboard access: a viewer's user token with Kassa-Merchant reads intents (without their client secret), refunds, events, deliveries and request logs",
            [
                ("get_payment_intent", 200),
                ("list_payment_intents", 200),
                ("list_refunds", 200),
                ("list_events", 200),
                ("get_event", 200),
                ("list_event_deliveries", 200),
                ("list_request_logs", 200)
            ],
            viewers_read
        ),
        case!(
            "dashboard access: 403 insufficient_role when a viewer captures, voids, refunds or redelivers; nothing changes",
            [
                ("capture_payment_intent", 403),
                ("void_payment_intent", 403),
                ("create_refund", 403),
                ("redeliver_event", 403)
            ],
            viewers_may_not_change_payments
        ),
        case!(
            "dashboard access: a developer captures and refunds with a user token",
            [("capture_payment_intent", 200), ("create_refund", 201)],
            developers_capture_and_refund
        ),
        case!(
            "dashboard access: 404 for a merchant the user is not a member of, and for an API key naming another merchant",
            [("list_payment_intents", 404), ("list_events", 404), ("list_request_logs", 404), ("create_refund", 404)],
            strangers_get_404
        ),
        case!(
            "dashboard access: 400 parameter_missing for a user token without Kassa-Merchant, parameter_invalid for a malformed one",
            [("list_payment_intents", 400), ("list_events", 400), ("list_request_logs", 400)],
            the_header_is_required_with_a_user_token
        ),
        case!(
            "reports: the payments report sums today's capture, refund and decline per currency, and the timeline filter finds an intent's events",
            [("payments_report", 200), ("list_events", 200)],
            payments_report
        ),
        case!(
            "reports: 400 for a malformed or reversed range; 401 without a credential; 404 for a stranger's Kassa-Merchant",
            [("payments_report", 400), ("payments_report", 401), ("payments_report", 404)],
            payments_report_refusals
        ),
    ]
}

async fn payments_report(cx: Ctx) -> Result<()> {
    let (shop, intent, viewer) = shop_and_member(&cx, MemberRole::Viewer).await?;
    let key = Some(shop.key.as_str());
    cx.post(&format!("/v1/payment-intents/{}/capture", intent.id), key, &json!({})).await?.expect_status(200)?;
    cx.post(&format!("/v1/payment-intents/{}/refunds", intent.id), key, &json!({"amount": 500}))
        .await?
        .expect_status(201)?;
    let declined = create(&shop, 700, false).await?;
    ensure!(pay(&cx, &declined, "4000000000000002").await.is_err(), "the decline card was approved");
    let report = cx
        .as_member(Method::GET, "/v1/reports/payments", &viewer, &shop.merchant.id, None)
        .await?
        .expect_status(200)?;
    ensure!(report["object"] == "payments_report", "{report}");
    let usd = report["currencies"]
        .as_array()
        .and_then(|all| all.iter().find(|c| c["currency"] == "usd"))
        .ok_or_else(|| anyhow::anyhow!("no usd in {report}"))?;
    let expected = json!({"gross_volume": 1500, "refunded": 500, "net_volume": 1000, "succeeded": 1, "failed": 1});
    ensure!(usd["totals"] == expected, "totals {} ≠ {expected}", usd["totals"]);
    let days = usd["days"].as_array().map(Vec::len).unwrap_or_default();
    ensure!(days == 30, "the default range is 30 days, got {days}");
    ensure!(usd["days"][29]["date"] == report["to"], "the last day is `to`: {}", usd["days"][29]);
    // Whichever day each step fell on (a run may straddle midnight), the days add up to the totals.
    let net: i64 = usd["days"].as_array().into_iter().flatten().filter_map(|d| d["net_volume"].as_i64()).sum();
    ensure!(net == 1000, "the days' net volumes add up to {net}, not the total 1000");
    let timeline = cx.get(&format!("/v1/events?payment_intent={}", intent.id), key).await?.expect_status(200)?;
    let types: Vec<&str> =
        timeline["data"].as_array().into_iter().flatten().filter_map(|e| e["type"].as_str()).collect();
    let want = ["refund.created", "payment_intent.succeeded", "payment_intent.authorized", "payment_intent.created"];
    ensure!(types == want, "the intent's timeline: {types:?}");
    Ok(())
}

async fn payments_report_refusals(cx: Ctx) -> Result<()> {
    let shop = cx.shop().await?;
    let key = Some(shop.key.as_str());
    cx.get("/v1/reports/payments?from=2026-02-30", key).await?.expect_param(400, "parameter_invalid", "from")?;
    cx.get("/v1/reports/payments?from=2026-12-02&to=2026-12-01", key).await?.expect_param(
        400,
        "parameter_invalid",
        "from",
    )?;
    cx.get("/v1/reports/payments", None).await?.expect_error(401, "missing_credentials")?;
    let stranger = cx.user().await?;
    cx.as_member(Method::GET, "/v1/reports/payments", &stranger.token, &shop.merchant.id, None)
        .await?
        .expect_error(404, "resource_missing")?;
    Ok(())
}

/// A shop with a paid intent under manual capture, and a member of it with `role`.
async fn shop_and_member(cx: &Ctx, role: MemberRole) -> Result<(Shop, kassa_sdk::types::PaymentIntent, String)> {
    let shop = cx.shop().await?;
    let intent = create(&shop, 1500, true).await?;
    ensure!(pay(cx, &intent, "4242424242424242").await.is_ok(), "paying the intent");
    let member = cx.member(&shop.merchant, role).await?;
    Ok((shop, intent, member.token))
}

async fn viewers_read(cx: Ctx) -> Result<()> {
    let (shop, intent, viewer) = shop_and_member(&cx, MemberRole::Viewer).await?;
    let merchant = shop.merchant.id.as_str();
    let get = async |path: String| cx.as_member(Method::GET, &path, &viewer, merchant, None).await;
    let one = get(format!("/v1/payment-intents/{}", intent.id)).await?.expect_status(200)?;
    ensure!(one["id"] == intent.id.as_str() && one["status"] == "authorized", "{one}");
    // The client secret pays the intent; a viewer may only read.
    ensure!(one["client_secret"].is_null() && one["checkout_url"].is_null(), "a viewer got the secret: {one}");
    let list = get("/v1/payment-intents?status=authorized".into()).await?.expect_status(200)?;
    ensure!(list["data"][0]["id"] == intent.id.as_str(), "{list}");
    let refunds = get(format!("/v1/payment-intents/{}/refunds", intent.id)).await?.expect_status(200)?;
    ensure!(refunds["data"].as_array().is_some_and(Vec::is_empty), "{refunds}");
    let events = get("/v1/events".into()).await?.expect_status(200)?;
    ensure!(events["data"][0]["type"] == "payment_intent.authorized", "{events}");
    let event = events["data"][0]["id"].as_str().unwrap_or_default().to_owned();
    get(format!("/v1/events/{event}")).await?.expect_status(200)?;
    get(format!("/v1/events/{event}/deliveries")).await?.expect_status(200)?;
    get("/v1/request-logs".into()).await?.expect_status(200)?;
    Ok(())
}

async fn viewers_may_not_change_payments(cx: Ctx) -> Result<()> {
    let (shop, intent, viewer) = shop_and_member(&cx, MemberRole::Viewer).await?;
    let merchant = shop.merchant.id.as_str();
    let empty = json!({});
    for tail in ["capture", "void", "refunds"] {
        let path = format!("/v1/payment-intents/{}/{tail}", intent.id);
        cx.as_member(Method::POST, &path, &viewer, merchant, Some(&empty))
            .await?
            .expect_error(403, "insufficient_role")?;
    }
    let events = cx.get("/v1/events?limit=1", Some(&shop.key)).await?.expect_status(200)?;
    let event = events["data"][0]["id"].as_str().unwrap_or_default();
    let path = format!("/v1/events/{event}/redeliver");
    cx.as_member(Method::POST, &path, &viewer, merchant, Some(&empty)).await?.expect_error(403, "insufficient_role")?;
    let after = cx.get(&format!("/v1/payment-intents/{}", intent.id), Some(&shop.key)).await?.expect_status(200)?;
    ensure!(after["status"] == "authorized" && after["amount_refunded"] == 0, "the viewer changed it: {after}");
    Ok(())
}

async fn developers_capture_and_refund(cx: Ctx) -> Result<()> {
    let (shop, intent, developer) = shop_and_member(&cx, MemberRole::Developer).await?;
    let merchant = shop.merchant.id.as_str();
    // Through the SDK's client for members, which sends the header itself.
    let sdk = cx.sdk_builder().bearer(&developer).merchant(merchant.parse()?).build()?;
    let captured = sdk.capture_payment_intent(&intent.id, &CapturePaymentIntentRequest { amount: Some(1000) }).await?;
    let captured = captured.into_inner();
    ensure!(
        matches!(captured.status, PaymentIntentStatus::Succeeded) && captured.amount_received == 1000,
        "{captured:?}"
    );
    let path = format!("/v1/payment-intents/{}/refunds", intent.id);
    let refund = cx
        .as_member(Method::POST, &path, &developer, merchant, Some(&json!({"amount": 250})))
        .await?
        .expect_status(201)?;
    ensure!(refund["amount"] == 250 && refund["payment_intent"] == intent.id.as_str(), "{refund}");
    let after = cx.get(&format!("/v1/payment-intents/{}", intent.id), Some(&shop.key)).await?.expect_status(200)?;
    ensure!(after["amount_refunded"] == 250, "{after}");
    Ok(())
}

async fn strangers_get_404(cx: Ctx) -> Result<()> {
    let (shop, intent, _) = shop_and_member(&cx, MemberRole::Viewer).await?;
    let merchant = shop.merchant.id.as_str();
    let stranger = cx.merchant().await?;
    let token = stranger.owner.token.as_str();
    for path in ["/v1/payment-intents", "/v1/events", "/v1/request-logs"] {
        cx.as_member(Method::GET, path, token, merchant, None).await?.expect_error(404, "resource_missing")?;
    }
    let path = format!("/v1/payment-intents/{}/refunds", intent.id);
    cx.as_member(Method::POST, &path, token, merchant, Some(&json!({})))
        .await?
        .expect_error(404, "resource_missing")?;
    // The stranger's own merchant does not hold the intent either.
    let own = stranger.id.as_str();
    cx.as_member(Method::POST, &path, token, own, Some(&json!({}))).await?.expect_error(404, "resource_missing")?;
    // An API key may name only its own merchant.
    cx.as_member(Method::GET, "/v1/payment-intents", &shop.key, own, None)
        .await?
        .expect_error(404, "resource_missing")?;
    cx.as_member(Method::GET, "/v1/payment-intents", &shop.key, merchant, None).await?.expect_status(200)?;
    Ok(())
}

async fn the_header_is_required_with_a_user_token(cx: Ctx) -> Result<()> {
    let merchant = cx.merchant().await?;
    let token = merchant.owner.token.as_str();
    for path in ["/v1/payment-intents", "/v1/events", "/v1/request-logs"] {
        let missing = cx.get(path, Some(token)).await?.expect_error(400, "parameter_missing")?;
        ensure!(missing["error"]["param"] == "Kassa-Merchant", "{missing}");
        let malformed =
            cx.as_member(Method::GET, path, token, "acme", None).await?.expect_error(400, "parameter_invalid")?;
        ensure!(malformed["error"]["param"] == "Kassa-Merchant", "{malformed}");
    }
    Ok(())
}
