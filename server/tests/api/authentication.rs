//! API.md "Charges, authentication and asynchronous methods": 3-D Secure, simulated as in
//! Stripe's test mode. Test cards ask for authentication; the customer completes or fails it
//! on Kassa's page, which calls `POST /v1/checkout/{id}/authenticate`.

use chrono::TimeDelta;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{TestApp, assert_error};

crate::on_both_backends!(
    a_card_that_asks_for_authentication_waits_in_requires_action_then_succeeds,
    completed_under_manual_capture_it_is_authorized,
    the_3178_card_is_declined_after_authentication,
    a_failed_authentication_counts_as_an_attempt_and_the_customer_may_retry,
    authenticating_what_does_not_wait_for_it_is_refused,
    an_intent_waiting_for_authentication_expires,
);

const ASKS: &str = "4000 0027 6000 3184";
const ASKS_THEN_DECLINES: &str = "4000 0082 6000 3178";

async fn authenticate(app: &TestApp, intent: &Value, result: &str) -> kassa_testkit::Reply {
    let id = intent["id"].as_str().unwrap();
    let body = json!({"client_secret": intent["client_secret"], "result": result});
    app.post(&format!("/v1/checkout/{id}/authenticate"), None, body).await
}

async fn read(app: &TestApp, key: &str, intent: &Value) -> Value {
    app.get(&format!("/v1/payment-intents/{}", intent["id"].as_str().unwrap()), Some(key)).await.body
}

async fn charges(app: &TestApp, key: &str, intent: &Value) -> Vec<Value> {
    let id = intent["id"].as_str().unwrap();
    app.get(&format!("/v1/charges?payment_intent={id}"), Some(key)).await.body["data"].as_array().unwrap().clone()
}

async fn a_card_that_asks_for_authentication_waits_in_requires_action_then_succeeds(app: TestApp) {
    let key = app.shop().await;
    let intent = app.intent(&key, 1000, false).await;
    let id = intent["id"].as_str().unwrap();
    let secret = intent["client_secret"].as_str().unwrap();
    let confirm = app.pay(&intent, ASKS).await;
    assert_eq!(confirm.status, StatusCode::OK, "{}", confirm.body);
    let page = format!("http://127.0.0.1/checkout/{id}/authenticate?client_secret={secret}");
    assert_eq!(confirm.body, json!({"status": "requires_action", "redirect_url": page}));
    let waiting = read(&app, &key, &intent).await;
    assert_eq!(waiting["status"], "requires_action");
    assert_eq!(waiting["next_action"], json!({"type": "redirect_to_url", "redirect_to_url": {"url": page}}));
    assert_eq!((&waiting["attempts"], &waiting["payment_method"]["last4"]), (&json!(0), &json!("3184")));
    assert!(charges(&app, &key, &intent).await.is_empty(), "no attempt until the customer authenticates");
    // The checkout page sends a returning customer to the authentication page.
    let no_redirects = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let checkout = no_redirects.get(app.url(&format!("/checkout/{id}?client_secret={secret}"))).send().await.unwrap();
    assert_eq!(checkout.headers()["location"], page.as_str());
    // A second card now is refused: the intent waits for the authentication.
    assert_error(
        &app.pay(&intent, "4242 4242 4242 4242").await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "payment_intent_unexpected_state",
    );

    let done = authenticate(&app, &intent, "complete").await;
    assert_eq!(done.status, StatusCode::OK, "{}", done.body);
    assert_eq!(
        done.body,
        json!({"status": "succeeded", "redirect_url": format!("https://shop.example/ok?payment_intent={id}")})
    );
    let paid = read(&app, &key, &intent).await;
    assert_eq!(
        (&paid["status"], &paid["amount_received"], &paid["attempts"]),
        (&json!("succeeded"), &json!(1000), &json!(1))
    );
    assert_eq!(paid["next_action"], Value::Null);
    let charges = charges(&app, &key, &intent).await;
    assert_eq!((charges.len(), &charges[0]["status"], &charges[0]["captured"]), (1, &json!("succeeded"), &json!(true)));
    assert_eq!(paid["latest_charge"], charges[0]["id"]);
    assert_eq!(
        app.event_types(&key).await,
        ["payment_intent.created", "payment_intent.requires_action", "payment_intent.succeeded"]
    );
    // Pressing Complete again changes nothing.
    assert_error(
        &authenticate(&app, &intent, "complete").await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "payment_intent_unexpected_state",
    );
}

async fn completed_under_manual_capture_it_is_authorized(app: TestApp) {
    let key = app.shop().await;
    let intent = app.intent(&key, 1000, true).await;
    assert_eq!(app.pay(&intent, ASKS).await.body["status"], "requires_action");
    let done = authenticate(&app, &intent, "complete").await;
    assert_eq!(done.body["status"], "authorized", "{}", done.body);
    let authorized = read(&app, &key, &intent).await;
    assert_eq!((&authorized["status"], &authorized["amount_capturable"]), (&json!("authorized"), &json!(1000)));
    assert_eq!(charges(&app, &key, &intent).await[0]["captured"], false);
}

