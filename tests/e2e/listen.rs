//! API.md "Running it": `kassa listen` forwards the merchant's events to a local URL, signed
//! with a secret that stays the same for the same API key, and survives a server restart
//! without losing or repeating an event; `kassa trigger` causes the events it is asked for;
//! `kassa reset` clears the sandbox.

use std::process::Command;
use std::time::{Duration, Instant};

use kassa_testkit::Api;
use serde_json::Value;
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::harness::{Server, Watched, free_port, kassa_bin};

/// Starts `kassa listen`, as a person would.
pub fn listen(base_url: &str, key: &str, forward_to: &str) -> Watched {
    let mut command = Command::new(kassa_bin());
    command.args(["listen", "--forward-to", forward_to, "--api-key", key, "--base-url", base_url]);
    Watched::spawn(command, "kassa listen")
}

fn trigger(base_url: &str, key: &str, event: &str) -> String {
    let output = Command::new(kassa_bin())
        .args(["trigger", event, "--api-key", key, "--base-url", base_url])
        .output()
        .expect("kassa trigger runs");
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    assert!(output.status.success(), "kassa trigger {event}: {stdout}{}", String::from_utf8_lossy(&output.stderr));
    assert!(stdout.contains("Trigger succeeded!"), "{stdout}");
    stdout
}

/// The events the receiver got, in order: (type, id).
async fn received(receiver: &MockServer) -> Vec<(String, String)> {
    receiver
        .received_requests()
        .await
        .unwrap_or_default()
        .iter()
        .map(|r| serde_json::from_slice::<Value>(&r.body).unwrap())
        .map(|e| (e["type"].as_str().unwrap().to_owned(), e["id"].as_str().unwrap().to_owned()))
        .collect()
}

