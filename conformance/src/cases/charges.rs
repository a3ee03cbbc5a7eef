//! API.md "Charges, authentication and asynchronous methods": a charge per attempt.

use anyhow::{Result, ensure};
use kassa_sdk::types::{CapturePaymentIntentRequest, ChargeStatus, CreateRefundRequest, PaymentMethodType};
use reqwest::Method;

use super::case;
use super::payments::{create, pay};
use crate::Case;
use crate::ctx::{Ctx, expect_sdk_error};

pub fn cases() -> Vec<Case> {
    vec![
        case!(
            "charges: every attempt is a charge, newest first (a decline with its outcome, then the approval); latest_charge names the last; captures and refunds move its amounts",
            [("list_charges", 200), ("get_charge", 200)],
            every_attempt_is_a_charge
        ),
        case!(
            "charges: 400 for a malformed id, filter or cursor; 404 for another merchant's charge or a stranger's Kassa-Merchant; 401 without a credential",
            [
                ("list_charges", 400),
                ("get_charge", 400),
                ("get_charge", 404),
                ("list_charges", 404),
                ("list_charges", 401),
                ("get_charge", 401)
            ],
            charge_refusals
        ),
    ]
}

async fn every_attempt_is_a_charge(cx: Ctx) -> Result<()> {
    let shop = cx.shop().await?;
    let intent = create(&shop, 2000, true).await?;
    ensure!(intent.latest_charge.is_none(), "a new intent has no charge: {intent:?}");
    ensure!(pay(&cx, &intent, "4000000000009995").await.is_err(), "the declining card was approved");
    pay(&cx, &intent, "4242424242424242").await?;
    let list = shop.sdk.list_charges(None, Some(&intent.id), None).await?.into_inner();
    ensure!(list.data.len() == 2 && !list.has_more, "two attempts, two charges: {list:?}");
    let (approved, declined) = (&list.data[0], &list.data[1]);
    ensure!(matches!(declined.status, ChargeStatus::Failed), "{declined:?}");
    let outcome = declined.outcome.as_ref().ok_or_else(|| anyhow::anyhow!("a decline without its outcome"))?;
    ensure!(outcome.decline_code == "insufficient_funds" && outcome.network_decline_code == "51", "{outcome:?}");
    ensure!(
        declined.payment_method.last4 == "9995" && declined.payment_method.type_ == PaymentMethodType::Card,
        "{declined:?}"
    );
    ensure!(matches!(approved.status, ChargeStatus::Succeeded) && approved.outcome.is_none(), "{approved:?}");
    ensure!(!approved.captured && approved.amount_captured == 0, "authorized, not captured: {approved:?}");
    ensure!(
        approved.amount == 2000 && approved.currency == "usd" && approved.payment_intent == intent.id,
        "{approved:?}"
    );
    let read = shop.sdk.get_payment_intent(&intent.id).await?.into_inner();
    ensure!(read.latest_charge.as_deref() == Some(approved.id.as_str()), "latest_charge {:?}", read.latest_charge);

    shop.sdk.capture_payment_intent(&intent.id, &CapturePaymentIntentRequest { amount: Some(1500) }).await?;
    shop.sdk.create_refund(&intent.id, &CreateRefundRequest { amount: Some(400), reason: None }).await?;
    let charge = shop.sdk.get_charge(&approved.id).await?.into_inner();
    ensure!(charge.captured && charge.amount_captured == 1500 && charge.amount_refunded == 400, "{charge:?}");
    Ok(())
}

async fn charge_refusals(cx: Ctx) -> Result<()> {
    let shop = cx.shop().await?;
    let intent = create(&shop, 1000, false).await?;
    pay(&cx, &intent, "4242424242424242").await?;
    let charge = shop.sdk.list_charges(None, None, None).await?.into_inner().data.remove(0);
    let key = Some(shop.key.as_str());
    cx.get("/v1/charges/not-a-charge", key).await?.expect_error(400, "parameter_invalid")?;
    cx.get("/v1/charges?payment_intent=ch_1", key).await?.expect_param(400, "parameter_invalid", "payment_intent")?;
    cx.get(&format!("/v1/charges?starting_after=ch_{}", "0".repeat(24)), key)
        .await?
        .expect_error(400, "invalid_starting_after")?;
    let other = cx.shop().await?;
    expect_sdk_error(other.sdk.get_charge(&charge.id).await, 404, "resource_missing")?;
    let listed = other.sdk.list_charges(None, Some(&intent.id), None).await?.into_inner();
    ensure!(listed.data.is_empty(), "another merchant listed this merchant's charge: {listed:?}");
    let stranger = cx.user().await?;
    cx.as_member(Method::GET, "/v1/charges", &stranger.token, &shop.merchant.id, None)
        .await?
        .expect_error(404, "resource_missing")?;
    expect_sdk_error(cx.sdk().list_charges(None, None, None).await, 401, "missing_credentials")?;
    expect_sdk_error(cx.sdk().get_charge(&charge.id).await, 401, "missing_credentials")?;
    Ok(())
}
