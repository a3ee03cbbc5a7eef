//! API.md "Payment intents", "Hosted checkout", "Idempotency": the guarantees that need the
//! server's inside view — exactness under real parallelism, events in the transaction, expiry,
//! idempotency across replicas — on SQLite and PostgreSQL.

use chrono::{TimeDelta, Utc};
use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::{TestApp, assert_error};

crate::on_both_backends!(
    fifty_concurrent_confirms_of_one_intent_make_exactly_one_payment,
    fifty_concurrent_partial_refunds_never_exceed_what_was_received,
    every_transition_records_its_event_with_the_object_at_that_moment,
    the_sweeper_writes_down_expiry_once_with_its_event,
    an_uncaptured_authorization_expires_after_seven_days,
    idempotent_replays_hold_across_processes_and_keys_age_out_after_a_day,
    a_client_secret_issued_by_one_process_works_on_another,
    a_revoked_key_gets_no_replay_and_secrets_are_never_replayed,
    card_numbers_are_not_echoed_in_errors,
    requests_cancelled_mid_write_never_wedge_writes_or_half_commit,
    concurrent_captures_of_one_authorization_capture_it_once,
    a_capture_racing_a_void_exactly_one_wins,
    a_refund_racing_a_capture_never_refunds_what_was_not_captured,
    reads_of_an_intent_past_its_deadline_write_nothing_and_the_sweeper_writes_it_once,
    every_deadline_follows_the_apps_one_clock,
    a_malformed_customer_email_is_400_invalid_email_naming_that_field,
);

async fn a_malformed_customer_email_is_400_invalid_email_naming_that_field(app: TestApp) {
    let key = app.shop().await;
    let body = json!({
        "amount": 1000, "currency": "usd", "success_url": "https://s.example/ok", "cancel_url": "https://s.example/no",
        "customer_email": "not-an-email",
    });
    let reply = app.post("/v1/payment-intents", Some(&key), body).await;
    assert_error(&reply, StatusCode::BAD_REQUEST, "invalid_email");
    assert_eq!(reply.body["error"]["param"], "customer_email");
}

async fn fifty_concurrent_confirms_of_one_intent_make_exactly_one_payment(app: TestApp) {
    let key = app.shop().await;
    let intent = app.intent(&key, 1000, false).await;
    let replies = futures::future::join_all((0..50).map(|_| app.pay(&intent, "4242424242424242"))).await;
    let approved = replies.iter().filter(|r| r.status == StatusCode::OK).count();
    assert_eq!(approved, 1, "{approved} of 50 confirms succeeded");
    for reply in replies.iter().filter(|r| r.status != StatusCode::OK) {
        assert_error(reply, StatusCode::UNPROCESSABLE_ENTITY, "payment_intent_unexpected_state");
    }
    let types = app.event_types(&key).await;
    assert_eq!(types, ["payment_intent.created", "payment_intent.succeeded"]);
}

async fn fifty_concurrent_partial_refunds_never_exceed_what_was_received(app: TestApp) {
    let key = app.shop().await;
    let intent = app.intent(&key, 1000, false).await;
    assert_eq!(app.pay(&intent, "4242424242424242").await.status, StatusCode::OK);
    let path = format!("/v1/payment-intents/{}/refunds", intent["id"].as_str().unwrap());
    let replies = futures::future::join_all((0..50).map(|_| app.post(&path, Some(&key), json!({"amount": 30})))).await;
    let refunded: i64 =
        replies.iter().filter(|r| r.status == StatusCode::CREATED).map(|r| r.body["amount"].as_i64().unwrap()).sum();
    assert_eq!(refunded, 990, "33 refunds of 30 fit in 1000");
    for reply in replies.iter().filter(|r| r.status != StatusCode::CREATED) {
        assert_error(reply, StatusCode::UNPROCESSABLE_ENTITY, "refund_exceeds_captured");
    }
    let after = app.get(&format!("/v1/payment-intents/{}", intent["id"].as_str().unwrap()), Some(&key)).await;
    assert_eq!(after.body["amount_refunded"], 990);
    let refund_events = app.event_types(&key).await.iter().filter(|t| *t == "refund.created").count();
    assert_eq!(refund_events, 33);
}