async fn wait_for(receiver: &MockServer, n: usize) -> Vec<(String, String)> {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let got = received(receiver).await;
        if got.len() >= n {
            return got;
        }
        assert!(Instant::now() < deadline, "the local URL got {} of {n} events: {got:?}", got.len());
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test]
async fn listen_forwards_signed_events_and_survives_a_server_restart_without_loss_or_repeat() {
    let receiver = MockServer::start().await;
    Mock::given(method("POST")).respond_with(ResponseTemplate::new(200)).mount(&receiver).await;
    let forward_to = format!("{}/webhook", receiver.uri());
    let port = free_port();
    let server = Server::start_at(tempfile::tempdir().unwrap(), None, &[], port).await;
    let base = server.base_url.clone();
    let api = Api::new(base.clone());
    let key = api.shop().await;
    // What happened before the listener started is not forwarded.
    api.intent(&key, 1000, false).await;

    let listener = listen(&base, &key, &forward_to);
    let ready = listener.line_with("Ready!").await;
    let secret = ready.split_whitespace().find(|w| w.starts_with("whsec_")).expect("a secret").to_owned();
    assert!(ready.ends_with("(^C to quit)"), "{ready}");
    trigger(&base, &key, "payment_intent.succeeded");
    let got = wait_for(&receiver, 2).await;
    assert_eq!(
        got.iter().map(|(t, _)| t.as_str()).collect::<Vec<_>>(),
        ["payment_intent.created", "payment_intent.succeeded"]
    );
    for request in receiver.received_requests().await.unwrap() {
        let header = request.headers.get("kassa-signature").unwrap().to_str().unwrap().to_owned();
        kassa_sdk::webhooks::construct_event(&request.body, &header, &secret, kassa_sdk::webhooks::DEFAULT_TOLERANCE)
            .expect("a forwarded event verifies with the printed secret");
    }
    listener.line_with(&format!("--> payment_intent.succeeded [{}]", got[1].1)).await;
    listener.line_with(&format!("<-- [200] POST {forward_to} [{}]", got[1].1)).await;
    // The local answer is a delivery attempt of the event.
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let attempts = api.get(&format!("/v1/events/{}/deliveries", got[1].1), Some(&key)).await;
        if attempts.body["data"][0]["trigger"] == "listen" {
            assert_eq!(attempts.body["data"][0]["status_code"], 200);
            break;
        }
        assert!(Instant::now() < deadline, "no listen attempt recorded: {}", attempts.body);
        tokio::time::sleep(Duration::from_millis(50)).await;
    }

    // The server restarts; events made while it is back reach the listener, once each.
    let dir = server.stop_keeping_data();
    let server = Server::start_at(dir, None, &[], port).await;
    trigger(&server.base_url, &key, "refund.created");
    let got = wait_for(&receiver, 5).await;
    let mut ids: Vec<&str> = got.iter().map(|(_, id)| id.as_str()).collect();
    assert_eq!(got.len(), 5, "{got:?}");
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), 5, "an event was forwarded twice: {got:?}");
    assert_eq!(got[4].0, "refund.created");
    assert!(listener.interrupt(), "kassa listen did not exit cleanly on ctrl-c");

    // A listener started again with the same key has the same secret, and goes on from its
    // cursor: an event made while none listened is forwarded, and nothing before it again.
    trigger(&server.base_url, &key, "payment_intent.canceled");
    let again = listen(&server.base_url, &key, &forward_to);
    let ready = again.line_with("Ready!").await;
    assert!(ready.contains(&secret), "the secret changed: {ready}");
    let got = wait_for(&receiver, 7).await;
    assert_eq!(
        got[5..].iter().map(|(t, _)| t.as_str()).collect::<Vec<_>>(),
        ["payment_intent.created", "payment_intent.canceled"],
        "{:?}",
        again.output()
    );
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(received(&receiver).await.len(), 7, "something was forwarded again");

    // A redelivery reaches the listener (the merchant has no webhook URL, only it).
    let first = got[0].1.clone();
    let api = Api::new(server.base_url.clone());
    let redelivered = api.post(&format!("/v1/events/{first}/redeliver"), Some(&key), serde_json::json!({})).await;
    assert_eq!(redelivered.status, 201, "{}", redelivered.body);
    assert_eq!((redelivered.body["listeners"].as_u64(), redelivered.body["attempt"].is_null()), (Some(1), true));
    let got = wait_for(&receiver, 8).await;
    assert_eq!(got[7].1, first, "the redelivered event");
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(received(&receiver).await.len(), 8, "the redelivery was forwarded more than once");
}

