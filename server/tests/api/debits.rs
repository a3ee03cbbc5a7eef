//! API.md "Charges, authentication and asynchronous methods": debits. A confirm with
//! `sepa_debit` or `au_becs_debit` leaves the intent `processing`; the sweeper settles it once
//! its due time (kept in the database) has passed, `succeeded` or `failed` as the test account
//! says, once, across restarts and replicas. These tests run the sweeper's passes themselves
//! and move the due time into the past, so nothing waits on a clock.

use chrono::{TimeDelta, Utc};
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{TestApp, assert_error};

crate::on_both_backends!(
    a_sepa_debit_is_processing_until_it_settles_then_succeeds,
    a_becs_debit_from_the_failing_account_fails_the_intent,
    malformed_accounts_are_400_next_to_the_field_and_count_nothing,
    an_account_number_in_the_wrong_shape_is_not_echoed_or_kept,
    a_processing_intent_cannot_be_paid_again_or_voided,
    debits_are_captured_when_they_settle_so_manual_capture_is_refused,
    a_settlement_survives_a_restart_and_happens_once,
);

const SEPA_SETTLES: &str = "DE89 3704 0044 0532 0130 00";
const SEPA_FAILS: &str = "DE62 3704 0044 0532 0130 01";

async fn debit_intent(app: &TestApp, key: &str, currency: &str, method: &str) -> Value {
    let mut body = kassa_testkit::Api::intent_body(2500, false);
    body["currency"] = json!(currency);
    body["payment_method_types"] = json!(["card", method]);
    let reply = app.post("/v1/payment-intents", Some(key), body).await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
    reply.body
}

async fn confirm(app: &TestApp, intent: &Value, method: Value) -> kassa_testkit::Reply {
    let mut body = method;
    body["client_secret"] = intent["client_secret"].clone();
    app.post(&format!("/v1/checkout/{}/confirm", intent["id"].as_str().unwrap()), None, body).await
}

fn sepa(iban: &str) -> Value {
    json!({"sepa_debit": {"iban": iban}})
}

fn becs(bsb: &str, account: &str) -> Value {
    json!({"au_becs_debit": {"bsb_number": bsb, "account_number": account}})
}

async fn read(app: &TestApp, key: &str, intent: &Value) -> Value {
    app.get(&format!("/v1/payment-intents/{}", intent["id"].as_str().unwrap()), Some(key)).await.body
}

async fn charges(app: &TestApp, key: &str, intent: &Value) -> Vec<Value> {
    let reply = app.get(&format!("/v1/charges?payment_intent={}", intent["id"].as_str().unwrap()), Some(key)).await;
    reply.body["data"].as_array().unwrap().clone()
}

/// Makes the intent's debit due now, as if the settlement delay had passed.
async fn make_due(app: &TestApp, intent: &Value) {
    let past = Utc::now() - TimeDelta::seconds(1);
    app.set_time("payment_intents", "settles_at", "id", intent["id"].as_str().unwrap(), past).await;
}

async fn sweep(app: &TestApp) -> usize {
    kassa_server::app::sweep_once(&app.state).await.unwrap()
}

async fn a_sepa_debit_is_processing_until_it_settles_then_succeeds(app: TestApp) {
    let key = app.shop().await;
    let intent = debit_intent(&app, &key, "eur", "sepa_debit").await;
    let submitted = confirm(&app, &intent, sepa(SEPA_SETTLES)).await;
    assert_eq!(submitted.status, StatusCode::OK, "{}", submitted.body);
    assert_eq!(submitted.body["status"], "processing");
    let id = intent["id"].as_str().unwrap();
    assert_eq!(submitted.body["redirect_url"], format!("https://shop.example/ok?payment_intent={id}"));

    let processing = read(&app, &key, &intent).await;
    assert_eq!((&processing["status"], &processing["attempts"]), (&json!("processing"), &json!(1)));
    assert_eq!(
        processing["payment_method"],
        json!({"type": "sepa_debit", "brand": null, "last4": "3000", "exp_month": null, "exp_year": null, "bank": "DE"})
    );
    let pending = charges(&app, &key, &intent).await;
    assert_eq!(pending.len(), 1);
    assert_eq!((&pending[0]["status"], &pending[0]["captured"]), (&json!("pending"), &json!(false)));
    assert_eq!(processing["latest_charge"], pending[0]["id"]);
    assert_eq!(sweep(&app).await, 0, "not due yet: the delay has not passed");
    assert_eq!(read(&app, &key, &intent).await["status"], "processing");

    make_due(&app, &intent).await;
    assert_eq!(sweep(&app).await, 1);
    assert_eq!(sweep(&app).await, 0, "settled once");
    let paid = read(&app, &key, &intent).await;
    assert_eq!((&paid["status"], &paid["amount_received"]), (&json!("succeeded"), &json!(2500)));
    assert_eq!(paid["last_payment_error"], Value::Null);
    let settled = &charges(&app, &key, &intent).await[0];
    assert_eq!(
        (&settled["status"], &settled["captured"], &settled["amount_captured"], &settled["outcome"]),
        (&json!("succeeded"), &json!(true), &json!(2500), &Value::Null)
    );
    assert_eq!(settled["payment_method"]["bank"], "DE");
    assert_eq!(
        app.event_types(&key).await,
        ["payment_intent.created", "payment_intent.processing", "payment_intent.succeeded"]
    );
    // Settled money is refundable like a card's, and the charge follows.
    let refund = app.post(&format!("/v1/payment-intents/{id}/refunds"), Some(&key), json!({"amount": 500})).await;
    assert_eq!(refund.status, StatusCode::CREATED, "{}", refund.body);
    assert_eq!(charges(&app, &key, &intent).await[0]["amount_refunded"], 500);

    // No full account number anywhere in the database: only the last four.
    if let Some(path) = &app.db_path {
        let bytes =
            [std::fs::read(path).unwrap(), std::fs::read(path.with_extension("db-wal")).unwrap_or_default()].concat();
        let text = String::from_utf8_lossy(&bytes);
        assert!(!text.contains("370400440532013000") && !text.contains("3704 0044"), "an IBAN was stored");
    }
}