async fn every_transition_records_its_event_with_the_object_at_that_moment(app: TestApp) {
    let key = app.shop().await;
    let intent = app.intent(&key, 1000, true).await;
    let id = intent["id"].as_str().unwrap();
    assert_eq!(app.pay(&intent, "4000000000000002").await.status, StatusCode::PAYMENT_REQUIRED);
    assert_eq!(app.pay(&intent, "4242424242424242").await.status, StatusCode::OK);
    let capture = app.post(&format!("/v1/payment-intents/{id}/capture"), Some(&key), json!({"amount": 600})).await;
    assert_eq!(capture.status, StatusCode::OK, "{}", capture.body);
    let refund = app.post(&format!("/v1/payment-intents/{id}/refunds"), Some(&key), json!({})).await;
    assert_eq!(refund.body["amount"], 600, "a refund without an amount takes what remains");
    let voided = app.intent(&key, 500, false).await;
    app.post(&format!("/v1/payment-intents/{}/void", voided["id"].as_str().unwrap()), Some(&key), json!({})).await;

    let events = app.get("/v1/events?limit=100", Some(&key)).await.body["data"].as_array().unwrap().clone();
    let mut seen: Vec<(String, String)> = events
        .iter()
        .map(|e| {
            (e["type"].as_str().unwrap().to_owned(), e["data"]["object"]["status"].as_str().unwrap_or("").to_owned())
        })
        .collect();
    seen.reverse();
    let expected = [
        ("payment_intent.created", "requires_payment_method"),
        ("payment_intent.payment_failed", "requires_payment_method"),
        ("payment_intent.authorized", "authorized"),
        ("payment_intent.succeeded", "succeeded"),
        ("refund.created", "succeeded"),
        ("payment_intent.created", "requires_payment_method"),
        ("payment_intent.canceled", "canceled"),
    ];
    let seen: Vec<(&str, &str)> = seen.iter().map(|(t, s)| (t.as_str(), s.as_str())).collect();
    assert_eq!(seen, expected);
    let succeeded = events.iter().find(|e| e["type"] == "payment_intent.succeeded").unwrap();
    assert_eq!(succeeded["data"]["object"]["amount_received"], 600, "the object as it was then");
    assert_eq!(succeeded["data"]["object"]["amount_refunded"], 0, "…not as it is now");
}

async fn the_sweeper_writes_down_expiry_once_with_its_event(app: TestApp) {
    let key = app.shop().await;
    let intent = app.intent(&key, 1000, false).await;
    let id = intent["id"].as_str().unwrap();
    app.set_time("payment_intents", "expires_at", "id", id, Utc::now() - TimeDelta::seconds(1)).await;
    // Before any sweep, every read already says expired, and paying is refused.
    let listed = app.get("/v1/payment-intents", Some(&key)).await;
    assert_eq!(listed.body["data"][0]["status"], "expired");
    let filtered = app.get("/v1/payment-intents?status=expired", Some(&key)).await;
    assert_eq!(filtered.body["data"][0]["id"], id, "the status filter sees it expired too");
    let waiting = app.get("/v1/payment-intents?status=requires_payment_method", Some(&key)).await;
    assert_eq!(waiting.body["data"], json!([]));
    assert_error(
        &app.pay(&intent, "4242424242424242").await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "payment_intent_expired",
    );
    assert!(kassa_server::app::sweep_once(&app.state).await.unwrap() <= 1);
    assert_eq!(kassa_server::app::sweep_once(&app.state).await.unwrap(), 0, "a second sweep finds nothing");
    let expired = app.get("/v1/payment-intents?status=expired", Some(&key)).await;
    assert_eq!(expired.body["data"][0]["id"], id, "the stored status is expired");
    let types = app.event_types(&key).await;
    assert_eq!(types, ["payment_intent.created", "payment_intent.expired"]);
}

