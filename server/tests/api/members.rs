//! API.md "Merchants and teams": members and roles.

use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::{TestApp, assert_error};

crate::on_both_backends!(
    admins_add_members_with_a_role,
    developers_and_viewers_cannot_manage_members,
    nobody_grants_or_removes_a_role_above_their_own,
    adding_an_unknown_or_existing_member_is_400,
    the_last_owner_cannot_be_removed_422,
    a_removed_member_loses_access_at_once,
    two_owners_removing_each_other_concurrently_leave_one_owner,
    two_admins_removing_each_other_concurrently_leave_one,
);

async fn admins_add_members_with_a_role(app: TestApp) {
    let (owner, merchant) = app.owner().await;
    let (_, email) = app.register().await;
    let reply = app
        .post(
            &format!("/v1/merchants/{merchant}/members"),
            Some(&owner),
            json!({"email": email.to_uppercase(), "role": "developer"}),
        )
        .await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
    assert_eq!(reply.body["email"], email.as_str());
    assert_eq!(reply.body["role"], "developer");
    let list = app.get(&format!("/v1/merchants/{merchant}/members"), Some(&owner)).await;
    let roles: Vec<_> = list.body["data"].as_array().unwrap().iter().map(|m| m["role"].as_str().unwrap()).collect();
    assert_eq!(roles, ["developer", "owner"], "newest first");
}

async fn developers_and_viewers_cannot_manage_members(app: TestApp) {
    let (owner, merchant) = app.owner().await;
    let owner_id = app.get("/v1/auth/me", Some(&owner)).await.body["id"].as_str().unwrap().to_owned();
    for role in ["developer", "viewer"] {
        let (_, token) = app.member(&owner, &merchant, role).await;
        let (_, email) = app.register().await;
        let add = app
            .post(&format!("/v1/merchants/{merchant}/members"), Some(&token), json!({"email": email, "role": "viewer"}))
            .await;
        assert_error(&add, StatusCode::FORBIDDEN, "insufficient_role");
        let remove = app.delete(&format!("/v1/merchants/{merchant}/members/{owner_id}"), Some(&token)).await;
        assert_error(&remove, StatusCode::FORBIDDEN, "insufficient_role");
        // Reading the team is fine.
        assert_eq!(app.get(&format!("/v1/merchants/{merchant}/members"), Some(&token)).await.status, StatusCode::OK);
    }
}

async fn nobody_grants_or_removes_a_role_above_their_own(app: TestApp) {
    let (owner, merchant) = app.owner().await;
    let (_, admin) = app.member(&owner, &merchant, "admin").await;
    let (_, email) = app.register().await;
    let grant = app
        .post(&format!("/v1/merchants/{merchant}/members"), Some(&admin), json!({"email": email, "role": "owner"}))
        .await;
    assert_error(&grant, StatusCode::FORBIDDEN, "insufficient_role");
    let owner_id = app.get("/v1/auth/me", Some(&owner)).await.body["id"].as_str().unwrap().to_owned();
    let remove = app.delete(&format!("/v1/merchants/{merchant}/members/{owner_id}"), Some(&admin)).await;
    assert_error(&remove, StatusCode::FORBIDDEN, "insufficient_role");
    // An admin may add and remove admins.
    let (peer, _) = app.member(&owner, &merchant, "developer").await;
    assert_eq!(
        app.delete(&format!("/v1/merchants/{merchant}/members/{peer}"), Some(&admin)).await.status,
        StatusCode::NO_CONTENT
    );
}

async fn adding_an_unknown_or_existing_member_is_400(app: TestApp) {
    let (owner, merchant) = app.owner().await;
    let path = format!("/v1/merchants/{merchant}/members");
    let unknown = app.post(&path, Some(&owner), json!({"email": "nobody@example.com", "role": "viewer"})).await;
    assert_error(&unknown, StatusCode::BAD_REQUEST, "user_not_found");
    let (_, email) = app.register().await;
    assert_eq!(
        app.post(&path, Some(&owner), json!({"email": email, "role": "viewer"})).await.status,
        StatusCode::CREATED
    );
    let again = app.post(&path, Some(&owner), json!({"email": email, "role": "admin"})).await;
    assert_error(&again, StatusCode::BAD_REQUEST, "already_member");
    let bad_role = app.post(&path, Some(&owner), json!({"email": email, "role": "superuser"})).await;
    assert_error(&bad_role, StatusCode::BAD_REQUEST, "parameter_invalid");
    assert_eq!(bad_role.body["error"]["param"], "role");
}

