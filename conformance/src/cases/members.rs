//! API.md "Merchants and teams": members and roles.

use anyhow::{Result, ensure};
use kassa_sdk::types::{AddMemberRequest, MemberRole};
use serde_json::json;

use super::case;
use crate::Case;
use crate::ctx::{Ctx, expect_sdk_error};

pub fn cases() -> Vec<Case> {
    vec![
        case!(
            "members: an admin adds a registered user with a role (201), listed newest first",
            [("add_member", 201), ("list_members", 200)],
            add_member
        ),
        case!(
            "members: 403 insufficient_role when a developer adds or removes, or an admin grants owner",
            [("add_member", 403), ("remove_member", 403)],
            insufficient_role
        ),
        case!(
            "members: 400 for an unknown user, an existing member, a bad role",
            [("add_member", 400)],
            add_member_invalid
        ),
        case!("members: 422 last_owner: the last owner cannot be removed", [("remove_member", 422)], last_owner),
        case!(
            "members: 204 removes a member, who then gets 404",
            [("remove_member", 204), ("remove_member", 404), ("get_merchant", 404)],
            remove_member
        ),
        case!(
            "members: 404 for another user's merchant; 401 without a token; 400 for a malformed id",
            [
                ("list_members", 404),
                ("add_member", 404),
                ("list_members", 401),
                ("add_member", 401),
                ("remove_member", 401),
                ("list_members", 400),
                ("remove_member", 400)
            ],
            members_of_foreign_merchants
        ),
    ]
}

async fn add_member(cx: Ctx) -> Result<()> {
    let merchant = cx.merchant().await?;
    let id = merchant.id.parse()?;
    let admin = cx.member(&merchant, MemberRole::Admin).await?;
    let user = cx.user().await?;
    let added = cx
        .sdk_as(&admin.token)?
        .add_member(&id, &AddMemberRequest { email: user.email.to_uppercase(), role: MemberRole::Developer })
        .await?;
    ensure!(added.status() == 201, "status {}", added.status());
    let added = added.into_inner();
    ensure!(added.user_id.to_string() == user.id && matches!(added.role, MemberRole::Developer), "{added:?}");
    let list = cx.sdk_as(&user.token)?.list_members(&id, None, None).await?.into_inner();
    let order: Vec<String> = list.data.iter().map(|m| m.user_id.to_string()).collect();
    ensure!(order == [user.id.clone(), admin.id.clone(), merchant.owner.id.clone()], "newest first: {list:?}");
    Ok(())
}

async fn insufficient_role(cx: Ctx) -> Result<()> {
    let merchant = cx.merchant().await?;
    let id = merchant.id.parse()?;
    let developer = cx.member(&merchant, MemberRole::Developer).await?;
    let newcomer = cx.user().await?;
    let request = AddMemberRequest { email: newcomer.email.clone(), role: MemberRole::Viewer };
    expect_sdk_error(cx.sdk_as(&developer.token)?.add_member(&id, &request).await, 403, "insufficient_role")?;
    let owner_id = merchant.owner.id.parse()?;
    expect_sdk_error(cx.sdk_as(&developer.token)?.remove_member(&id, &owner_id).await, 403, "insufficient_role")?;
    let admin = cx.member(&merchant, MemberRole::Admin).await?;
    let grant_owner = AddMemberRequest { email: newcomer.email, role: MemberRole::Owner };
    expect_sdk_error(cx.sdk_as(&admin.token)?.add_member(&id, &grant_owner).await, 403, "insufficient_role")?;
    Ok(())
}

async fn add_member_invalid(cx: Ctx) -> Result<()> {
    let merchant = cx.merchant().await?;
    let id = merchant.id.parse()?;
    let sdk = cx.sdk_as(&merchant.owner.token)?;
    let nobody = AddMemberRequest {
        email: format!("nobody-{}@example.com", uuid::Uuid::new_v4().simple()),
        role: MemberRole::Viewer,
    };
    expect_sdk_error(sdk.add_member(&id, &nobody).await, 400, "user_not_found")?;
    let user = cx.member(&merchant, MemberRole::Viewer).await?;
    let again = AddMemberRequest { email: user.email.clone(), role: MemberRole::Admin };
    expect_sdk_error(sdk.add_member(&id, &again).await, 400, "already_member")?;
    let path = format!("/v1/merchants/{}/members", merchant.id);
    cx.post(&path, Some(&merchant.owner.token), &json!({"email": user.email, "role": "root"})).await?.expect_param(
        400,
        "parameter_invalid",
        "role",
    )?;
    cx.post(&path, Some(&merchant.owner.token), &json!({"email": "not-an-email", "role": "viewer"}))
        .await?
        .expect_param(400, "invalid_email", "email")?;
    Ok(())
}

async fn last_owner(cx: Ctx) -> Result<()> {
    let merchant = cx.merchant().await?;
    let id = merchant.id.parse()?;
    let owner_id = merchant.owner.id.parse()?;
    let sdk = cx.sdk_as(&merchant.owner.token)?;
    expect_sdk_error(sdk.remove_member(&id, &owner_id).await, 422, "last_owner")?;
    cx.member(&merchant, MemberRole::Owner).await?;
    let removed = sdk.remove_member(&id, &owner_id).await?;
    ensure!(removed.status() == 204, "with a second owner, the first may go: {}", removed.status());
    Ok(())
}

async fn remove_member(cx: Ctx) -> Result<()> {
    let merchant = cx.merchant().await?;
    let id = merchant.id.parse()?;
    let developer = cx.member(&merchant, MemberRole::Developer).await?;
    let sdk = cx.sdk_as(&merchant.owner.token)?;
    let removed = sdk.remove_member(&id, &developer.id.parse()?).await?;
    ensure!(removed.status() == 204, "status {}", removed.status());
    expect_sdk_error(cx.sdk_as(&developer.token)?.get_merchant(&id).await, 404, "resource_missing")?;
    expect_sdk_error(sdk.remove_member(&id, &developer.id.parse()?).await, 404, "resource_missing")?;
    Ok(())
}

async fn members_of_foreign_merchants(cx: Ctx) -> Result<()> {
    let merchant = cx.merchant().await?;
    let id = merchant.id.parse()?;
    let stranger = cx.user().await?;
    let sdk = cx.sdk_as(&stranger.token)?;
    expect_sdk_error(sdk.list_members(&id, None, None).await, 404, "resource_missing")?;
    let request = AddMemberRequest { email: stranger.email.clone(), role: MemberRole::Owner };
    expect_sdk_error(sdk.add_member(&id, &request).await, 404, "resource_missing")?;
    let anon = cx.sdk();
    expect_sdk_error(anon.list_members(&id, None, None).await, 401, "missing_credentials")?;
    expect_sdk_error(anon.add_member(&id, &request).await, 401, "missing_credentials")?;
    expect_sdk_error(anon.remove_member(&id, &merchant.owner.id.parse()?).await, 401, "missing_credentials")?;
    let token = Some(merchant.owner.token.as_str());
    cx.get(&format!("/v1/merchants/{}/members?limit=1000", merchant.id), token)
        .await?
        .expect_error(400, "parameter_invalid")?;
    cx.raw(reqwest::Method::DELETE, &format!("/v1/merchants/{}/members/not-a-uuid", merchant.id), token, None)
        .await?
        .expect_error(400, "parameter_invalid")?;
    Ok(())
}