async fn the_3178_card_is_declined_after_authentication(app: TestApp) {
    let key = app.shop().await;
    let intent = app.intent(&key, 1000, false).await;
    assert_eq!(app.pay(&intent, ASKS_THEN_DECLINES).await.body["status"], "requires_action");
    let declined = authenticate(&app, &intent, "complete").await;
    assert_error(&declined, StatusCode::PAYMENT_REQUIRED, "card_declined");
    assert_eq!(
        (&declined.body["error"]["decline_code"], &declined.body["error"]["network_decline_code"]),
        (&json!("insufficient_funds"), &json!("51"))
    );
    assert_eq!(declined.body["error"]["attempts_remaining"], 4);
    let after = read(&app, &key, &intent).await;
    assert_eq!(
        (&after["status"], &after["attempts"], &after["payment_method"]),
        (&json!("requires_payment_method"), &json!(1), &Value::Null)
    );
    assert_eq!(after["last_payment_error"]["decline_code"], "insufficient_funds");
    let charges = charges(&app, &key, &intent).await;
    assert_eq!(
        (&charges[0]["status"], &charges[0]["outcome"]["decline_code"]),
        (&json!("failed"), &json!("insufficient_funds"))
    );
}

async fn a_failed_authentication_counts_as_an_attempt_and_the_customer_may_retry(app: TestApp) {
    let key = app.shop().await;
    let intent = app.intent(&key, 1000, false).await;
    assert_eq!(app.pay(&intent, ASKS).await.body["status"], "requires_action");
    let failed = authenticate(&app, &intent, "fail").await;
    assert_error(&failed, StatusCode::PAYMENT_REQUIRED, "payment_intent_authentication_failure");
    assert_eq!(failed.body["error"]["type"], "card_error");
    assert_eq!(
        (&failed.body["error"]["decline_code"], &failed.body["error"]["network_decline_code"]),
        (&json!("authentication_required"), &json!("1A"))
    );
    let after = read(&app, &key, &intent).await;
    assert_eq!((&after["status"], &after["attempts"]), (&json!("requires_payment_method"), &json!(1)));
    assert_eq!(after["last_payment_error"]["code"], "payment_intent_authentication_failure");
    assert_eq!(charges(&app, &key, &intent).await[0]["outcome"]["decline_code"], "authentication_required");
    // Another try, with a card that needs no authentication.
    assert_eq!(app.pay(&intent, "4242 4242 4242 4242").await.body["status"], "succeeded");
    assert_eq!(charges(&app, &key, &intent).await.len(), 2);
    assert_eq!(
        app.event_types(&key).await,
        [
            "payment_intent.created",
            "payment_intent.requires_action",
            "payment_intent.payment_failed",
            "payment_intent.succeeded"
        ]
    );
}

async fn authenticating_what_does_not_wait_for_it_is_refused(app: TestApp) {
    let (owner, merchant) = app.owner().await;
    let (_, key) = app.api_key(&owner, &merchant).await;
    let intent = app.intent(&key, 1000, false).await;
    assert_error(
        &authenticate(&app, &intent, "complete").await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "payment_intent_unexpected_state",
    );
    let id = intent["id"].as_str().unwrap();
    let forged = json!({"client_secret": format!("{id}_secret_{}", "0".repeat(32)), "result": "complete"});
    assert_error(
        &app.post(&format!("/v1/checkout/{id}/authenticate"), None, forged).await,
        StatusCode::FORBIDDEN,
        "invalid_client_secret",
    );
    assert_error(&authenticate(&app, &intent, "maybe").await, StatusCode::BAD_REQUEST, "parameter_invalid");
    // A viewer's read shows no next_action: its URL carries the client secret.
    assert_eq!(app.pay(&intent, ASKS).await.body["status"], "requires_action");
    let (_, viewer) = app.member(&owner, &merchant, "viewer").await;
    let seen = app.on_merchant(&merchant).get(&format!("/v1/payment-intents/{id}"), Some(&viewer)).await;
    assert_eq!((&seen.body["status"], &seen.body["next_action"]), (&json!("requires_action"), &Value::Null));
}

async fn an_intent_waiting_for_authentication_expires(app: TestApp) {
    let key = app.shop().await;
    let intent = app.intent(&key, 1000, false).await;
    assert_eq!(app.pay(&intent, ASKS).await.body["status"], "requires_action");
    app.state.store.clock().advance(TimeDelta::hours(2));
    assert_eq!(read(&app, &key, &intent).await["status"], "expired");
    assert_error(
        &authenticate(&app, &intent, "complete").await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "payment_intent_expired",
    );
    assert_eq!(kassa_server::app::sweep_once(&app.state).await.unwrap(), 1, "the sweeper expires it");
    let types = app.event_types(&key).await;
    assert_eq!(types.last().map(String::as_str), Some("payment_intent.expired"));
    assert!(charges(&app, &key, &intent).await.is_empty());
}