async fn a_becs_debit_from_the_failing_account_fails_the_intent(app: TestApp) {
    let key = app.shop().await;
    let intent = debit_intent(&app, &key, "aud", "au_becs_debit").await;
    let submitted = confirm(&app, &intent, becs("000-000", "900123456")).await;
    assert_eq!(submitted.body["status"], "processing", "{}", submitted.body);
    let processing = read(&app, &key, &intent).await;
    assert_eq!(processing["payment_method"]["bank"], "000-000");
    assert_eq!(processing["payment_method"]["last4"], "3456");

    make_due(&app, &intent).await;
    assert_eq!(sweep(&app).await, 1);
    let failed = read(&app, &key, &intent).await;
    assert_eq!(failed["status"], "failed");
    assert_eq!(failed["last_payment_error"]["code"], "debit_failed");
    assert_eq!(failed["last_payment_error"]["decline_code"], "insufficient_funds");
    assert_eq!(failed["payment_method"]["type"], "au_becs_debit", "the account that failed stays");
    let charge = &charges(&app, &key, &intent).await[0];
    assert_eq!((&charge["status"], &charge["captured"]), (&json!("failed"), &json!(false)));
    assert_eq!(charge["outcome"]["decline_code"], "insufficient_funds");
    assert_eq!(
        app.event_types(&key).await,
        ["payment_intent.created", "payment_intent.processing", "payment_intent.payment_failed"]
    );
    // The other SEPA test account fails the same way.
    let euro = debit_intent(&app, &key, "eur", "sepa_debit").await;
    assert_eq!(confirm(&app, &euro, sepa(SEPA_FAILS)).await.body["status"], "processing");
    make_due(&app, &euro).await;
    sweep(&app).await;
    assert_eq!(read(&app, &key, &euro).await["last_payment_error"]["code"], "debit_failed");
    // And the settling BECS account succeeds.
    let aud = debit_intent(&app, &key, "aud", "au_becs_debit").await;
    assert_eq!(confirm(&app, &aud, becs("000000", "000123456")).await.body["status"], "processing");
    make_due(&app, &aud).await;
    sweep(&app).await;
    assert_eq!(read(&app, &key, &aud).await["status"], "succeeded");
}

async fn malformed_accounts_are_400_next_to_the_field_and_count_nothing(app: TestApp) {
    let key = app.shop().await;
    let euro = debit_intent(&app, &key, "eur", "sepa_debit").await;
    let aud = debit_intent(&app, &key, "aud", "au_becs_debit").await;
    let cases = [
        (&euro, sepa("DE89 3704 0044 0532 0130 01"), "invalid_iban", "sepa_debit.iban"),
        (&euro, sepa("not an iban"), "invalid_iban", "sepa_debit.iban"),
        (&aud, becs("12-345", "000123456"), "invalid_bank_account", "au_becs_debit.bsb_number"),
        (&aud, becs("000-000", "12 34"), "invalid_bank_account", "au_becs_debit.account_number"),
        (&euro, json!({}), "parameter_missing", "card"),
        (
            &euro,
            json!({"card": {"number": "4242424242424242", "exp_month": 12, "exp_year": 2034, "cvc": "123", "name": "T"}, "sepa_debit": {"iban": SEPA_SETTLES}}),
            "parameter_invalid",
            "card",
        ),
        // The euro intent does not take BECS, nor the Australian one SEPA.
        (&euro, becs("000-000", "000123456"), "parameter_invalid", "au_becs_debit"),
        (&aud, sepa(SEPA_SETTLES), "parameter_invalid", "sepa_debit"),
    ];
    for (intent, method, code, param) in cases {
        let reply = confirm(&app, intent, method.clone()).await;
        assert_error(&reply, StatusCode::BAD_REQUEST, code);
        assert_eq!(reply.body["error"]["param"], param, "{method}: {}", reply.body);
    }
    let cards_only = app.intent(&key, 1000, false).await;
    let refused = confirm(&app, &cards_only, sepa(SEPA_SETTLES)).await;
    assert_error(&refused, StatusCode::BAD_REQUEST, "parameter_invalid");
    for intent in [&euro, &aud, &cards_only] {
        let after = read(&app, &key, intent).await;
        assert_eq!((&after["status"], &after["attempts"]), (&json!("requires_payment_method"), &json!(0)));
        assert!(charges(&app, &key, intent).await.is_empty());
    }
}

