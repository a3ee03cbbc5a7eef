//! API.md "Merchants and teams": merchants.

use anyhow::{Result, ensure};
use kassa_sdk::types::{CreateMerchantRequest, MemberRole, UpdateMerchantRequest};
use serde_json::json;

use super::case;
use crate::Case;
use crate::ctx::{Ctx, expect_sdk_error};

pub fn cases() -> Vec<Case> {
    vec![
        case!(
            "create merchant: 201, the caller is owner, the webhook secret is shown once",
            [("create_merchant", 201), ("get_merchant", 200), ("list_members", 200)],
            create_merchant
        ),
        case!(
            "create merchant: 400 invalid_url, parameter_invalid name, unknown_parameter",
            [("create_merchant", 400)],
            create_merchant_invalid
        ),
        case!(
            "create merchant: 401 without a user token",
            [
                ("create_merchant", 401),
                ("list_merchants", 401),
                ("get_merchant", 401),
                ("update_merchant", 401),
                ("roll_webhook_secret", 401)
            ],
            merchants_need_a_token
        ),
        case!("list merchants: 200, mine only, newest first, paginated", [("list_merchants", 200)], list_merchants),
        case!("list merchants: 400 for a bad limit or cursor", [("list_merchants", 400)], list_merchants_invalid),
        case!(
            "get merchant: 404 for another user's merchant, as for none",
            [("get_merchant", 404), ("update_merchant", 404), ("roll_webhook_secret", 404)],
            foreign_merchant_is_404
        ),
        case!(
            "get merchant: 400 for a malformed id",
            [("get_merchant", 400), ("roll_webhook_secret", 400)],
            malformed_merchant_id
        ),
        case!(
            "update merchant: 200 for an admin; 403 insufficient_role for a developer",
            [("update_merchant", 200), ("update_merchant", 403)],
            update_merchant
        ),
        case!(
            "update merchant: 400 invalid_url, parameter_invalid name",
            [("update_merchant", 400)],
            update_merchant_invalid
        ),
        case!(
            "roll webhook secret: 200 returns a new whsec_; 403 for a viewer",
            [("roll_webhook_secret", 200), ("roll_webhook_secret", 403)],
            roll_webhook_secret
        ),
    ]
}

async fn create_merchant(cx: Ctx) -> Result<()> {
    let owner = cx.user().await?;
    let sdk = cx.sdk_as(&owner.token)?;
    let request = CreateMerchantRequest { name: "Acme".into(), webhook_url: Some("https://acme.example/hooks".into()) };
    let created = sdk.create_merchant(&request).await?;
    ensure!(created.status() == 201, "status {}", created.status());
    let created = created.into_inner();
    ensure!(
        created.name == "Acme" && created.webhook_url.as_deref() == Some("https://acme.example/hooks"),
        "{created:?}"
    );
    ensure!(
        created.webhook_secret.as_deref().is_some_and(|s| s.starts_with("whsec_")),
        "no webhook secret: {created:?}"
    );
    let shown = sdk.get_merchant(&created.id).await?.into_inner();
    ensure!(shown.webhook_secret.is_none(), "the webhook secret is shown again on GET");
    let members = sdk.list_members(&created.id, None, None).await?.into_inner();
    ensure!(
        members.data.len() == 1
            && members.data[0].user_id.to_string() == owner.id
            && matches!(members.data[0].role, MemberRole::Owner),
        "the creator should be the only member, as owner: {members:?}"
    );
    Ok(())
}

async fn create_merchant_invalid(cx: Ctx) -> Result<()> {
    let owner = cx.user().await?;
    for (body, code, param) in [
        (json!({"name": "A", "webhook_url": "ftp://acme.example"}), "invalid_url", "webhook_url"),
        (json!({"name": "A", "webhook_url": "/hooks"}), "invalid_url", "webhook_url"),
        (json!({"name": ""}), "parameter_invalid", "name"),
        (json!({"name": "A", "plan": "gold"}), "unknown_parameter", "plan"),
    ] {
        cx.post("/v1/merchants", Some(&owner.token), &body).await?.expect_param(400, code, param)?;
    }
    Ok(())
}

async fn merchants_need_a_token(cx: Ctx) -> Result<()> {
    let merchant = cx.merchant().await?;
    let id = merchant.id.parse()?;
    expect_sdk_error(
        cx.sdk().create_merchant(&CreateMerchantRequest { name: "A".into(), webhook_url: None }).await,
        401,
        "missing_credentials",
    )?;
    let anon = cx.sdk_as("not-a-token")?;
    expect_sdk_error(anon.list_merchants(None, None).await, 401, "invalid_token")?;
    expect_sdk_error(anon.get_merchant(&id).await, 401, "invalid_token")?;
    let update = UpdateMerchantRequest { name: Some("X".into()), webhook_url: None };
    expect_sdk_error(anon.update_merchant(&id, &update).await, 401, "invalid_token")?;
    expect_sdk_error(anon.roll_webhook_secret(&id).await, 401, "invalid_token")?;
    Ok(())
}

