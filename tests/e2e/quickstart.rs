//! The SDK's examples against a fresh `kassa serve`, what they leave behind, and a restart in
//! the middle of a payment.

use std::process::Command;

use kassa_sdk::types::{Card, ConfirmCheckoutRequest, CreatePaymentIntentRequest, PaymentIntentStatus};

use crate::harness::{Server, example_bin, succeeds};

fn run_example(name: &str, server: &Server) -> String {
    succeeds(Command::new(example_bin(name)).env("KASSA_BASE_URL", &server.base_url), name)
}

#[tokio::test]
async fn the_quickstart_decline_3d_secure_and_sepa_debit_examples_print_their_results() {
    let server = Server::start(None).await;
    let out = run_example("quickstart", &server);
    assert!(out.contains("Verified payment: amount=1000 cents, status=succeeded"), "{out}");
    let out = run_example("decline", &server);
    assert!(out.contains("decline_code=insufficient_funds network_decline_code=51 attempts_remaining=4"), "{out}");
    let out = run_example("three_d_secure", &server);
    assert!(out.contains("Confirm answered requires_action: authenticate at http://"), "{out}");
    assert!(out.contains("Verified payment: amount=4200 cents, status=succeeded"), "{out}");
    let out = run_example("sepa_debit", &server);
    assert!(out.contains("Confirm answered processing; the browser goes to https://shop.example/thanks"), "{out}");
    assert!(out.contains("Settled: amount=3100 cents, status=succeeded, paid from DE account ending 3000"), "{out}");

    // Neither the database nor the log holds a card number, with or without spaces.
    let stored = String::from_utf8_lossy(&server.database_bytes()).into_owned();
    assert!(stored.contains("4242"), "the scan found no last4 at all, so it would prove nothing");
    let log = server.log_text();
    for number in [kassa_sdk::test_cards::VISA, kassa_sdk::test_cards::INSUFFICIENT_FUNDS] {
        for form in [number.to_owned(), number.replace(' ', "")] {
            assert!(!stored.contains(&form), "the database holds {form}");
            assert!(!log.contains(&form), "the log holds {form}");
        }
    }
    let iban = kassa_sdk::test_accounts::SEPA_SETTLES;
    for form in [iban.to_owned(), iban.replace(' ', ""), iban.replace(' ', "")[4..].to_owned()] {
        assert!(!stored.contains(&form) && !log.contains(&form), "the IBAN is kept as {form}");
    }
}

/// A fresh merchant's secret API key.
async fn merchant_key(base_url: &str) -> String {
    use kassa_sdk::types::{CreateApiKeyRequest, CreateMerchantRequest, LoginRequest, RegisterRequest};
    let kassa = kassa_sdk::builder(base_url).build().unwrap();
    let (email, password) = ("restart@example.com".to_owned(), "correct-horse-42".to_owned());
    kassa
        .register(&RegisterRequest { email: email.clone(), password: password.clone(), name: "R".into() })
        .await
        .unwrap();
    let token =
        kassa.login(&LoginRequest { email, password, ..Default::default() }).await.unwrap().into_inner().access_token;
    let dashboard = kassa_sdk::authenticated(base_url, &token).unwrap();
    let merchant =
        dashboard.create_merchant(&CreateMerchantRequest { name: "R".into(), webhook_url: None }).await.unwrap();
    let key = dashboard.create_api_key(&merchant.id, &CreateApiKeyRequest { name: "k".into() }).await.unwrap();
    key.into_inner().key
}

#[tokio::test]
async fn restarting_between_create_and_confirm_loses_nothing() {
    let first = Server::start(None).await;
    let key = merchant_key(&first.base_url).await;
    let server = kassa_sdk::authenticated(&first.base_url, &key).unwrap();
    let request = CreatePaymentIntentRequest {
        amount: 1000,
        currency: "usd".into(),
        success_url: "https://shop.example/ok".into(),
        cancel_url: "https://shop.example/no".into(),
        ..Default::default()
    };
    let intent = server.with_idempotency_key("restart-1").create_payment_intent(&request).await.unwrap().into_inner();
    let dir = first.stop_keeping_data();

    let second = Server::start_in(dir, None).await;
    let kassa = kassa_sdk::builder(&second.base_url).build().unwrap();
    let card =
        Card { number: "4242424242424242".into(), exp_month: 12, exp_year: 2034, cvc: "123".into(), name: "R".into() };
    let paid = kassa
        .confirm_checkout(&intent.id, &ConfirmCheckoutRequest::with_card(intent.client_secret.clone().unwrap(), card))
        .await
        .expect("the intent and its client secret survive the restart")
        .into_inner();
    assert!(matches!(paid.status, PaymentIntentStatus::Succeeded));
    // The idempotency key survives too: the retried create is a replay, not a second intent.
    let server = kassa_sdk::authenticated(&second.base_url, &key).unwrap();
    let retried = server.with_idempotency_key("restart-1").create_payment_intent(&request).await.unwrap();
    assert_eq!(retried.headers().get("idempotent-replayed").and_then(|v| v.to_str().ok()), Some("true"));
    assert_eq!(retried.into_inner().id, intent.id);
    let all = server.list_payment_intents(None, None, None).await.unwrap().into_inner();
    assert_eq!(all.data.len(), 1);
    assert!(matches!(all.data[0].status, PaymentIntentStatus::Succeeded) && all.data[0].amount_received == 1000);
}
