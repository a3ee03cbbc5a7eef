//! API.md "Errors": one shape everywhere, even for what the router itself refuses.

use reqwest::StatusCode;

use crate::helpers::{TestApp, assert_error};

crate::on_both_backends!(
    unknown_routes_are_404_json_with_a_request_id,
    wrong_methods_are_405_json,
    oversized_bodies_are_400_not_a_crash,
    every_response_carries_a_fresh_request_id,
    a_request_id_sent_by_the_client_is_replaced,
);

async fn unknown_routes_are_404_json_with_a_request_id(app: TestApp) {
    for path in ["/nope", "/v1/payment-thingies", "/v1/merchants/x/y/z"] {
        assert_error(&app.get(path, None).await, StatusCode::NOT_FOUND, "route_not_found");
    }
}

async fn wrong_methods_are_405_json(app: TestApp) {
    let reply = app.send(app.http.put(app.url("/v1/auth/me"))).await;
    assert_error(&reply, StatusCode::METHOD_NOT_ALLOWED, "method_not_allowed");
    let reply = app.send(app.http.get(app.url("/v1/auth/register"))).await;
    assert_error(&reply, StatusCode::METHOD_NOT_ALLOWED, "method_not_allowed");
}

async fn oversized_bodies_are_400_not_a_crash(app: TestApp) {
    let huge = format!("{{\"email\": \"{}\"}}", "a".repeat(3 * 1024 * 1024));
    let request = app.http.post(app.url("/v1/auth/register")).header("content-type", "application/json").body(huge);
    assert_error(&app.send(request).await, StatusCode::BAD_REQUEST, "request_too_large");
}

async fn a_request_id_sent_by_the_client_is_replaced(app: TestApp) {
    let reply = app.send(app.http.get(app.url("/v1/auth/me")).header("request-id", "req_forged")).await;
    assert_error(&reply, StatusCode::UNAUTHORIZED, "missing_credentials");
    assert_ne!(reply.body["error"]["request_id"], "req_forged");
}

async fn every_response_carries_a_fresh_request_id(app: TestApp) {
    let mut seen = std::collections::HashSet::new();
    for path in ["/healthz", "/v1/auth/me", "/nope", "/openapi.json"] {
        let response = app.http.get(app.url(path)).send().await.unwrap();
        let id = response.headers().get("request-id").and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned();
        assert!(id.starts_with("req_") && id.len() == 28, "{path}: {id:?}");
        assert!(seen.insert(id), "request ids repeat");
    }
}