async fn list_merchants(cx: Ctx) -> Result<()> {
    let owner = cx.user().await?;
    let sdk = cx.sdk_as(&owner.token)?;
    let mut ids = Vec::new();
    for name in ["First", "Second", "Third"] {
        ids.push(
            sdk.create_merchant(&CreateMerchantRequest { name: name.into(), webhook_url: None }).await?.into_inner().id,
        );
    }
    cx.merchant().await?; // someone else's
    let first = sdk.list_merchants(Some(2), None).await?.into_inner();
    let got: Vec<_> = first.data.iter().map(|m| m.id).collect();
    ensure!(got == [ids[2], ids[1]] && first.has_more, "first page should be the two newest, has_more: {first:?}");
    let rest = sdk.list_merchants(Some(2), Some(&ids[1])).await?.into_inner();
    let got: Vec<_> = rest.data.iter().map(|m| m.id).collect();
    ensure!(got == [ids[0]] && !rest.has_more, "second page: {rest:?}");
    ensure!(rest.data.iter().chain(&first.data).all(|m| m.webhook_secret.is_none()), "lists show webhook secrets");
    Ok(())
}

async fn list_merchants_invalid(cx: Ctx) -> Result<()> {
    let owner = cx.user().await?;
    for (query, code, param) in [
        ("limit=0", "parameter_invalid", "limit"),
        ("limit=101", "parameter_invalid", "limit"),
        ("starting_after=nonsense", "invalid_starting_after", "starting_after"),
    ] {
        cx.get(&format!("/v1/merchants?{query}"), Some(&owner.token)).await?.expect_param(400, code, param)?;
    }
    Ok(())
}

async fn foreign_merchant_is_404(cx: Ctx) -> Result<()> {
    let merchant = cx.merchant().await?;
    let stranger = cx.user().await?;
    let sdk = cx.sdk_as(&stranger.token)?;
    let id = merchant.id.parse()?;
    let foreign = expect_sdk_error(sdk.get_merchant(&id).await, 404, "resource_missing")?;
    let none = expect_sdk_error(sdk.get_merchant(&uuid::Uuid::new_v4()).await, 404, "resource_missing")?;
    ensure!(foreign.error.message == none.error.message, "a foreign merchant is told apart from a missing one");
    expect_sdk_error(
        sdk.update_merchant(&id, &UpdateMerchantRequest { name: Some("Mine".into()), webhook_url: None }).await,
        404,
        "resource_missing",
    )?;
    expect_sdk_error(sdk.roll_webhook_secret(&id).await, 404, "resource_missing")?;
    Ok(())
}

async fn malformed_merchant_id(cx: Ctx) -> Result<()> {
    let owner = cx.user().await?;
    cx.get("/v1/merchants/not-a-uuid", Some(&owner.token)).await?.expect_error(400, "parameter_invalid")?;
    cx.post("/v1/merchants/123/webhook-secret/roll", Some(&owner.token), &json!({}))
        .await?
        .expect_error(400, "parameter_invalid")?;
    Ok(())
}

async fn update_merchant(cx: Ctx) -> Result<()> {
    let merchant = cx.merchant().await?;
    let id = merchant.id.parse()?;
    let admin = cx.member(&merchant, MemberRole::Admin).await?;
    let update =
        UpdateMerchantRequest { name: Some("Renamed".into()), webhook_url: Some("https://new.example/h".into()) };
    let updated = cx.sdk_as(&admin.token)?.update_merchant(&id, &update).await?.into_inner();
    ensure!(
        updated.name == "Renamed" && updated.webhook_url.as_deref() == Some("https://new.example/h"),
        "{updated:?}"
    );
    let developer = cx.member(&merchant, MemberRole::Developer).await?;
    expect_sdk_error(cx.sdk_as(&developer.token)?.update_merchant(&id, &update).await, 403, "insufficient_role")?;
    Ok(())
}

async fn update_merchant_invalid(cx: Ctx) -> Result<()> {
    let merchant = cx.merchant().await?;
    let path = format!("/v1/merchants/{}", merchant.id);
    for (body, code, param) in [
        (json!({"webhook_url": "not a url"}), "invalid_url", "webhook_url"),
        (json!({"name": ""}), "parameter_invalid", "name"),
    ] {
        let body = Some(crate::ctx::RawBody::Json(&body));
        let raw = cx.raw(reqwest::Method::PATCH, &path, Some(&merchant.owner.token), body).await?;
        raw.expect_param(400, code, param)?;
    }
    Ok(())
}

async fn roll_webhook_secret(cx: Ctx) -> Result<()> {
    let merchant = cx.merchant().await?;
    let id = merchant.id.parse()?;
    let first = cx.sdk_as(&merchant.owner.token)?.roll_webhook_secret(&id).await?.into_inner().webhook_secret;
    let second = cx.sdk_as(&merchant.owner.token)?.roll_webhook_secret(&id).await?.into_inner().webhook_secret;
    ensure!(first.starts_with("whsec_") && first != second, "rolled secrets: {first} then {second}");
    let viewer = cx.member(&merchant, MemberRole::Viewer).await?;
    expect_sdk_error(cx.sdk_as(&viewer.token)?.roll_webhook_secret(&id).await, 403, "insufficient_role")?;
    Ok(())
}