async fn an_uncaptured_authorization_expires_after_seven_days(app: TestApp) {
    let key = app.shop().await;
    let intent = app.intent(&key, 1000, true).await;
    let id = intent["id"].as_str().unwrap();
    assert_eq!(app.pay(&intent, "4242424242424242").await.status, StatusCode::OK);
    let authorized = app.get(&format!("/v1/payment-intents/{id}"), Some(&key)).await;
    let deadline: chrono::DateTime<Utc> = authorized.body["expires_at"].as_str().unwrap().parse().unwrap();
    let seven_days = Utc::now() + TimeDelta::days(7);
    assert!((deadline - seven_days).num_seconds().abs() < 60, "capture deadline {deadline}");
    app.set_time("payment_intents", "expires_at", "id", id, Utc::now() - TimeDelta::seconds(1)).await;
    let capture = app.post(&format!("/v1/payment-intents/{id}/capture"), Some(&key), json!({})).await;
    assert_error(&capture, StatusCode::UNPROCESSABLE_ENTITY, "invalid_state");
    let after = app.get(&format!("/v1/payment-intents/{id}"), Some(&key)).await;
    assert_eq!(after.body["status"], "expired");
    assert_eq!(after.body["amount_capturable"], 0, "the hold reads as released before the sweeper runs");
    assert_eq!(
        app.event_types(&key).await.last().map(String::as_str),
        Some("payment_intent.authorized"),
        "reads wrote nothing"
    );
    assert_eq!(kassa_server::app::sweep_once(&app.state).await.unwrap(), 1);
    let swept = app.get(&format!("/v1/payment-intents/{id}"), Some(&key)).await;
    assert_eq!((swept.body["status"].as_str(), swept.body["amount_capturable"].as_i64()), (Some("expired"), Some(0)));
    assert_eq!(app.event_types(&key).await.last().map(String::as_str), Some("payment_intent.expired"));
}

async fn idempotent_replays_hold_across_processes_and_keys_age_out_after_a_day(app: TestApp) {
    let key = app.shop().await;
    let body = json!({"amount": 1000, "currency": "usd", "success_url": "https://s.example/ok", "cancel_url": "https://s.example/no"});
    let post = |app: &TestApp, body: serde_json::Value| {
        app.http.post(app.url("/v1/payment-intents")).bearer_auth(&key).header("idempotency-key", "order-1").json(&body)
    };
    let first = app.http.execute(post(&app, body.clone()).build().unwrap()).await.unwrap();
    assert_eq!(first.status(), StatusCode::CREATED);
    let first = first.text().await.unwrap();
    let app = app.next_process(None).await;
    let again = app.http.execute(post(&app, body.clone()).build().unwrap()).await.unwrap();
    assert_eq!(again.headers()["idempotent-replayed"], "true");
    assert_eq!(again.text().await.unwrap(), first, "replayed byte for byte by another process");
    // A day later the key is free again.
    app.set_time("idempotency_keys", "created_at", "key", "order-1", Utc::now() - TimeDelta::hours(25)).await;
    let mut other = body.clone();
    other["amount"] = json!(2000);
    let fresh = app.http.execute(post(&app, other).build().unwrap()).await.unwrap();
    assert_eq!(fresh.status(), StatusCode::CREATED, "a key older than 24 h is a new key");
    assert!(fresh.headers().get("idempotent-replayed").is_none());
}

async fn a_client_secret_issued_by_one_process_works_on_another(app: TestApp) {
    let key = app.shop().await;
    let intent = app.intent(&key, 1000, false).await;
    let replica = app.next_process(None).await;
    let view = replica
        .get(
            &format!(
                "/v1/checkout/{}?client_secret={}",
                intent["id"].as_str().unwrap(),
                intent["client_secret"].as_str().unwrap()
            ),
            None,
        )
        .await;
    assert_eq!(view.status, StatusCode::OK, "{}", view.body);
    assert_eq!(view.body["attempts_remaining"], 5);
    assert!(view.body.get("client_secret").is_none() && view.body.get("metadata").is_none(), "{}", view.body);
}

