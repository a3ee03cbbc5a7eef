//! API.md "Merchants and teams": merchants.

use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::{TestApp, assert_error};

crate::on_both_backends!(
    creating_a_merchant_returns_201_with_the_webhook_secret_once,
    another_users_merchant_is_404_not_403,
    merchant_lists_paginate_newest_first,
    invalid_merchant_input_is_400_with_its_param,
    admins_update_merchants_and_lesser_roles_get_403,
    rolling_the_webhook_secret_returns_a_new_one,
    a_malformed_merchant_id_is_400,
);

async fn creating_a_merchant_returns_201_with_the_webhook_secret_once(app: TestApp) {
    let (_, _, token) = app.user().await;
    let reply = app
        .post("/v1/merchants", Some(&token), json!({"name": " Acme ", "webhook_url": "https://acme.example/hooks"}))
        .await;
    assert_eq!(reply.status, StatusCode::CREATED);
    assert_eq!(reply.body["name"], "Acme");
    assert_eq!(reply.body["webhook_url"], "https://acme.example/hooks");
    assert!(reply.body["webhook_secret"].as_str().unwrap().starts_with("whsec_"));
    let id = reply.body["id"].as_str().unwrap();
    let shown = app.get(&format!("/v1/merchants/{id}"), Some(&token)).await;
    assert_eq!(shown.status, StatusCode::OK);
    assert_eq!(shown.body["webhook_secret"], json!(null));
    // The creator is its owner.
    let members = app.get(&format!("/v1/merchants/{id}/members"), Some(&token)).await;
    assert_eq!(members.body["data"][0]["role"], "owner");
}

async fn another_users_merchant_is_404_not_403(app: TestApp) {
    let (_, merchant) = app.owner().await;
    let (_, _, stranger) = app.user().await;
    for path in ["", "/members", "/api-keys"] {
        let reply = app.get(&format!("/v1/merchants/{merchant}{path}"), Some(&stranger)).await;
        assert_error(&reply, StatusCode::NOT_FOUND, "resource_missing");
    }
    let reply = app.patch(&format!("/v1/merchants/{merchant}"), Some(&stranger), json!({"name": "Mine"})).await;
    assert_error(&reply, StatusCode::NOT_FOUND, "resource_missing");
    let missing = app.get(&format!("/v1/merchants/{}", uuid::Uuid::new_v4()), Some(&stranger)).await;
    assert_error(&missing, StatusCode::NOT_FOUND, "resource_missing");
    assert_eq!(reply.body["error"]["message"], missing.body["error"]["message"], "no existence leak");
}

async fn merchant_lists_paginate_newest_first(app: TestApp) {
    let (_, _, token) = app.user().await;
    let mut ids = Vec::new();
    for _ in 0..3 {
        ids.push(app.merchant(&token).await);
    }
    ids.reverse();
    let first = app.get("/v1/merchants?limit=2", Some(&token)).await;
    assert_eq!(first.status, StatusCode::OK);
    let page: Vec<_> =
        first.body["data"].as_array().unwrap().iter().map(|m| m["id"].as_str().unwrap().to_owned()).collect();
    assert_eq!(page, ids[..2]);
    assert_eq!(first.body["has_more"], true);
    let next = app.get(&format!("/v1/merchants?limit=2&starting_after={}", ids[1]), Some(&token)).await;
    let page: Vec<_> =
        next.body["data"].as_array().unwrap().iter().map(|m| m["id"].as_str().unwrap().to_owned()).collect();
    assert_eq!(page, ids[2..]);
    assert_eq!(next.body["has_more"], false);
    for (query, code) in [
        ("limit=0", "parameter_invalid"),
        ("limit=101", "parameter_invalid"),
        ("limit=x", "parameter_invalid"),
        ("starting_after=nope", "invalid_starting_after"),
        ("colour=red", "unknown_parameter"),
    ] {
        assert_error(&app.get(&format!("/v1/merchants?{query}"), Some(&token)).await, StatusCode::BAD_REQUEST, code);
    }
    // Someone else's merchant is no cursor of mine.
    let (_, theirs) = app.owner().await;
    let reply = app.get(&format!("/v1/merchants?starting_after={theirs}"), Some(&token)).await;
    assert_error(&reply, StatusCode::BAD_REQUEST, "invalid_starting_after");
}

