//! API.md "Events and webhooks", as receivers see it: the built `kassa serve` delivers to a
//! receiver written with the Python standard library, which verifies `Kassa-Signature` itself,
//! and the deliveries it kept verify with Stripe's and Standard Webhooks' own libraries.

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use kassa_testkit::Api;
use reqwest::StatusCode;
use serde_json::json;

use crate::harness::{Server, free_port, pinned_python};

fn script(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("python").join(name)
}

struct Receiver(std::process::Child);

impl Drop for Receiver {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[tokio::test]
async fn deliveries_verify_with_a_stdlib_receiver_and_the_official_libraries() {
    let Some(python) = pinned_python() else { return };
    let server = Server::start(None).await;
    let api = Api::new(server.base_url.clone());
    let (_, _, token) = api.user().await;
    let created = api.post("/v1/merchants", Some(&token), json!({"name": "Py Shop"})).await;
    let merchant = created.body["id"].as_str().unwrap().to_owned();
    let secret = created.body["webhook_secret"].as_str().unwrap().to_owned();
    let (_, key) = api.api_key(&token, &merchant).await;

    let dump = tempfile::tempdir().unwrap();
    let port = free_port();
    let mut child = Command::new(&python)
        .arg(script("receiver.py"))
        .args([&port.to_string(), &secret, &dump.path().display().to_string()])
        .stdout(Stdio::piped())
        .spawn()
        .expect("python runs");
    let mut ready = String::new();
    BufReader::new(child.stdout.take().unwrap()).read_line(&mut ready).unwrap();
    assert_eq!(ready.trim(), "listening");
    let _receiver = Receiver(child);
    let url = format!("http://127.0.0.1:{port}/hook");
    let patched = api.patch(&format!("/v1/merchants/{merchant}"), Some(&token), json!({"webhook_url": url})).await;
    assert_eq!(patched.status, StatusCode::OK, "{}", patched.body);

    let intent = api.intent(&key, 1000, false).await;
    assert_eq!(api.pay(&intent, "4242424242424242").await.status, StatusCode::OK);
    let deadline = Instant::now() + Duration::from_secs(20);
    let files = loop {
        let files: Vec<PathBuf> = std::fs::read_dir(dump.path()).unwrap().map(|e| e.unwrap().path()).collect();
        if files.len() >= 2 || Instant::now() > deadline {
            break files;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    assert_eq!(files.len(), 2, "the receiver kept {} deliveries", files.len());
    for file in &files {
        let kept: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(file).unwrap()).unwrap();
        assert_eq!(kept["verified"], true, "the standard-library receiver refused {}", kept["headers"]);
    }
    let checked =
        Command::new(&python).arg(script("verify_with_libraries.py")).arg(&secret).args(&files).output().unwrap();
    let stdout = String::from_utf8_lossy(&checked.stdout);
    assert!(checked.status.success(), "{stdout}{}", String::from_utf8_lossy(&checked.stderr));
    assert_eq!(stdout.matches("with stripe and standardwebhooks").count(), 2, "{stdout}");
    // Kassa saw the receiver's 200s: both events are delivered.
    let events = api.get("/v1/events", Some(&key)).await;
    for event in events.body["data"].as_array().unwrap() {
        assert_eq!(event["pending_webhooks"], 0, "{event}");
    }
}

/// `kassa_sdk::webhooks::construct_event` accepts a real delivery and returns its typed event;
/// one changed byte is a bad signature.
#[tokio::test]
async fn the_rust_sdk_verifies_a_real_delivery() {
    use kassa_sdk::webhooks::{DEFAULT_TOLERANCE, WebhookError, construct_event};
    use wiremock::matchers::method;
    use wiremock::{Mock, MockServer, ResponseTemplate};
    let receiver = MockServer::start().await;
    Mock::given(method("POST")).respond_with(ResponseTemplate::new(200)).mount(&receiver).await;
    let server = Server::start(None).await;
    let api = Api::new(server.base_url.clone());
    let (_, _, token) = api.user().await;
    let created =
        api.post("/v1/merchants", Some(&token), json!({"name": "Rusty", "webhook_url": receiver.uri()})).await;
    let secret = created.body["webhook_secret"].as_str().unwrap().to_owned();
    let (_, key) = api.api_key(&token, created.body["id"].as_str().unwrap()).await;
    let intent = api.intent(&key, 1000, false).await;
    let deadline = Instant::now() + Duration::from_secs(15);
    let delivery = loop {
        if let Some(first) = receiver.received_requests().await.unwrap_or_default().into_iter().next() {
            break first;
        }
        assert!(Instant::now() < deadline, "no delivery");
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    let header = delivery.headers.get("kassa-signature").unwrap().to_str().unwrap().to_owned();
    let event = construct_event(&delivery.body, &header, &secret, DEFAULT_TOLERANCE).expect("the delivery verifies");
    assert_eq!(serde_json::to_value(event.type_).unwrap(), "payment_intent.created");
    match &event.data.object {
        kassa_sdk::types::EventDataObject::PaymentIntent(typed) => assert_eq!(typed.id, intent["id"].as_str().unwrap()),
        other => panic!("the event is about {other:?}"),
    }
    let mut tampered = delivery.body.clone();
    tampered[1] ^= 1;
    assert!(matches!(construct_event(&tampered, &header, &secret, DEFAULT_TOLERANCE), Err(WebhookError::BadSignature)));
}
