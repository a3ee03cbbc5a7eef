//! `kassa trigger EVENT_TYPE --api-key sk_test_…`: makes the API calls that cause an event, as
//! `stripe trigger` does: a payment intent, paid at its checkout with a test card, and what the
//! event needs beyond that.

use std::time::Duration;

use anyhow::{Context as _, bail};
use serde_json::{Value, json};

use super::{client, expect_ok};
use crate::cli::TriggerArgs;

pub async fn run(args: TriggerArgs) -> anyhow::Result<()> {
    let base = args.client.base_url.trim_end_matches('/').to_owned();
    let api = client(&args.client.api_key, Duration::from_secs(30))?;
    let post = |path: String, body: Value| {
        let (api, url) = (api.clone(), format!("{base}{path}"));
        async move { expect_ok(api.post(url).json(&body).send().await?, "the trigger's API call").await }
    };
    let create = |manual: bool, expires_in: Option<i64>| {
        let mut body = json!({"amount": 2000, "currency": "usd", "success_url": "https://shop.example/thanks",
            "cancel_url": "https://shop.example/cart", "description": "(created by kassa trigger)",
            "capture_method": if manual { "manual" } else { "automatic" }});
        if let Some(seconds) = expires_in {
            body["expires_in"] = json!(seconds);
        }
        post("/v1/payment-intents".into(), body)
    };
    let confirm = |intent: Value, mut body: Value| {
        let path = format!("/v1/checkout/{}/confirm", intent["id"].as_str().unwrap_or_default());
        body["client_secret"] = intent["client_secret"].clone();
        let url = format!("{base}{path}");
        // The checkout is paid as a browser pays it: with the client secret, not the API key.
        async move { reqwest::Client::new().post(url).json(&body).send().await.map(|r| r.status()) }
    };
    let pay = |intent: Value, number: &'static str| {
        let card = json!({"number": number, "exp_month": 12, "exp_year": 2034, "cvc": "123", "name": "Kassa Trigger"});
        confirm(intent, json!({"card": card}))
    };
    let id_of = |intent: &Value| intent["id"].as_str().unwrap_or_default().to_owned();
    let object = match args.event_type.as_str() {
        "payment_intent.created" => id_of(&create(false, None).await?),
        "payment_intent.succeeded" => {
            let intent = create(false, None).await?;
            pay(intent.clone(), "4242424242424242").await?;
            id_of(&intent)
        }
        "payment_intent.requires_action" => {
            let intent = create(false, None).await?;
            pay(intent.clone(), "4000002760003184").await?;
            id_of(&intent)
        }
        "payment_intent.processing" => {
            // A SEPA Direct Debit from the test account that settles: `succeeded` follows after
            // the server's settlement delay.
            let body = json!({"amount": 2000, "currency": "eur", "success_url": "https://shop.example/thanks",
                "cancel_url": "https://shop.example/cart", "description": "(created by kassa trigger)",
                "payment_method_types": ["sepa_debit"]});
            let intent = post("/v1/payment-intents".into(), body).await?;
            confirm(intent.clone(), json!({"sepa_debit": {"iban": "DE89370400440532013000"}})).await?;
            id_of(&intent)
        }
        "payment_intent.authorized" => {
            let intent = create(true, None).await?;
            pay(intent.clone(), "4242424242424242").await?;
            id_of(&intent)
        }
        "payment_intent.payment_failed" => {
            let intent = create(false, None).await?;
            pay(intent.clone(), "4000000000000002").await?;
            id_of(&intent)
        }
        "payment_intent.canceled" => {
            let intent = create(false, None).await?;
            post(format!("/v1/payment-intents/{}/void", id_of(&intent)), json!({})).await?;
            id_of(&intent)
        }
        "payment_intent.expired" => {
            // Expires in a second; the server's sweeper writes it down shortly after.
            let intent = create(false, Some(1)).await?;
            tokio::time::sleep(Duration::from_millis(1500)).await;
            id_of(&intent)
        }
        "refund.created" => {
            let intent = create(false, None).await?;
            pay(intent.clone(), "4242424242424242").await?;
            let refund = post(format!("/v1/payment-intents/{}/refunds", id_of(&intent)), json!({})).await?;
            refund["id"].as_str().context("the refund has no id")?.to_owned()
        }
        other => bail!(
            "kassa trigger: unknown event type {other:?}; try payment_intent.created, \
             payment_intent.requires_action, payment_intent.processing, payment_intent.authorized, \
             payment_intent.succeeded, payment_intent.payment_failed, payment_intent.canceled, \
             payment_intent.expired or refund.created"
        ),
    };
    println!("Trigger succeeded! {} caused on {object}", args.event_type);
    Ok(())
}
