//! API.md "Charges, authentication and asynchronous methods": `payment_method_types`, and the
//! one table of which currency each method works with.

use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::{TestApp, assert_error};

crate::on_both_backends!(
    intents_take_cards_by_default_and_debits_in_their_currency,
    a_method_outside_its_currency_or_unknown_is_400,
    an_intent_that_takes_no_cards_refuses_one_without_counting_an_attempt,
);

fn body(currency: &str, methods: serde_json::Value) -> serde_json::Value {
    let mut body = kassa_testkit::Api::intent_body(1000, false);
    body["currency"] = json!(currency);
    body["payment_method_types"] = methods;
    body
}

async fn intents_take_cards_by_default_and_debits_in_their_currency(app: TestApp) {
    let key = app.shop().await;
    let card = app.intent(&key, 1000, false).await;
    assert_eq!(card["payment_method_types"], json!(["card"]));
    let euro = app.post("/v1/payment-intents", Some(&key), body("eur", json!(["card", "sepa_debit", "card"]))).await;
    assert_eq!(euro.status, StatusCode::CREATED, "{}", euro.body);
    assert_eq!(euro.body["payment_method_types"], json!(["card", "sepa_debit"]), "each once, in order");
    let id = euro.body["id"].as_str().unwrap();
    assert_eq!(
        app.get(&format!("/v1/payment-intents/{id}"), Some(&key)).await.body["payment_method_types"],
        json!(["card", "sepa_debit"])
    );
    let aud = app.post("/v1/payment-intents", Some(&key), body("aud", json!(["au_becs_debit"]))).await;
    assert_eq!(aud.body["payment_method_types"], json!(["au_becs_debit"]), "{}", aud.body);
    // The event keeps them too.
    let events = app.get(&format!("/v1/events?payment_intent={id}"), Some(&key)).await;
    assert_eq!(events.body["data"][0]["data"]["object"]["payment_method_types"], json!(["card", "sepa_debit"]));
}

async fn a_method_outside_its_currency_or_unknown_is_400(app: TestApp) {
    let key = app.shop().await;
    for (currency, methods, needs) in
        [("usd", json!(["sepa_debit"]), "eur"), ("eur", json!(["card", "au_becs_debit"]), "aud")]
    {
        let reply = app.post("/v1/payment-intents", Some(&key), body(currency, methods)).await;
        assert_error(&reply, StatusCode::BAD_REQUEST, "payment_method_unsupported_currency");
        assert_eq!(reply.body["error"]["param"], "payment_method_types");
        assert!(reply.body["error"]["message"].as_str().unwrap().contains(needs), "{}", reply.body);
    }
    for methods in [json!([]), json!(["ideal"]), json!("card"), json!([1])] {
        let reply = app.post("/v1/payment-intents", Some(&key), body("eur", methods.clone())).await;
        assert_error(&reply, StatusCode::BAD_REQUEST, "parameter_invalid");
        assert!(
            reply.body["error"]["param"].as_str().unwrap().starts_with("payment_method_types"),
            "{methods}: {}",
            reply.body
        );
    }
    assert_eq!(app.get("/v1/payment-intents", Some(&key)).await.body["data"], json!([]), "nothing was made");
}

async fn an_intent_that_takes_no_cards_refuses_one_without_counting_an_attempt(app: TestApp) {
    let key = app.shop().await;
    let debit = app.post("/v1/payment-intents", Some(&key), body("eur", json!(["sepa_debit"]))).await.body;
    let refused = app.pay(&debit, "4242 4242 4242 4242").await;
    assert_error(&refused, StatusCode::BAD_REQUEST, "parameter_invalid");
    assert_eq!(refused.body["error"]["param"], "card");
    let after = app.get(&format!("/v1/payment-intents/{}", debit["id"].as_str().unwrap()), Some(&key)).await;
    assert_eq!((&after.body["status"], &after.body["attempts"]), (&json!("requires_payment_method"), &json!(0)));
}
