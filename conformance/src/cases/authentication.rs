//! API.md "Charges, authentication and asynchronous methods": 3-D Secure as Stripe's test mode
//! simulates it. An implementation that approves these cards at once fails here.

use std::time::Duration;

use anyhow::{Context as _, Result, ensure};
use kassa_sdk::types::{PaymentIntent, PaymentIntentStatus};
use serde_json::{Value, json};

use super::case;
use super::payments::{create, new_intent, race_one_key, secret};
use crate::Case;
use crate::ctx::{Ctx, Raw, Shop};

const ASKS: &str = "4000002760003184";
const ASKS_THEN_DECLINES: &str = "4000008260003178";

pub fn cases() -> Vec<Case> {
    vec![
        case!(
            "3-D Secure: 4000 0027 6000 3184 waits in requires_action with next_action redirect_to_url; Complete succeeds, one charge, events created → requires_action → succeeded",
            [("confirm_checkout", 200), ("authenticate_checkout", 200)],
            complete_succeeds
        ),
        case!(
            "3-D Secure: under manual capture, Complete authorizes",
            [("authenticate_checkout", 200)],
            complete_authorizes
        ),
        case!(
            "3-D Secure: 4000 0082 6000 3178 is declined after Complete (402 card_declined, insufficient_funds), a failed charge",
            [("authenticate_checkout", 402)],
            complete_then_declined
        ),
        case!(
            "3-D Secure: Fail is 402 payment_intent_authentication_failure, counts as an attempt, and another card may pay",
            [("authenticate_checkout", 402)],
            fail_then_retry
        ),
        case!(
            waits "3-D Secure: 422 when nothing waits for authentication or the intent expired waiting; 403 for a wrong secret; 400 for another result",
            [("authenticate_checkout", 422), ("authenticate_checkout", 403), ("authenticate_checkout", 400)],
            refusals
        ),
        case!(
            "3-D Secure: concurrent authentications with one key run once; the others are 409 idempotency_key_in_use or replays",
            [("authenticate_checkout", 409)],
            one_key_in_flight
        ),
    ]
}

fn card(number: &str) -> Value {
    json!({"number": number, "exp_month": 12, "exp_year": 2034, "cvc": "123", "name": "Conformance"})
}

/// Confirms with a card that asks for authentication; the intent's id, its secret, and the page.
async fn asks(cx: &Ctx, intent: &PaymentIntent, number: &str) -> Result<String> {
    let body = json!({"client_secret": secret(intent)?, "card": card(number)});
    let answer = cx.post(&format!("/v1/checkout/{}/confirm", intent.id), None, &body).await?.expect_status(200)?;
    ensure!(answer["status"] == "requires_action", "{number} did not ask for authentication: {answer}");
    let page = answer["redirect_url"].as_str().context("no redirect_url")?.to_owned();
    ensure!(page.contains(&intent.id) && page.contains(secret(intent)?), "the authentication page {page:?}");
    Ok(page)
}

async fn authenticate(cx: &Ctx, intent: &PaymentIntent, result: &str) -> Result<Raw> {
    let body = json!({"client_secret": secret(intent)?, "result": result});
    cx.post(&format!("/v1/checkout/{}/authenticate", intent.id), None, &body).await
}

async fn read(shop: &Shop, intent: &PaymentIntent) -> Result<PaymentIntent> {
    Ok(shop.sdk.get_payment_intent(&intent.id).await?.into_inner())
}

async fn complete_succeeds(cx: Ctx) -> Result<()> {
    let shop = cx.shop().await?;
    let intent = create(&shop, 1000, false).await?;
    let page = asks(&cx, &intent, ASKS).await?;
    let waiting = read(&shop, &intent).await?;
    ensure!(matches!(waiting.status, PaymentIntentStatus::RequiresAction), "{:?}", waiting.status);
    let next = waiting.next_action.as_ref().context("requires_action without next_action")?;
    ensure!(next.type_ == "redirect_to_url" && next.redirect_to_url.url == page, "{next:?}");
    let charges = shop.sdk.list_charges(None, Some(&intent.id), None).await?.into_inner();
    ensure!(charges.data.is_empty(), "a charge before the authentication: {charges:?}");
    let done = authenticate(&cx, &intent, "complete").await?.expect_status(200)?;
    ensure!(done["status"] == "succeeded", "{done}");
    let redirect = done["redirect_url"].as_str().unwrap_or_default();
    ensure!(redirect.contains(&format!("payment_intent={}", intent.id)), "the success_url: {redirect}");
    let paid = read(&shop, &intent).await?;
    ensure!(matches!(paid.status, PaymentIntentStatus::Succeeded) && paid.next_action.is_none(), "{paid:?}");
    ensure!(paid.attempts == 1 && paid.amount_received == 1000, "{paid:?}");
    let charges = shop.sdk.list_charges(None, Some(&intent.id), None).await?.into_inner().data;
    ensure!(charges.len() == 1 && charges[0].captured, "{charges:?}");
    let events = shop.sdk.list_events(None, Some(&intent.id), None, None).await?.into_inner().data;
    let types: Vec<String> = events.iter().rev().map(|e| e.type_.to_string()).collect();
    ensure!(
        types == ["payment_intent.created", "payment_intent.requires_action", "payment_intent.succeeded"],
        "events {types:?}"
    );
    Ok(())
}