async fn the_last_owner_cannot_be_removed_422(app: TestApp) {
    let (owner, merchant) = app.owner().await;
    let owner_id = app.get("/v1/auth/me", Some(&owner)).await.body["id"].as_str().unwrap().to_owned();
    let reply = app.delete(&format!("/v1/merchants/{merchant}/members/{owner_id}"), Some(&owner)).await;
    assert_error(&reply, StatusCode::UNPROCESSABLE_ENTITY, "last_owner");
    assert_eq!(reply.body["error"]["type"], "state_error");
    // With a second owner, one may go.
    app.member(&owner, &merchant, "owner").await;
    assert_eq!(
        app.delete(&format!("/v1/merchants/{merchant}/members/{owner_id}"), Some(&owner)).await.status,
        StatusCode::NO_CONTENT
    );
}

async fn a_removed_member_loses_access_at_once(app: TestApp) {
    let (owner, merchant) = app.owner().await;
    let (id, token) = app.member(&owner, &merchant, "developer").await;
    assert_eq!(app.get(&format!("/v1/merchants/{merchant}"), Some(&token)).await.status, StatusCode::OK);
    assert_eq!(
        app.delete(&format!("/v1/merchants/{merchant}/members/{id}"), Some(&owner)).await.status,
        StatusCode::NO_CONTENT
    );
    assert_error(
        &app.get(&format!("/v1/merchants/{merchant}"), Some(&token)).await,
        StatusCode::NOT_FOUND,
        "resource_missing",
    );
    let again = app.delete(&format!("/v1/merchants/{merchant}/members/{id}"), Some(&owner)).await;
    assert_error(&again, StatusCode::NOT_FOUND, "resource_missing");
}

async fn two_owners_removing_each_other_concurrently_leave_one_owner(app: TestApp) {
    for _ in 0..5 {
        let (owner_a, merchant) = app.owner().await;
        let a = app.get("/v1/auth/me", Some(&owner_a)).await.body["id"].as_str().unwrap().to_owned();
        let (b, owner_b) = app.member(&owner_a, &merchant, "owner").await;
        let (remove_b, remove_a) =
            (format!("/v1/merchants/{merchant}/members/{b}"), format!("/v1/merchants/{merchant}/members/{a}"));
        let (ra, rb) = tokio::join!(app.delete(&remove_b, Some(&owner_a)), app.delete(&remove_a, Some(&owner_b)));
        let statuses = [ra.status, rb.status];
        let wins = statuses.iter().filter(|s| **s == StatusCode::NO_CONTENT).count();
        assert_eq!(wins, 1, "exactly one removal succeeds: {statuses:?}");
        // Exactly one owner is left, whoever won.
        let survivor = if ra.status == StatusCode::NO_CONTENT { &owner_a } else { &owner_b };
        let members = app.get(&format!("/v1/merchants/{merchant}/members"), Some(survivor)).await;
        let owners = members.body["data"].as_array().unwrap().iter().filter(|m| m["role"] == "owner").count();
        assert_eq!(owners, 1, "{}", members.body);
    }
}

async fn two_admins_removing_each_other_concurrently_leave_one(app: TestApp) {
    for _ in 0..5 {
        let (owner, merchant) = app.owner().await;
        let (a, admin_a) = app.member(&owner, &merchant, "admin").await;
        let (b, admin_b) = app.member(&owner, &merchant, "admin").await;
        let (remove_b, remove_a) =
            (format!("/v1/merchants/{merchant}/members/{b}"), format!("/v1/merchants/{merchant}/members/{a}"));
        let (ra, rb) = tokio::join!(app.delete(&remove_b, Some(&admin_a)), app.delete(&remove_a, Some(&admin_b)));
        // Run one after the other, the second finds its actor gone: one 204, one 404.
        let mut statuses = [ra.status.as_u16(), rb.status.as_u16()];
        statuses.sort();
        assert_eq!(statuses, [204, 404], "{} / {}", ra.body, rb.body);
        let members = app.get(&format!("/v1/merchants/{merchant}/members"), Some(&owner)).await;
        assert_eq!(members.body["data"].as_array().unwrap().len(), 2, "{}", members.body);
    }
}
