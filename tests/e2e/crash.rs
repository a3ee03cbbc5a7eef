//! API.md "Idempotency": "No retried request ever charges twice", through crashes. Keyed
//! creates, confirms and refunds run concurrently; the server is killed with SIGKILL at a
//! random moment; it is started again on the same database and every request is retried with
//! its key. Each retry gets the committed answer, byte for byte, or a fresh run of a request
//! that had committed nothing, never a 409 that lasts, and nothing happens twice.

use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use kassa_testkit::Api;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::harness::{Server, postgres_database};

/// How long a request holds its key: short, so a key a killed server held on PostgreSQL (where
/// no process can know the holder is gone) is free again soon.
const FLAGS: &[&str] = &["--request-timeout", "2s"];

#[tokio::test]
async fn killed_mid_flight_on_sqlite_every_retry_is_a_replay_or_a_first_run() {
    let server = Server::start_with(tempfile::tempdir().unwrap(), None, FLAGS).await;
    crash_rounds(server, None).await;
}

#[tokio::test]
async fn killed_mid_flight_on_postgres_every_retry_is_a_replay_or_a_first_run() {
    let Some(url) = postgres_database().await else { return };
    let server = Server::start_with(tempfile::tempdir().unwrap(), Some(&url), FLAGS).await;
    crash_rounds(server, Some(&url)).await;
}

/// One keyed request of the workload.
#[derive(Clone)]
struct Op {
    path: String,
    key: String,
    /// `None` for the checkout, whose credential is the client secret in the body.
    token: Option<String>,
    body: Value,
    expect: StatusCode,
}

/// An answer: its status, whether it was a replay, and its body exactly as sent.
type Answered = (StatusCode, bool, String);

async fn send(api: &Api, op: &Op) -> Result<Answered, reqwest::Error> {
    let mut request = api.http.post(api.url(&op.path)).header("idempotency-key", &op.key).json(&op.body);
    if let Some(token) = &op.token {
        request = request.bearer_auth(token);
    }
    let response = request.timeout(Duration::from_secs(10)).send().await?;
    let status = response.status();
    let replayed = response.headers().get("idempotent-replayed").is_some();
    Ok((status, replayed, response.text().await?))
}

/// A fresh merchant and its workload: 8 confirms, 24 refunds of 8 paid intents, 16 creates.
async fn workload(api: &Api) -> (String, Vec<Op>, Vec<String>) {
    let key = api.shop().await;
    let mut ops = Vec::new();
    let mut paid = Vec::new();
    for i in 0..8 {
        let intent = api.intent(&key, 1000, false).await;
        ops.push(Op {
            path: format!("/v1/checkout/{}/confirm", intent["id"].as_str().unwrap()),
            key: format!("pay-{i}"),
            token: None,
            body: Api::pay_body(&intent, "4242424242424242"),
            expect: StatusCode::OK,
        });
        let sold = api.intent(&key, 1000, false).await;
        assert_eq!(api.pay(&sold, "4242424242424242").await.status, StatusCode::OK);
        for r in 0..3 {
            ops.push(Op {
                path: format!("/v1/payment-intents/{}/refunds", sold["id"].as_str().unwrap()),
                key: format!("refund-{i}-{r}"),
                token: Some(key.clone()),
                body: json!({"amount": 100}),
                expect: StatusCode::CREATED,
            });
        }
        paid.push(sold["id"].as_str().unwrap().to_owned());
    }
    for i in 0..CREATES {
        ops.push(Op {
            path: "/v1/payment-intents".into(),
            key: format!("create-{i}"),
            token: Some(key.clone()),
            body: Api::intent_body(500 + i, i % 2 == 0),
            expect: StatusCode::CREATED,
        });
    }
    (key, ops, paid)
}

const CREATES: i64 = 16;

fn fly(
    api: &Api,
    ops: &[Op],
    answered: &Arc<AtomicUsize>,
) -> Vec<tokio::task::JoinHandle<Result<Answered, reqwest::Error>>> {
    ops.iter()
        .cloned()
        .map(|op| {
            let (api, answered) = (api.clone(), answered.clone());
            tokio::spawn(async move {
                let answer = send(&api, &op).await;
                if answer.is_ok() {
                    answered.fetch_add(1, Ordering::SeqCst);
                }
                answer
            })
        })
        .collect()
}