async fn complete_authorizes(cx: Ctx) -> Result<()> {
    let shop = cx.shop().await?;
    let intent = create(&shop, 1000, true).await?;
    asks(&cx, &intent, ASKS).await?;
    let done = authenticate(&cx, &intent, "complete").await?.expect_status(200)?;
    ensure!(done["status"] == "authorized", "{done}");
    let read = read(&shop, &intent).await?;
    ensure!(matches!(read.status, PaymentIntentStatus::Authorized) && read.amount_capturable == 1000, "{read:?}");
    Ok(())
}

async fn complete_then_declined(cx: Ctx) -> Result<()> {
    let shop = cx.shop().await?;
    let intent = create(&shop, 1000, false).await?;
    asks(&cx, &intent, ASKS_THEN_DECLINES).await?;
    let declined = authenticate(&cx, &intent, "complete").await?.expect_error(402, "card_declined")?;
    ensure!(declined["error"]["decline_code"] == "insufficient_funds", "{declined}");
    ensure!(declined["error"]["network_decline_code"] == "51", "{declined}");
    let after = read(&shop, &intent).await?;
    ensure!(matches!(after.status, PaymentIntentStatus::RequiresPaymentMethod) && after.attempts == 1, "{after:?}");
    let charges = shop.sdk.list_charges(None, Some(&intent.id), None).await?.into_inner().data;
    let outcome = charges.first().and_then(|c| c.outcome.as_ref()).context("no failed charge")?;
    ensure!(outcome.decline_code == "insufficient_funds", "{outcome:?}");
    Ok(())
}

async fn fail_then_retry(cx: Ctx) -> Result<()> {
    let shop = cx.shop().await?;
    let intent = create(&shop, 1000, false).await?;
    asks(&cx, &intent, ASKS).await?;
    let failed =
        authenticate(&cx, &intent, "fail").await?.expect_error(402, "payment_intent_authentication_failure")?;
    ensure!(failed["error"]["type"] == "card_error" && failed["error"]["attempts_remaining"] == 4, "{failed}");
    let after = read(&shop, &intent).await?;
    ensure!(matches!(after.status, PaymentIntentStatus::RequiresPaymentMethod) && after.attempts == 1, "{after:?}");
    let error = after.last_payment_error.as_ref().context("no last_payment_error")?;
    ensure!(error.code == "payment_intent_authentication_failure", "{error:?}");
    let body = json!({"client_secret": secret(&intent)?, "card": card("4242424242424242")});
    let paid = cx.post(&format!("/v1/checkout/{}/confirm", intent.id), None, &body).await?.expect_status(200)?;
    ensure!(paid["status"] == "succeeded", "{paid}");
    let charges = shop.sdk.list_charges(None, Some(&intent.id), None).await?.into_inner().data;
    ensure!(charges.len() == 2, "both attempts are charges: {charges:?}");
    Ok(())
}

async fn refusals(cx: Ctx) -> Result<()> {
    let shop = cx.shop().await?;
    let intent = create(&shop, 1000, false).await?;
    authenticate(&cx, &intent, "complete").await?.expect_error(422, "payment_intent_unexpected_state")?;
    let forged = json!({"client_secret": format!("{}_secret_{}", intent.id, "0".repeat(32)), "result": "complete"});
    cx.post(&format!("/v1/checkout/{}/authenticate", intent.id), None, &forged)
        .await?
        .expect_error(403, "invalid_client_secret")?;
    authenticate(&cx, &intent, "maybe").await?.expect_error(400, "parameter_invalid")?;
    // Waiting for authentication does not stop the clock.
    let mut short = new_intent(1000, false);
    short.expires_in = Some(3);
    let brief = shop.sdk.create_payment_intent(&short).await?.into_inner();
    asks(&cx, &brief, ASKS).await?;
    tokio::time::sleep(Duration::from_millis(3300)).await;
    authenticate(&cx, &brief, "complete").await?.expect_error(422, "payment_intent_expired")?;
    let expired = read(&shop, &brief).await?;
    ensure!(matches!(expired.status, PaymentIntentStatus::Expired), "{:?}", expired.status);
    Ok(())
}

async fn one_key_in_flight(cx: Ctx) -> Result<()> {
    let shop = cx.shop().await?;
    race_one_key(&cx, None, 200, || async {
        let intent = create(&shop, 1000, false).await?;
        asks(&cx, &intent, ASKS).await?;
        Ok((
            format!("/v1/checkout/{}/authenticate", intent.id),
            json!({"client_secret": secret(&intent)?, "result": "complete"}),
        ))
    })
    .await
}