async fn an_account_number_in_the_wrong_shape_is_not_echoed_or_kept(app: TestApp) {
    let key = app.shop().await;
    let intent = debit_intent(&app, &key, "eur", "sepa_debit").await;
    let path = format!("/v1/checkout/{}/confirm", intent["id"].as_str().unwrap());
    let odd =
        [json!({"sepa_debit": "DE89370400440532013000"}), json!({"sepa_debit": {"iban": 370400440532013000_u64}})];
    for (n, method) in odd.into_iter().enumerate() {
        let idempotency_key = format!("odd-{n}");
        let mut body = method;
        body["client_secret"] = intent["client_secret"].clone();
        // With a key, the 400 is kept for replay: it must not hold the number either.
        let reply = app.post_keyed(&path, None, &idempotency_key, body.clone()).await;
        assert_error(&reply, StatusCode::BAD_REQUEST, "parameter_invalid");
        assert!(!reply.text.contains("370400440532013000"), "echoed: {}", reply.text);
        let replay = app.post_keyed(&path, None, &idempotency_key, body).await;
        assert!(!replay.text.contains("370400440532013000"), "kept: {}", replay.text);
    }
}

async fn a_processing_intent_cannot_be_paid_again_or_voided(app: TestApp) {
    let key = app.shop().await;
    let intent = debit_intent(&app, &key, "eur", "sepa_debit").await;
    confirm(&app, &intent, sepa(SEPA_SETTLES)).await;
    let again = confirm(&app, &intent, sepa(SEPA_SETTLES)).await;
    assert_error(&again, StatusCode::UNPROCESSABLE_ENTITY, "payment_intent_unexpected_state");
    let card = app.pay(&intent, "4242 4242 4242 4242").await;
    assert_error(&card, StatusCode::UNPROCESSABLE_ENTITY, "payment_intent_unexpected_state");
    let id = intent["id"].as_str().unwrap();
    let void = app.post(&format!("/v1/payment-intents/{id}/void"), Some(&key), json!({})).await;
    assert_error(&void, StatusCode::UNPROCESSABLE_ENTITY, "invalid_state");
    let refund = app.post(&format!("/v1/payment-intents/{id}/refunds"), Some(&key), json!({})).await;
    assert_error(&refund, StatusCode::UNPROCESSABLE_ENTITY, "invalid_state");
    // Its payment deadline does not apply any more: the bank has the debit.
    app.set_time("payment_intents", "expires_at", "id", id, Utc::now() - TimeDelta::seconds(1)).await;
    assert_eq!(sweep(&app).await, 0);
    assert_eq!(read(&app, &key, &intent).await["status"], "processing");
    let listed = app.get("/v1/payment-intents?status=processing", Some(&key)).await;
    assert_eq!(listed.body["data"][0]["id"], id);
    let checkout =
        app.get(&format!("/v1/checkout/{id}?client_secret={}", intent["client_secret"].as_str().unwrap()), None).await;
    assert_eq!(checkout.body["status"], "processing");
    assert_eq!(checkout.body["payment_method_types"], json!(["card", "sepa_debit"]));
}

async fn debits_are_captured_when_they_settle_so_manual_capture_is_refused(app: TestApp) {
    let key = app.shop().await;
    let mut body = kassa_testkit::Api::intent_body(1000, true);
    body["currency"] = json!("eur");
    body["payment_method_types"] = json!(["card", "sepa_debit"]);
    let reply = app.post("/v1/payment-intents", Some(&key), body).await;
    assert_error(&reply, StatusCode::BAD_REQUEST, "parameter_invalid");
    assert_eq!(reply.body["error"]["param"], "capture_method");
    assert!(reply.body["error"]["message"].as_str().unwrap().contains("sepa_debit"), "{}", reply.body);
}

async fn a_settlement_survives_a_restart_and_happens_once(app: TestApp) {
    let key = app.shop().await;
    let intent = debit_intent(&app, &key, "eur", "sepa_debit").await;
    confirm(&app, &intent, sepa(SEPA_SETTLES)).await;
    make_due(&app, &intent).await;
    // The next process (a restart on SQLite, a second replica on PostgreSQL) finds the due
    // debit in the database; with two replicas sweeping at once, one settles it.
    let next = app.next_process(None).await;
    let first = next.state.clone();
    let swept = if next.is_sqlite() {
        sweep(&next).await
    } else {
        let other = next.replica(None).await;
        let (a, b) = tokio::join!(kassa_server::app::sweep_once(&first), kassa_server::app::sweep_once(&other.state));
        a.unwrap() + b.unwrap()
    };
    assert_eq!(swept, 1, "settled once");
    assert_eq!(read(&next, &key, &intent).await["status"], "succeeded");
    let types = next.event_types(&key).await;
    assert_eq!(types.iter().filter(|t| *t == "payment_intent.succeeded").count(), 1, "{types:?}");
}