async fn a_revoked_key_gets_no_replay_and_secrets_are_never_replayed(app: TestApp) {
    let (token, merchant) = app.owner().await;
    let (key_id, key) = app.api_key(&token, &merchant).await;
    let body = json!({"amount": 1000, "currency": "usd", "success_url": "https://s.example/ok", "cancel_url": "https://s.example/no"});
    let create = |key: &str| {
        app.http.post(app.url("/v1/payment-intents")).bearer_auth(key).header("idempotency-key", "k-1").json(&body)
    };
    assert_eq!(app.send(create(&key)).await.status, StatusCode::CREATED);
    app.delete(&format!("/v1/merchants/{merchant}/api-keys/{key_id}"), Some(&token)).await;
    let replay = app.send(create(&key)).await;
    assert_error(&replay, StatusCode::UNAUTHORIZED, "invalid_api_key");
    // Another key of the same merchant shares its idempotency keys (they belong to the merchant).
    let (_, second) = app.api_key(&token, &merchant).await;
    let replay = app.send(create(&second)).await;
    assert_eq!(replay.headers.get("idempotent-replayed").map(|v| v.to_str().unwrap()), Some("true"));

    // An answer holding a secret shown once is not kept: a retry runs again.
    let path = format!("/v1/merchants/{merchant}/api-keys");
    let new_key = || {
        app.http.post(app.url(&path)).bearer_auth(&token).header("idempotency-key", "key-1").json(&json!({"name": "x"}))
    };
    let first = app.send(new_key()).await;
    let again = app.send(new_key()).await;
    assert_eq!((first.status, again.status), (StatusCode::CREATED, StatusCode::CREATED));
    assert!(again.headers.get("idempotent-replayed").is_none());
    assert_ne!(first.body["key"], again.body["key"]);
    if let Some(path) = &app.db_path {
        let stored = String::from_utf8_lossy(
            &[std::fs::read(path).unwrap(), std::fs::read(path.with_extension("db-wal")).unwrap_or_default()].concat(),
        )
        .into_owned();
        assert!(!stored.contains(first.body["key"].as_str().unwrap()), "an API key was stored in clear");
    }
}

async fn card_numbers_are_not_echoed_in_errors(app: TestApp) {
    let key = app.shop().await;
    let intent = app.intent(&key, 1000, false).await;
    let path = format!("/v1/checkout/{}/confirm", intent["id"].as_str().unwrap());
    let card = json!({"number": 4242424242424242_u64, "exp_month": 12, "exp_year": 2034, "cvc": "123", "name": "T"});
    let reply = app.post(&path, None, json!({"client_secret": intent["client_secret"], "card": card})).await;
    assert_error(&reply, StatusCode::BAD_REQUEST, "parameter_invalid");
    assert_eq!(reply.body["error"]["param"], "card.number");
    assert!(!reply.body.to_string().contains("4242424242424242"), "{}", reply.body);
}

async fn requests_cancelled_mid_write_never_wedge_writes_or_half_commit(app: TestApp) {
    let key = app.shop().await;
    // Clients that hang up after a few milliseconds: their handlers are dropped wherever they
    // are, mid-transaction included.
    let impatient = reqwest::Client::builder().timeout(std::time::Duration::from_millis(3)).build().unwrap();
    let body = json!({"amount": 1000, "currency": "usd", "success_url": "https://s.example/ok", "cancel_url": "https://s.example/no"});
    let attempts =
        (0..200).map(|_| impatient.post(app.url("/v1/payment-intents")).bearer_auth(&key).json(&body).send());
    futures::future::join_all(attempts).await;
    // Writes still go through, promptly…
    let done = tokio::time::timeout(std::time::Duration::from_secs(20), async {
        let intent = app.intent(&key, 1000, false).await;
        assert_eq!(app.pay(&intent, "4242424242424242").await.status, StatusCode::OK);
    })
    .await;
    assert!(done.is_ok(), "writes hung after cancelled requests");
    // …and every intent that exists has its creation event, and no event lacks its intent.
    let mut intents = 0;
    let mut after: Option<String> = None;
    loop {
        let page = match &after {
            Some(id) => app.get(&format!("/v1/payment-intents?limit=100&starting_after={id}"), Some(&key)).await,
            None => app.get("/v1/payment-intents?limit=100", Some(&key)).await,
        };
        let data = page.body["data"].as_array().unwrap().clone();
        intents += data.len();
        after = data.last().map(|i| i["id"].as_str().unwrap().to_owned());
        if page.body["has_more"] != true {
            break;
        }
    }
    let mut created = 0;
    let mut after: Option<String> = None;
    loop {
        let path = match &after {
            Some(id) => format!("/v1/events?type=payment_intent.created&limit=100&starting_after={id}"),
            None => "/v1/events?type=payment_intent.created&limit=100".to_owned(),
        };
        let page = app.get(&path, Some(&key)).await;
        let data = page.body["data"].as_array().unwrap().clone();
        created += data.len();
        after = data.last().map(|e| e["id"].as_str().unwrap().to_owned());
        if page.body["has_more"] != true {
            break;
        }
    }
    assert_eq!(intents, created, "an intent without its event, or an event without its intent");
}