async fn crash_rounds(mut server: Server, database_url: Option<&str>) {
    let (mut answered_total, mut unanswered_total, mut committed_unanswered) = (0, 0, 0);
    for round in 0..3 {
        let api = Api::new(server.base_url.clone());
        let (key, ops, paid) = workload(&api).await;
        // The kill lands once some requests have their answers and while the rest are in
        // flight: after a few answers, a different number each round (timing alone is not
        // reliable on a loaded machine).
        let answered_so_far = Arc::new(AtomicUsize::new(0));
        let flights = fly(&api, &ops, &answered_so_far);
        let wanted = 1 + (uuid::Uuid::new_v4().as_u128() % 12) as usize;
        let started = Instant::now();
        while answered_so_far.load(Ordering::SeqCst) < wanted && started.elapsed() < Duration::from_secs(20) {
            tokio::time::sleep(Duration::from_millis(1)).await;
        }
        let delay = started.elapsed();
        let dir = server.kill_keeping_data();
        let mut first: Vec<Option<(StatusCode, String)>> = Vec::new();
        for flight in flights {
            first.push(flight.await.unwrap().ok().map(|(status, _, text)| (status, text)));
        }
        let answered = first.iter().filter(|f| f.is_some()).count();
        answered_total += answered;
        unanswered_total += first.len() - answered;

        server = Server::start_with(dir, database_url, FLAGS).await;
        let api = Api::new(server.base_url.clone());
        let mut created = Vec::new();
        for (op, first) in ops.iter().zip(&first) {
            let (status, replayed, text) = retry_until_free(&api, op).await;
            assert_eq!(status, op.expect, "{} {} after the crash: {text}", op.path, op.key);
            match first {
                Some((first_status, first_text)) => {
                    assert_eq!(*first_status, op.expect, "{} {}: {first_text}", op.path, op.key);
                    assert!(replayed, "{} {}: answered before the crash, yet run again", op.path, op.key);
                    assert_eq!(&text, first_text, "{} {}: the replay differs from the answer", op.path, op.key);
                }
                // Committed, but its answer never reached the client: replayed all the same.
                None if replayed => committed_unanswered += 1,
                None => {}
            }
            if op.path == "/v1/payment-intents" {
                created.push(serde_json::from_str::<Value>(&text).unwrap()["id"].as_str().unwrap().to_owned());
            }
        }
        eprintln!(
            "round {round}: killed after {delay:?}, at {wanted}+ answers: {answered} of {} requests had been answered",
            ops.len()
        );

        // Nothing happened twice: one intent per create key, one refund per refund key, one
        // payment per confirmed intent.
        let listed = api.get("/v1/payment-intents?limit=100", Some(&key)).await;
        let ids: Vec<&str> =
            listed.body["data"].as_array().unwrap().iter().map(|i| i["id"].as_str().unwrap()).collect();
        assert_eq!(ids.len(), 16 + CREATES as usize, "intents: {}", listed.body);
        for id in &created {
            assert!(ids.contains(&id.as_str()), "the intent {id} a retry returned does not exist");
        }
        for id in &paid {
            let intent = api.get(&format!("/v1/payment-intents/{id}"), Some(&key)).await;
            assert_eq!(intent.body["amount_refunded"], 300, "{id}: {}", intent.body);
        }
        let mut per_type: HashMap<String, usize> = HashMap::new();
        for kind in api.event_types(&key).await {
            *per_type.entry(kind).or_default() += 1;
        }
        // 16 paid (8 by a confirm of the workload, 8 before it for refunds); 24 refunds.
        assert_eq!(per_type.get("payment_intent.succeeded"), Some(&16), "{per_type:?}");
        assert_eq!(per_type.get("refund.created"), Some(&24), "{per_type:?}");
    }
    eprintln!(
        "{answered_total} answered before a kill, {unanswered_total} not ({committed_unanswered} of those had committed)"
    );
    assert!(
        answered_total > 0 && unanswered_total > 0,
        "the kills caught no request mid-flight: the test proves nothing"
    );
}