async fn invalid_merchant_input_is_400_with_its_param(app: TestApp) {
    let (_, _, token) = app.user().await;
    for (body, code, param) in [
        (json!({"name": ""}), "parameter_invalid", "name"),
        (json!({"name": "x".repeat(201)}), "parameter_invalid", "name"),
        (json!({"name": "A", "webhook_url": "ftp://x.example"}), "invalid_url", "webhook_url"),
        (json!({"name": "A", "webhook_url": "/relative"}), "invalid_url", "webhook_url"),
        (json!({"name": "A", "plan": "pro"}), "unknown_parameter", "plan"),
        (json!({}), "parameter_missing", "name"),
    ] {
        let reply = app.post("/v1/merchants", Some(&token), body).await;
        assert_error(&reply, StatusCode::BAD_REQUEST, code);
        assert_eq!(reply.body["error"]["param"], param);
    }
    assert_error(
        &app.post("/v1/merchants", None, json!({"name": "A"})).await,
        StatusCode::UNAUTHORIZED,
        "missing_credentials",
    );
}

async fn admins_update_merchants_and_lesser_roles_get_403(app: TestApp) {
    let (owner, merchant) = app.owner().await;
    let path = format!("/v1/merchants/{merchant}");
    let reply = app.patch(&path, Some(&owner), json!({"webhook_url": "https://new.example/h"})).await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(reply.body["webhook_url"], "https://new.example/h");
    assert_eq!(reply.body["name"], "Acme Books", "omitted fields are kept");
    let reply = app.patch(&path, Some(&owner), json!({"webhook_url": null})).await;
    assert_eq!(reply.body["webhook_url"], json!(null), "null clears");
    let (_, admin) = app.member(&owner, &merchant, "admin").await;
    let reply = app.patch(&path, Some(&admin), json!({"name": "Renamed"})).await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(reply.body["name"], "Renamed");
    for role in ["developer", "viewer"] {
        let (_, token) = app.member(&owner, &merchant, role).await;
        assert_error(
            &app.patch(&path, Some(&token), json!({"name": "No"})).await,
            StatusCode::FORBIDDEN,
            "insufficient_role",
        );
        // …but every member may read it.
        assert_eq!(app.get(&path, Some(&token)).await.status, StatusCode::OK);
    }
}

async fn rolling_the_webhook_secret_returns_a_new_one(app: TestApp) {
    let (_, _, token) = app.user().await;
    let created = app.post("/v1/merchants", Some(&token), json!({"name": "A"})).await;
    let id = created.body["id"].as_str().unwrap();
    let rolled = app.post(&format!("/v1/merchants/{id}/webhook-secret/roll"), Some(&token), json!({})).await;
    assert_eq!(rolled.status, StatusCode::OK);
    let secret = rolled.body["webhook_secret"].as_str().unwrap();
    assert!(secret.starts_with("whsec_"));
    assert_ne!(secret, created.body["webhook_secret"].as_str().unwrap());
}

async fn a_malformed_merchant_id_is_400(app: TestApp) {
    let (_, _, token) = app.user().await;
    for id in ["not-a-uuid", "%FF", "12345678-1234-1234-1234-1234567890123"] {
        let reply = app.get(&format!("/v1/merchants/{id}"), Some(&token)).await;
        assert_error(&reply, StatusCode::BAD_REQUEST, "parameter_invalid");
        assert_eq!(reply.body["error"]["param"], "merchant_id");
    }
}