async fn concurrent_captures_of_one_authorization_capture_it_once(app: TestApp) {
    let key = app.shop().await;
    let intent = app.intent(&key, 1000, true).await;
    assert_eq!(app.pay(&intent, "4242424242424242").await.status, StatusCode::OK);
    let path = format!("/v1/payment-intents/{}/capture", intent["id"].as_str().unwrap());
    let replies =
        futures::future::join_all((0..20).map(|i| app.post(&path, Some(&key), json!({"amount": 100 + i})))).await;
    let won: Vec<_> = replies.iter().filter(|r| r.status == StatusCode::OK).collect();
    assert_eq!(won.len(), 1, "{} of 20 captures succeeded", won.len());
    for reply in replies.iter().filter(|r| r.status != StatusCode::OK) {
        assert_error(reply, StatusCode::UNPROCESSABLE_ENTITY, "invalid_state");
    }
    let after = app.get(&format!("/v1/payment-intents/{}", intent["id"].as_str().unwrap()), Some(&key)).await;
    assert_eq!(after.body["amount_received"], won[0].body["amount_received"]);
    let captures = app.event_types(&key).await.iter().filter(|t| *t == "payment_intent.succeeded").count();
    assert_eq!(captures, 1);
}

async fn a_capture_racing_a_void_exactly_one_wins(app: TestApp) {
    let key = app.shop().await;
    for _ in 0..10 {
        let intent = app.intent(&key, 1000, true).await;
        assert_eq!(app.pay(&intent, "4242424242424242").await.status, StatusCode::OK);
        let id = intent["id"].as_str().unwrap();
        let (capture, void) = futures::future::join(
            app.post(&format!("/v1/payment-intents/{id}/capture"), Some(&key), json!({})),
            app.post(&format!("/v1/payment-intents/{id}/void"), Some(&key), json!({})),
        )
        .await;
        let after = app.get(&format!("/v1/payment-intents/{id}"), Some(&key)).await;
        match (capture.status, void.status) {
            (StatusCode::OK, StatusCode::UNPROCESSABLE_ENTITY) => {
                assert_eq!(
                    (after.body["status"].as_str(), after.body["amount_received"].as_i64()),
                    (Some("succeeded"), Some(1000))
                );
            }
            (StatusCode::UNPROCESSABLE_ENTITY, StatusCode::OK) => {
                assert_eq!(
                    (after.body["status"].as_str(), after.body["amount_received"].as_i64()),
                    (Some("canceled"), Some(0))
                );
            }
            other => panic!("capture and void answered {other:?}: {} / {}", capture.body, void.body),
        }
    }
}

