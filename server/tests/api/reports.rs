//! The payments report (`GET /v1/reports/payments`): the dashboard's charts, summed in SQL.

use chrono::TimeDelta;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{TestApp, assert_error};

crate::on_both_backends!(
    the_report_counts_captures_refunds_and_declines_on_the_day_they_happened,
    the_report_is_the_merchants_own_and_a_viewer_may_read_it,
    report_ranges_are_validated,
);

const VISA: &str = "4242 4242 4242 4242";
const DECLINED: &str = "4000 0000 0000 0002";

fn currency<'a>(report: &'a Value, code: &str) -> &'a Value {
    report["currencies"].as_array().unwrap().iter().find(|c| c["currency"] == code).unwrap_or(&Value::Null)
}

async fn the_report_counts_captures_refunds_and_declines_on_the_day_they_happened(app: TestApp) {
    // Noon, UTC, so no midnight falls between the steps below.
    let now = app.state.store.clock().now();
    let noon = (now.date_naive() + TimeDelta::days(1)).and_hms_opt(12, 0, 0).unwrap().and_utc();
    app.state.store.clock().advance(noon - now);
    let key = app.shop().await;
    let paid = app.intent(&key, 1000, false).await;
    assert_eq!(app.pay(&paid, VISA).await.status, StatusCode::OK);
    let held = app.intent(&key, 2500, true).await;
    assert_eq!(app.pay(&held, VISA).await.status, StatusCode::OK);
    let retried = app.intent(&key, 1200, false).await;
    assert_eq!(app.pay(&retried, DECLINED).await.status, StatusCode::PAYMENT_REQUIRED);
    assert_eq!(app.pay(&retried, VISA).await.status, StatusCode::OK);
    let mut yen = kassa_testkit::Api::intent_body(500, false);
    yen["currency"] = json!("jpy");
    let yen = app.post("/v1/payment-intents", Some(&key), yen).await.body;
    assert_eq!(app.pay(&yen, VISA).await.status, StatusCode::OK);
    let paid_id = paid["id"].as_str().unwrap();
    let refunds = format!("/v1/payment-intents/{paid_id}/refunds");
    assert_eq!(app.post(&refunds, Some(&key), json!({"amount": 300})).await.status, StatusCode::CREATED);
    // Unpaid and voided intents count for nothing.
    app.intent(&key, 9999, false).await;

    // The next day: the authorization is captured, and more is refunded.
    app.state.store.clock().advance(TimeDelta::days(1));
    let capture = format!("/v1/payment-intents/{}/capture", held["id"].as_str().unwrap());
    assert_eq!(app.post(&capture, Some(&key), json!({})).await.status, StatusCode::OK);
    assert_eq!(app.post(&refunds, Some(&key), json!({"amount": 200})).await.status, StatusCode::CREATED);

    let report = app.get("/v1/reports/payments", Some(&key)).await;
    assert_eq!(report.status, StatusCode::OK, "{}", report.body);
    let today = app.state.store.clock().now().date_naive();
    assert_eq!(report.body["to"], today.to_string());
    assert_eq!(report.body["from"], (today - TimeDelta::days(29)).to_string(), "the last 30 days by default");
    let usd = currency(&report.body, "usd");
    assert_eq!(
        usd["totals"],
        json!({"gross_volume": 4700, "refunded": 500, "net_volume": 4200, "succeeded": 3, "failed": 1}),
        "{usd}"
    );
    let days = usd["days"].as_array().unwrap();
    assert_eq!(days.len(), 30);
    assert_eq!(days[0]["gross_volume"], 0, "days without activity are zeros");
    let yesterday = &days[28];
    assert_eq!(yesterday["date"], (today - TimeDelta::days(1)).to_string());
    assert_eq!(
        (&yesterday["gross_volume"], &yesterday["refunded"], &yesterday["succeeded"], &yesterday["failed"]),
        (&json!(2200), &json!(300), &json!(2), &json!(1)),
        "{yesterday}"
    );
    let last = &days[29];
    assert_eq!(
        (&last["gross_volume"], &last["refunded"], &last["net_volume"]),
        (&json!(2500), &json!(200), &json!(2300))
    );
    let jpy = currency(&report.body, "jpy");
    assert_eq!(jpy["totals"]["gross_volume"], 500, "{}", report.body);
    let names: Vec<&str> =
        report.body["currencies"].as_array().unwrap().iter().map(|c| c["currency"].as_str().unwrap()).collect();
    assert_eq!(names, ["jpy", "usd"], "by code");

    // A range of one day, the first.
    let one = app.get(&format!("/v1/reports/payments?from={0}&to={0}", today - TimeDelta::days(1)), Some(&key)).await;
    assert_eq!(currency(&one.body, "usd")["totals"]["net_volume"], 1900, "{}", one.body);
}

async fn the_report_is_the_merchants_own_and_a_viewer_may_read_it(app: TestApp) {
    let (owner, merchant) = app.owner().await;
    let (_, key) = app.api_key(&owner, &merchant).await;
    let intent = app.intent(&key, 1000, false).await;
    app.pay(&intent, VISA).await;
    let (_, viewer) = app.member(&owner, &merchant, "viewer").await;
    let report = app.on_merchant(&merchant).get("/v1/reports/payments", Some(&viewer)).await;
    assert_eq!(currency(&report.body, "usd")["totals"]["gross_volume"], 1000, "{}", report.body);
    let other = app.shop().await;
    let theirs = app.get("/v1/reports/payments", Some(&other)).await;
    assert_eq!(theirs.body["currencies"], json!([]), "another merchant sees none of it");
    let (stranger, _) = app.owner().await;
    let reply = app.on_merchant(&merchant).get("/v1/reports/payments", Some(&stranger)).await;
    assert_error(&reply, StatusCode::NOT_FOUND, "resource_missing");
}

async fn report_ranges_are_validated(app: TestApp) {
    let key = app.shop().await;
    for (query, param) in [
        ("from=2026-13-01", "from"),
        ("to=yesterday", "to"),
        ("from=2026-12-02&to=2026-12-01", "from"),
        ("from=2025-01-01&to=2026-01-02", "to"),
        ("to=%2B262142-12-31", "to"),
        ("to=-262143-01-01", "to"),
        ("from=2026-1-5", "from"),
        ("from=%202026-01-05", "from"),
        ("from=0000-12-31", "from"),
        ("to=9999-13-01", "to"),
    ] {
        let reply = app.get(&format!("/v1/reports/payments?{query}"), Some(&key)).await;
        assert_error(&reply, StatusCode::BAD_REQUEST, "parameter_invalid");
        assert_eq!(reply.body["error"]["param"], param, "{query}");
    }
    let year = app.get("/v1/reports/payments?from=2025-01-01&to=2026-01-01", Some(&key)).await;
    assert_eq!(year.status, StatusCode::OK, "366 days is the longest: {}", year.body);
    let unknown = app.get("/v1/reports/payments?days=7", Some(&key)).await;
    assert_error(&unknown, StatusCode::BAD_REQUEST, "unknown_parameter");
}