#[tokio::test]
async fn trigger_causes_the_new_events_and_reset_clears_the_sandbox() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start_with(dir, None, &["--debit-settlement-delay", "1s"]).await;
    let api = Api::new(server.base_url.clone());
    let key = api.shop().await;
    trigger(&server.base_url, &key, "payment_intent.requires_action");
    trigger(&server.base_url, &key, "payment_intent.processing");
    let deadline = Instant::now() + Duration::from_secs(30);
    let settled = loop {
        let types = api.event_types(&key).await;
        if types.iter().any(|t| t == "payment_intent.succeeded") || Instant::now() > deadline {
            break types;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    assert_eq!(
        settled,
        [
            "payment_intent.created",
            "payment_intent.requires_action",
            "payment_intent.created",
            "payment_intent.processing",
            "payment_intent.succeeded"
        ],
        "the debit settles after the delay"
    );

    let output = Command::new(kassa_bin())
        .args(["reset", "--api-key", &key, "--base-url", &server.base_url])
        .output()
        .expect("kassa reset runs");
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    assert!(output.status.success(), "kassa reset: {stdout}{}", String::from_utf8_lossy(&output.stderr));
    assert!(stdout.starts_with("Reset: 2 payment intents, 5 events, "), "{stdout}");
    assert!(api.event_types(&key).await.is_empty());
    assert_eq!(api.get("/v1/payment-intents", Some(&key)).await.body["data"], serde_json::json!([]));
}

fn kassa(args: &[&str]) -> String {
    let output = Command::new(kassa_bin()).args(args).output().expect("kassa runs");
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    assert!(output.status.success(), "kassa {args:?}: {stdout}{}", String::from_utf8_lossy(&output.stderr));
    stdout
}

#[tokio::test]
async fn kassa_clock_advance_8d_lapses_an_authorization_and_its_event_is_delivered() {
    let receiver = MockServer::start().await;
    Mock::given(method("POST")).respond_with(ResponseTemplate::new(200)).mount(&receiver).await;
    let server = Server::start(None).await;
    let api = Api::new(server.base_url.clone());
    let (owner, merchant) = api.owner().await;
    let hook = serde_json::json!({"webhook_url": format!("{}/webhook", receiver.uri())});
    assert_eq!(api.patch(&format!("/v1/merchants/{merchant}"), Some(&owner), hook).await.status, 200);
    let key = api.api_key(&owner, &merchant).await.1;
    let intent = api.intent(&key, 1000, true).await;
    assert_eq!(api.pay(&intent, "4242 4242 4242 4242").await.status, 200);

    let base = server.base_url.as_str();
    let shown = kassa(&["clock", "show", "--api-key", &key, "--base-url", base]);
    assert!(shown.starts_with("Clock: ") && shown.contains("(real); next due "), "{shown}");
    let advanced = kassa(&["clock", "advance", "8d", "--api-key", &key, "--base-url", base]);
    assert!(
        advanced.starts_with("Advanced 8d to ")
            && advanced.trim_end().ends_with(": 1 authorization lapsed, 1 webhook attempt made"),
        "{advanced}"
    );
    let id = intent["id"].as_str().unwrap();
    assert_eq!(api.get(&format!("/v1/payment-intents/{id}"), Some(&key)).await.body["status"], "expired");
    // The lapse's event reaches the merchant's endpoint.
    let got = wait_for(&receiver, 3).await;
    assert!(got.iter().any(|(t, _)| t == "payment_intent.expired"), "{got:?}");
    let frozen = kassa(&["clock", "freeze", "--api-key", &key, "--base-url", base]);
    assert!(frozen.contains("(frozen); nothing pending"), "{frozen}");
    let idle = kassa(&["clock", "advance", "--next", "--api-key", &key, "--base-url", base]);
    assert!(idle.contains(": nothing fell due"), "{idle}");
    assert!(kassa(&["clock", "resume", "--api-key", &key, "--base-url", base]).contains("(real)"));
}

/// `kassa listen` and `kassa trigger` against two replicas on one PostgreSQL database behind a
/// round-robin balancer: the listener's long polls and its attempt records land on either
/// replica, and each event reaches the local URL once, in order. (Several threads: `kassa
/// trigger` is waited for in blocking calls while the balancer runs on this runtime.)
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn listen_through_two_replicas_forwards_each_event_once_in_order() {
    let Some(url) = crate::harness::postgres_database().await else { return };
    let receiver = MockServer::start().await;
    Mock::given(method("POST")).respond_with(ResponseTemplate::new(200)).mount(&receiver).await;
    let (balancer, _replicas) = crate::balancer::two_replicas(&url, &[]).await;
    let base = balancer.base_url.clone();
    let key = Api::new(base.clone()).shop().await;
    let listener = listen(&base, &key, &format!("{}/webhook", receiver.uri()));
    listener.line_with("Ready!").await;
    for event in ["payment_intent.succeeded", "refund.created", "payment_intent.canceled"] {
        trigger(&base, &key, event);
    }
    let got = wait_for(&receiver, 7).await;
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let got_after = received(&receiver).await;
    assert_eq!(got_after.len(), got.len(), "something was forwarded again: {got_after:?}");
    let types: Vec<&str> = got.iter().map(|(t, _)| t.as_str()).collect();
    assert_eq!(
        types,
        [
            "payment_intent.created",
            "payment_intent.succeeded",
            "payment_intent.created",
            "payment_intent.succeeded",
            "refund.created",
            "payment_intent.created",
            "payment_intent.canceled"
        ],
        "{got:?}"
    );
    assert!(balancer.connections().iter().all(|&n| n > 0), "one replica served it all: {:?}", balancer.connections());
}