/// Sends `op` until its key is free: a 409 is allowed only while the killed server's lease on
/// it runs (PostgreSQL), and must end.
async fn retry_until_free(api: &Api, op: &Op) -> Answered {
    for _ in 0..60 {
        let (status, replayed, text) = send(api, op).await.expect("the restarted server answers");
        if status != StatusCode::CONFLICT {
            return (status, replayed, text);
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("{} {} is still 409 after 6 s", op.path, op.key);
}

/// API.md "Events and webhooks": deliveries are written with their events, so a crash loses
/// none. Confirms run concurrently, the server is killed, and once it is back every event of
/// every confirm it acknowledged reaches the receiver (at least once).
#[tokio::test]
async fn killed_mid_confirms_on_sqlite_every_acknowledged_payment_is_delivered() {
    let server = Server::start_with(tempfile::tempdir().unwrap(), None, FLAGS).await;
    deliveries_survive_a_kill(server, None).await;
}

#[tokio::test]
async fn killed_mid_confirms_on_postgres_every_acknowledged_payment_is_delivered() {
    let Some(url) = postgres_database().await else { return };
    let server = Server::start_with(tempfile::tempdir().unwrap(), Some(&url), FLAGS).await;
    deliveries_survive_a_kill(server, Some(&url)).await;
}

async fn deliveries_survive_a_kill(mut server: Server, database_url: Option<&str>) {
    use wiremock::matchers::method;
    use wiremock::{Mock, MockServer, ResponseTemplate};
    // A kill proves something only if it catches an acknowledged payment whose event was not yet
    // delivered; on a loaded machine that may take a few tries.
    for round in 0..5 {
        let receiver = MockServer::start().await;
        Mock::given(method("POST")).respond_with(ResponseTemplate::new(200)).mount(&receiver).await;
        let (next, caught) = kill_during_confirms(server, database_url, &receiver).await;
        server = next;
        if caught {
            return;
        }
        eprintln!("round {round}: the kill caught no undelivered event; again");
    }
    panic!("five kills never caught an acknowledged payment whose event was not yet delivered");
}

/// One round: confirms in flight, a kill once a few are acknowledged, a restart, and every event
/// of every acknowledged confirm delivered. Returns the restarted server, and whether the kill
/// caught an acknowledged payment's event undelivered.
async fn kill_during_confirms(
    server: Server,
    database_url: Option<&str>,
    receiver: &wiremock::MockServer,
) -> (Server, bool) {
    let api = Api::new(server.base_url.clone());
    let (_, _, token) = api.user().await;
    let created =
        api.post("/v1/merchants", Some(&token), json!({"name": "Hooked", "webhook_url": receiver.uri()})).await;
    let merchant = created.body["id"].as_str().unwrap().to_owned();
    let (_, key) = api.api_key(&token, &merchant).await;
    let mut intents = Vec::new();
    for _ in 0..24 {
        intents.push(api.intent(&key, 1000, false).await);
    }
    let acknowledged_so_far = Arc::new(AtomicUsize::new(0));
    let confirms: Vec<_> = intents
        .iter()
        .map(|intent| {
            let (api, intent, counter) = (api.clone(), intent.clone(), acknowledged_so_far.clone());
            tokio::spawn(async move {
                let status = api
                    .http
                    .post(api.url(&format!("/v1/checkout/{}/confirm", intent["id"].as_str().unwrap())))
                    .json(&Api::pay_body(&intent, "4242424242424242"))
                    .timeout(Duration::from_secs(10))
                    .send()
                    .await
                    .map(|r| r.status());
                if matches!(status, Ok(StatusCode::OK)) {
                    counter.fetch_add(1, Ordering::SeqCst);
                }
                status
            })
        })
        .collect();
    // Killed once a few payments are acknowledged, the rest in flight.
    let wanted = 1 + (uuid::Uuid::new_v4().as_u128() % 4) as usize;
    let started = Instant::now();
    while acknowledged_so_far.load(Ordering::SeqCst) < wanted && started.elapsed() < Duration::from_secs(10) {
        tokio::time::sleep(Duration::from_millis(1)).await;
    }
    let dir = server.kill_keeping_data();
    let delivered_at_kill = succeeded_ids(receiver).await;
    let mut acknowledged = Vec::new();
    for (confirm, intent) in confirms.into_iter().zip(&intents) {
        if let Ok(Ok(StatusCode::OK)) = confirm.await {
            acknowledged.push(intent["id"].as_str().unwrap().to_owned());
        }
    }
    let caught = acknowledged.iter().any(|id| !delivered_at_kill.contains(id));
    let server = Server::start_with(dir, database_url, FLAGS).await;
    // The killed worker's claims end with their lease (30 s) on PostgreSQL, at once on SQLite.
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let requests = receiver.received_requests().await.unwrap_or_default();
        let delivered: Vec<(String, String)> = requests
            .iter()
            .filter_map(|r| serde_json::from_slice::<Value>(&r.body).ok())
            .map(|e| {
                (
                    e["type"].as_str().unwrap_or("").to_owned(),
                    e["data"]["object"]["id"].as_str().unwrap_or("").to_owned(),
                )
            })
            .collect();
        let missing: Vec<&String> = acknowledged
            .iter()
            .filter(|id| !delivered.iter().any(|(t, i)| t == "payment_intent.succeeded" && i == *id))
            .collect();
        let created_missing = intents
            .iter()
            .filter(|i| {
                !delivered.iter().any(|(t, id)| t == "payment_intent.created" && id == i["id"].as_str().unwrap())
            })
            .count();
        if missing.is_empty() && created_missing == 0 {
            eprintln!(
                "{} confirms acknowledged before the kill, {} of their payments delivered by then; every event \
                 delivered after the restart ({} requests)",
                acknowledged.len(),
                delivered_at_kill.len(),
                requests.len()
            );
            return (server, caught);
        }
        assert!(
            Instant::now() < deadline,
            "after the restart, not delivered: {missing:?} and {created_missing} created events"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

/// The intents whose `payment_intent.succeeded` the receiver has had.
async fn succeeded_ids(receiver: &wiremock::MockServer) -> Vec<String> {
    receiver
        .received_requests()
        .await
        .unwrap_or_default()
        .iter()
        .filter_map(|r| serde_json::from_slice::<Value>(&r.body).ok())
        .filter(|e| e["type"] == "payment_intent.succeeded")
        .filter_map(|e| e["data"]["object"]["id"].as_str().map(str::to_owned))
        .collect()
}
