//! Team members (API.md "Merchants and teams"): list, add, remove. Roles are ordered
//! owner > admin > developer > viewer; nobody grants or removes a role above their own.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};
use uuid::Uuid;

use super::{AppJson, AppPath, AppQuery, ListParams};
use crate::app::AppState;
use crate::auth::{Admin, Member, Viewer};
use crate::domain::{Email, Role};
use crate::error::{ApiError, ErrorBody};
use crate::store::MemberRow;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(list_members, add_member)).routes(routes!(remove_member))
}

/// A role on a merchant. `viewer` reads; `developer` also manages API keys and payments; `admin`
/// also settings and members; `owner` everything.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum MemberRole {
    Owner,
    Admin,
    Developer,
    Viewer,
}

impl From<Role> for MemberRole {
    fn from(role: Role) -> Self {
        match role {
            Role::Owner => Self::Owner,
            Role::Admin => Self::Admin,
            Role::Developer => Self::Developer,
            Role::Viewer => Self::Viewer,
        }
    }
}

impl From<MemberRole> for Role {
    fn from(role: MemberRole) -> Self {
        match role {
            MemberRole::Owner => Self::Owner,
            MemberRole::Admin => Self::Admin,
            MemberRole::Developer => Self::Developer,
            MemberRole::Viewer => Self::Viewer,
        }
    }
}

/// A user's membership of a merchant.
#[derive(Debug, Serialize, ToSchema)]
pub struct TeamMember {
    pub user_id: Uuid,
    #[schema(example = "grace@example.com")]
    pub email: String,
    #[schema(example = "Grace Hopper")]
    pub name: String,
    pub role: MemberRole,
    /// When the user joined the merchant.
    pub created_at: DateTime<Utc>,
}

impl From<MemberRow> for TeamMember {
    fn from(row: MemberRow) -> Self {
        Self {
            user_id: row.user_id,
            email: row.email,
            name: row.name,
            role: row.role.into(),
            created_at: row.created_at,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TeamMemberList {
    pub data: Vec<TeamMember>,
    /// Whether another page follows; pass the last `user_id` as `starting_after` to get it.
    pub has_more: bool,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AddMemberRequest {
    /// The email of a registered user.
    #[schema(example = "grace@example.com")]
    pub email: String,
    pub role: MemberRole,
}

#[derive(Debug, Deserialize)]
pub struct MemberPath {
    #[allow(dead_code, reason = "checked by the Member extractor")]
    merchant_id: Uuid,
    user_id: Uuid,
}

/// List members
///
/// The merchant's members, newest first. Any member may read the list.
#[utoipa::path(
    get, path = "/v1/merchants/{merchant_id}/members", tag = "members", security(("user_token" = [])),
    params(("merchant_id" = Uuid, Path, description = "The merchant's id."), ListParams),
    responses(
        (status = 200, description = "A page of members.", body = TeamMemberList),
        (status = 400, description = "`parameter_invalid`, `invalid_starting_after`, `unknown_parameter`.", body = ErrorBody),
        (status = 401, description = "`missing_credentials`, `invalid_token`, `token_expired`: no valid user access token.", body = ErrorBody),
        (status = 404, description = "`resource_missing`: no such merchant, or the caller is not a member.", body = ErrorBody),
    )
)]
pub async fn list_members(
    member: Member<Viewer>,
    State(app): State<AppState>,
    AppQuery(params): AppQuery<ListParams>,
) -> Result<Json<TeamMemberList>, ApiError> {
    let page = params.page(Uuid::parse_str)?;
    let (rows, has_more) = app.store.list_members(member.merchant_id, page).await?;
    Ok(Json(TeamMemberList { data: rows.into_iter().map(Into::into).collect(), has_more }))
}

/// Add a member
///
/// Gives a registered user a role on the merchant. Needs the `admin` role, and nobody may grant
/// a role above their own.
#[utoipa::path(
    post, path = "/v1/merchants/{merchant_id}/members", tag = "members", security(("user_token" = [])),
    params(("merchant_id" = Uuid, Path, description = "The merchant's id.")),
    request_body(content = AddMemberRequest, example = json!({"email": "grace@example.com", "role": "developer"})),
    responses(
        (status = 201, description = "The new membership.", body = TeamMember),
        (status = 400, description = "`user_not_found` (no registered user has this email), `already_member`, `invalid_email`, `parameter_invalid` (role), `unknown_parameter`, `parameter_missing`, `invalid_json`, `invalid_content_type`.", body = ErrorBody),
        (status = 401, description = "`missing_credentials`, `invalid_token`, `token_expired`: no valid user access token.", body = ErrorBody),
        (status = 403, description = "`insufficient_role`: needs `admin`, and at least the role granted.", body = ErrorBody),
        (status = 404, description = "`resource_missing`: no such merchant, or the caller is not a member.", body = ErrorBody),
    )
)]
pub async fn add_member(
    member: Member<Admin>,
    State(app): State<AppState>,
    AppJson(req): AppJson<AddMemberRequest>,
) -> Result<(StatusCode, Json<TeamMember>), ApiError> {
    let email = Email::parse(&req.email)?;
    let role = Role::from(req.role);
    member.role.may_manage(role)?;
    let row = app.store.add_member(member.merchant_id, &email, role).await?;
    Ok((StatusCode::CREATED, Json(row.into())))
}

/// Remove a member
///
/// Ends a user's membership. Needs the `admin` role, and at least the role being removed. The
/// last owner cannot be removed.
#[utoipa::path(
    delete, path = "/v1/merchants/{merchant_id}/members/{user_id}", tag = "members", security(("user_token" = [])),
    params(
        ("merchant_id" = Uuid, Path, description = "The merchant's id."),
        ("user_id" = Uuid, Path, description = "The member's user id."),
    ),
    responses(
        (status = 204, description = "The member was removed."),
        (status = 400, description = "`parameter_invalid`: a path parameter is not a UUID.", body = ErrorBody),
        (status = 401, description = "`missing_credentials`, `invalid_token`, `token_expired`: no valid user access token.", body = ErrorBody),
        (status = 403, description = "`insufficient_role`: needs `admin`, and at least the role removed.", body = ErrorBody),
        (status = 404, description = "`resource_missing`: no such merchant or member.", body = ErrorBody),
        (status = 422, description = "`last_owner`: the merchant's only owner cannot be removed.", body = ErrorBody),
    )
)]
pub async fn remove_member(
    member: Member<Admin>,
    State(app): State<AppState>,
    AppPath(path): AppPath<MemberPath>,
) -> Result<StatusCode, ApiError> {
    app.store.remove_member(member.merchant_id, member.user_id, path.user_id).await?;
    Ok(StatusCode::NO_CONTENT)
}