async fn a_refund_racing_a_capture_never_refunds_what_was_not_captured(app: TestApp) {
    let key = app.shop().await;
    for _ in 0..10 {
        let intent = app.intent(&key, 1000, true).await;
        assert_eq!(app.pay(&intent, "4242424242424242").await.status, StatusCode::OK);
        let id = intent["id"].as_str().unwrap();
        let (capture, refund) = futures::future::join(
            app.post(&format!("/v1/payment-intents/{id}/capture"), Some(&key), json!({"amount": 600})),
            app.post(&format!("/v1/payment-intents/{id}/refunds"), Some(&key), json!({"amount": 700})),
        )
        .await;
        assert_eq!(capture.status, StatusCode::OK, "{}", capture.body);
        // Before the capture the intent was not succeeded; after it only 600 was received.
        assert_eq!(refund.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", refund.body);
        assert!(["invalid_state", "refund_exceeds_captured"].contains(&refund.code()), "{}", refund.body);
        let after = app.get(&format!("/v1/payment-intents/{id}"), Some(&key)).await;
        assert_eq!(
            (after.body["amount_received"].as_i64(), after.body["amount_refunded"].as_i64()),
            (Some(600), Some(0))
        );
        // A refund that fits, racing nothing, still works.
        let fits = app.post(&format!("/v1/payment-intents/{id}/refunds"), Some(&key), json!({})).await;
        assert_eq!((fits.status, fits.body["amount"].as_i64()), (StatusCode::CREATED, Some(600)));
    }
}

async fn reads_of_an_intent_past_its_deadline_write_nothing_and_the_sweeper_writes_it_once(app: TestApp) {
    let key = app.shop().await;
    let intent = app.intent(&key, 1000, false).await;
    let id = intent["id"].as_str().unwrap();
    let secret = intent["client_secret"].as_str().unwrap();
    app.set_time("payment_intents", "expires_at", "id", id, Utc::now() - TimeDelta::seconds(1)).await;
    // Every way of looking at it, and a payment attempt, see it expired…
    assert_eq!(app.get(&format!("/v1/payment-intents/{id}"), Some(&key)).await.body["status"], "expired");
    assert_eq!(app.get("/v1/payment-intents?status=expired", Some(&key)).await.body["data"][0]["id"], id);
    let view = app.get(&format!("/v1/checkout/{id}?client_secret={secret}"), None).await;
    assert_eq!(view.body["status"], "expired");
    let no_redirects = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let page = no_redirects.get(app.url(&format!("/checkout/{id}?client_secret={secret}"))).send().await.unwrap();
    assert_eq!(page.status(), StatusCode::SEE_OTHER);
    assert_eq!(page.headers()["location"], format!("https://shop.example/no?payment_intent={id}").as_str());
    assert_error(
        &app.pay(&intent, "4242424242424242").await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "payment_intent_expired",
    );
    // …and none of them wrote it down: the sweeper is the only writer of `expired`.
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    assert_eq!(app.event_types(&key).await, ["payment_intent.created"]);
    assert_eq!(kassa_server::app::sweep_once(&app.state).await.unwrap(), 1);
    assert_eq!(kassa_server::app::sweep_once(&app.state).await.unwrap(), 0);
    assert_eq!(app.event_types(&key).await, ["payment_intent.created", "payment_intent.expired"]);
}

async fn every_deadline_follows_the_apps_one_clock(app: TestApp) {
    let key = app.shop().await;
    let intent = app.intent(&key, 1000, true).await;
    let id = intent["id"].as_str().unwrap();
    assert_eq!(app.pay(&intent, "4242424242424242").await.status, StatusCode::OK);
    let clock = app.state.store.clock();
    clock.advance(TimeDelta::days(7) - TimeDelta::minutes(1));
    assert_eq!(app.get(&format!("/v1/payment-intents/{id}"), Some(&key)).await.body["status"], "authorized");
    clock.advance(TimeDelta::minutes(2));
    // Seven days on the app's clock, not the machine's: the authorization has lapsed.
    assert_eq!(app.get(&format!("/v1/payment-intents/{id}"), Some(&key)).await.body["status"], "expired");
    let capture = app.post(&format!("/v1/payment-intents/{id}/capture"), Some(&key), json!({})).await;
    assert_error(&capture, StatusCode::UNPROCESSABLE_ENTITY, "invalid_state");
    assert_eq!(kassa_server::app::sweep_once(&app.state).await.unwrap(), 1);
    let events = app.get("/v1/events?type=payment_intent.expired", Some(&key)).await;
    let at: chrono::DateTime<Utc> = events.body["data"][0]["created_at"].as_str().unwrap().parse().unwrap();
    assert!(at - Utc::now() > TimeDelta::days(6), "the event is stamped with the app's clock: {at}");
    // A new intent is created, and expires, on that clock too.
    let later = app.intent(&key, 500, false).await;
    let created: chrono::DateTime<Utc> = later["created_at"].as_str().unwrap().parse().unwrap();
    assert!(created - Utc::now() > TimeDelta::days(6), "{created}");
}
