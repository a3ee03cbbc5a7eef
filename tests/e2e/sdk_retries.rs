//! The Rust SDK's retries against a real `kassa serve`: with `Kassa-Simulate` making the
//! failures, and a connection lost after the server answered, a retried payment is made once.

use std::time::Duration;

use kassa_sdk::types::{Card, ConfirmCheckoutRequest, CreatePaymentIntentRequest};
use kassa_sdk::{ErrorExt as _, Options};
use kassa_testkit::Api;
use tokio::io::AsyncReadExt as _;
use tokio::net::{TcpListener, TcpStream};

use crate::harness::Server;

fn quick() -> Options {
    Options { initial_delay: Duration::from_millis(10), max_delay: Duration::from_millis(100), ..Options::default() }
}

/// A client of `key` whose every request carries `Kassa-Simulate: <simulate>`, retrying quickly.
fn simulating(base_url: &str, key: &str, simulate: &str) -> kassa_sdk::Client {
    kassa_sdk::builder(base_url).bearer(key).header("kassa-simulate", simulate).options(quick()).build().unwrap()
}

fn order() -> CreatePaymentIntentRequest {
    CreatePaymentIntentRequest {
        amount: 1000,
        currency: "usd".into(),
        success_url: "https://shop.example/ok".into(),
        cancel_url: "https://shop.example/cart".into(),
        ..Default::default()
    }
}

/// The key's request logs, once at least `count` are stored (the writer batches them).
async fn request_logs(api: &Api, key: &str, count: usize) -> Vec<serde_json::Value> {
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    loop {
        let logs = api.get("/v1/request-logs?limit=100", Some(key)).await.body["data"].as_array().cloned();
        let logs = logs.unwrap_or_default();
        if logs.len() >= count || std::time::Instant::now() > deadline {
            return logs;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

async fn intents(api: &Api, key: &str) -> Vec<serde_json::Value> {
    api.get("/v1/payment-intents?limit=100", Some(key)).await.body["data"].as_array().cloned().unwrap_or_default()
}

#[tokio::test]
async fn an_answer_lost_after_commit_is_retried_into_one_payment() {
    let server = Server::start(None).await;
    let api = Api::new(server.base_url.clone());
    let key = api.shop().await;
    let kassa = simulating(&server.base_url, &key, "status=500; after_commit");
    let intent = kassa.create_payment_intent(&order()).await.expect("the retry is replayed").into_inner();
    let made = intents(&api, &key).await;
    assert_eq!(made.len(), 1, "one intent, not one per attempt");
    assert_eq!(made[0]["id"], intent.id.as_str());
    // The two attempts, and the list of intents read above.
    let statuses: Vec<i64> = request_logs(&api, &key, 3)
        .await
        .iter()
        .filter(|log| log["path"] == "/v1/payment-intents" && log["method"] == "POST")
        .map(|log| log["status"].as_i64().unwrap())
        .collect();
    assert_eq!(statuses, [201, 500], "newest first: the lost answer, then its replay");
}

#[tokio::test]
async fn a_server_that_stays_unavailable_is_tried_a_bounded_number_of_times() {
    let server = Server::start(None).await;
    let api = Api::new(server.base_url.clone());
    let key = api.shop().await;
    let kassa = simulating(&server.base_url, &key, "status=503");
    let err = kassa.create_payment_intent(&order()).await.expect_err("always 503");
    assert_eq!(err.code(), Some("service_unavailable"));
    let request_id = err.request_id().expect("the last attempt's request id").to_owned();
    assert!(request_id.starts_with("req_"), "{request_id}");
    assert!(intents(&api, &key).await.is_empty());
    let logged = request_logs(&api, &key, 4).await;
    let attempts: Vec<(&str, &str)> = logged
        .iter()
        .filter(|log| log["path"] == "/v1/payment-intents" && log["status"] == 503)
        .map(|log| (log["id"].as_str().unwrap(), log["idempotency_key"].as_str().unwrap_or("")))
        .collect();
    assert_eq!(attempts.len(), 3, "one attempt and two retries: {attempts:?}");
    assert_eq!(attempts[0].0, request_id, "the error is the last attempt's");
    assert!(!attempts[0].1.is_empty() && attempts.iter().all(|a| a.1 == attempts[0].1), "one key: {attempts:?}");
}

/// A proxy in front of `backend` that forwards the first connection's request, waits for the
/// answer, and then drops the connection without passing the answer on: the server has done
/// the work, the client has lost the result. Later connections pass through.
async fn losing_first_answer(backend: String) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move {
        let mut first = true;
        while let Ok((mut inbound, _)) = listener.accept().await {
            let Ok(mut outbound) = TcpStream::connect(&backend).await else { continue };
            if std::mem::take(&mut first) {
                tokio::spawn(async move {
                    let (mut from_server, mut to_server) = outbound.split();
                    let (mut from_client, _to_client) = inbound.split();
                    let forward = tokio::io::copy(&mut from_client, &mut to_server);
                    let mut answer = [0u8; 1];
                    tokio::select! {
                        _ = forward => {}
                        _ = from_server.read_exact(&mut answer) => {}
                    }
                    // Both ends drop here, the answer unsent.
                });
            } else {
                tokio::spawn(async move {
                    let _ = tokio::io::copy_bidirectional(&mut inbound, &mut outbound).await;
                });
            }
        }
    });
    url
}

#[tokio::test]
async fn a_confirm_whose_answer_is_lost_is_retried_and_charges_once() {
    let server = Server::start(None).await;
    let api = Api::new(server.base_url.clone());
    let key = api.shop().await;
    let intent = api.intent(&key, 1000, false).await;
    let proxy = losing_first_answer(server.base_url.trim_start_matches("http://").to_owned()).await;
    let customer = kassa_sdk::builder(&proxy).options(quick()).build().unwrap();
    let card = Card {
        number: kassa_sdk::test_cards::VISA.into(),
        exp_month: 12,
        exp_year: 2034,
        cvc: "123".into(),
        name: "Ada".into(),
    };
    let id = intent["id"].as_str().unwrap();
    let confirm = ConfirmCheckoutRequest::with_card(intent["client_secret"].as_str().unwrap(), card);
    let paid = customer.confirm_checkout(id, &confirm).await.expect("the retry gets the answer");
    assert_eq!(paid.headers().get("idempotent-replayed").map(|v| v.as_bytes()), Some(&b"true"[..]));
    let charges = api.get(&format!("/v1/charges?payment_intent={id}"), Some(&key)).await.body;
    assert_eq!(charges["data"].as_array().map(Vec::len), Some(1), "one charge: {charges}");
    let read = api.get(&format!("/v1/payment-intents/{id}"), Some(&key)).await.body;
    assert_eq!(
        (&read["status"], &read["amount_received"]),
        (&serde_json::json!("succeeded"), &serde_json::json!(1000))
    );
}
