//! API.md "Users" and "Authentication" (user access tokens).

use anyhow::{Result, ensure};
use kassa_sdk::types::{LoginRequest, RegisterRequest};
use reqwest::Method;
use serde_json::json;

use super::case;
use crate::Case;
use crate::ctx::{Ctx, RawBody, expect_sdk_error};

pub fn cases() -> Vec<Case> {
    vec![
        case!("register: 201 returns the user, without the password", [("register", 201)], register_returns_the_user),
        case!("register: 400 email_taken for a registered email, in any case", [("register", 400)], email_taken),
        case!(
            "register: 400 weak_password under 10 characters, or without a letter or a digit",
            [("register", 400)],
            weak_password
        ),
        case!("register: 400 invalid_email; parameter_invalid for an empty name", [("register", 400)], invalid_email),
        case!("register: 400 unknown_parameter names the field", [("register", 400)], unknown_parameter),
        case!(
            "register: 400 for malformed JSON, a wrong content type, a missing field",
            [("register", 400)],
            unreadable_bodies
        ),
        case!("login: 200 returns a Bearer token for 3600 s", [("login", 200)], login_returns_a_token),
        case!(
            "login: 401 invalid_credentials, the same for an unknown email and a wrong password",
            [("login", 401)],
            login_refusals_are_identical
        ),
        case!("login: 400 for a malformed body", [("login", 400)], login_malformed),
        case!(
            "rate limits: login and register attempts naming one email past the limit (10 a minute by default) are 429 rate_limit_error with Retry-After",
            [("login", 429), ("register", 429)],
            auth_attempts_are_rate_limited
        ),
        case!("me: 200 returns the user of the token", [("get_me", 200)], me_returns_the_user),
        case!(
            "me: 401 for a missing, malformed, alg:none, tampered or wrongly signed token, or an API key",
            [("get_me", 401)],
            me_refuses_bad_tokens
        ),
    ]
}

async fn register_returns_the_user(cx: Ctx) -> Result<()> {
    let email = format!("Conformance-{}@Example.com", uuid::Uuid::new_v4().simple());
    let raw = cx
        .post("/v1/auth/register", None, &json!({"email": email, "password": "conformance-pass-1", "name": "Ada"}))
        .await?;
    let body = raw.expect_status(201)?;
    ensure!(body["email"] == email.to_lowercase(), "email should be stored lower-cased: {body}");
    ensure!(body["name"] == "Ada", "name: {body}");
    ensure!(body["id"].as_str().is_some_and(|id| uuid::Uuid::parse_str(id).is_ok()), "id is not a UUID: {body}");
    ensure!(
        body["created_at"].as_str().is_some_and(|t| chrono::DateTime::parse_from_rfc3339(t).is_ok()),
        "created_at: {body}"
    );
    ensure!(
        !raw.text.contains("conformance-pass-1") && body.get("password_hash").is_none(),
        "the password leaks: {body}"
    );
    Ok(())
}

async fn email_taken(cx: Ctx) -> Result<()> {
    let user = cx.user().await?;
    let again =
        RegisterRequest { email: user.email.to_uppercase(), password: "another-pass-2".into(), name: "B".into() };
    let error = expect_sdk_error(cx.sdk().register(&again).await, 400, "email_taken")?;
    ensure!(error.error.param.as_deref() == Some("email"), "param: {:?}", error.error.param);
    Ok(())
}

async fn weak_password(cx: Ctx) -> Result<()> {
    for password in ["short1", "letters-only-here", "12345678901"] {
        let email = format!("weak-{}@example.com", uuid::Uuid::new_v4().simple());
        let request = RegisterRequest { email, password: password.into(), name: "W".into() };
        expect_sdk_error(cx.sdk().register(&request).await, 400, "weak_password")?;
    }
    Ok(())
}

async fn invalid_email(cx: Ctx) -> Result<()> {
    for email in ["not-an-email", "ada@", "@example.com"] {
        let request = RegisterRequest { email: email.into(), password: "conformance-pass-1".into(), name: "E".into() };
        expect_sdk_error(cx.sdk().register(&request).await, 400, "invalid_email")?;
    }
    let email = format!("nameless-{}@example.com", uuid::Uuid::new_v4().simple());
    let nameless = json!({"email": email, "password": "conformance-pass-1", "name": ""});
    cx.post("/v1/auth/register", None, &nameless).await?.expect_param(400, "parameter_invalid", "name")?;
    Ok(())
}

async fn unknown_parameter(cx: Ctx) -> Result<()> {
    let body = json!({"email": "x@example.com", "password": "conformance-pass-1", "name": "X", "is_admin": true});
    let error = cx.post("/v1/auth/register", None, &body).await?.expect_error(400, "unknown_parameter")?;
    ensure!(error["error"]["param"] == "is_admin", "param should name the field: {error}");
    Ok(())
}

async fn unreadable_bodies(cx: Ctx) -> Result<()> {
    let malformed = RawBody::Text { content_type: "application/json", text: "{\"email\": \"x@example.com\"," };
    cx.raw(Method::POST, "/v1/auth/register", None, Some(malformed)).await?.expect_error(400, "invalid_json")?;
    let form = RawBody::Text { content_type: "application/x-www-form-urlencoded", text: "email=x%40example.com" };
    cx.raw(Method::POST, "/v1/auth/register", None, Some(form)).await?.expect_error(400, "invalid_content_type")?;
    let missing = cx
        .post("/v1/auth/register", None, &json!({"email": "x@example.com", "password": "conformance-pass-1"}))
        .await?;
    let error = missing.expect_error(400, "parameter_missing")?;
    ensure!(error["error"]["param"] == "name", "param should name the missing field: {error}");
    Ok(())
}

async fn login_returns_a_token(cx: Ctx) -> Result<()> {
    let user = cx.user().await?;
    let token =
        cx.sdk().login(&LoginRequest { email: user.email, password: user.password, ..Default::default() }).await?;
    ensure!(token.status() == 200, "status {}", token.status());
    let token = token.into_inner();
    ensure!(token.token_type == "Bearer" && token.expires_in == 3600, "{token:?}");
    ensure!(token.access_token.split('.').count() == 3, "not a JWT: {}", token.access_token);
    Ok(())
}

async fn login_refusals_are_identical(cx: Ctx) -> Result<()> {
    let user = cx.user().await?;
    let wrong = cx.post("/v1/auth/login", None, &json!({"email": user.email, "password": "wrong-password-9"})).await?;
    let unknown = cx
        .post("/v1/auth/login", None, &json!({"email": "nobody-at-all@example.com", "password": "wrong-password-9"}))
        .await?;
    let mut a = wrong.expect_error(401, "invalid_credentials")?;
    let mut b = unknown.expect_error(401, "invalid_credentials")?;
    a["error"]["request_id"] = json!(null);
    b["error"]["request_id"] = json!(null);
    ensure!(a == b, "the answers differ, which tells an attacker which emails exist:\n{a}\n{b}");
    Ok(())
}

async fn login_malformed(cx: Ctx) -> Result<()> {
    let raw =
        cx.post("/v1/auth/login", None, &json!({"email": "x@example.com", "password": "p", "remember": true})).await?;
    raw.expect_error(400, "unknown_parameter")?;
    Ok(())
}

async fn me_returns_the_user(cx: Ctx) -> Result<()> {
    let user = cx.user().await?;
    let me = cx.sdk_as(&user.token)?.get_me().await?.into_inner();
    ensure!(me.id.to_string() == user.id && me.email == user.email, "{me:?}");
    Ok(())
}

async fn me_refuses_bad_tokens(cx: Ctx) -> Result<()> {
    use base64::Engine;
    let b64 = |v: serde_json::Value| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(v.to_string());
    let user = cx.user().await?;
    let now = chrono::Utc::now().timestamp();
    let claims = json!({"sub": user.id, "iat": now, "exp": now + 3600});
    let parts: Vec<&str> = user.token.split('.').collect();
    ensure!(parts.len() == 3, "login did not return a JWT");
    let alg_none = format!("{}.{}.", b64(json!({"alg": "none", "typ": "JWT"})), b64(claims.clone()));
    let other_user = json!({"sub": uuid::Uuid::new_v4(), "iat": now, "exp": now + 3600});
    let tampered = format!("{}.{}.{}", parts[0], b64(other_user), parts[2]);
    let mut resigned = parts[2].to_owned();
    resigned.replace_range(..4, if resigned.starts_with("AAAA") { "BBBB" } else { "AAAA" });
    let wrong_signature = format!("{}.{}.{resigned}", parts[0], parts[1]);
    let merchant = cx.merchant().await?;
    let (_, api_key) = cx.api_key(&merchant).await?;
    for (label, token) in [
        ("no token", None),
        ("a malformed token", Some("not-a-token")),
        ("alg: none", Some(alg_none.as_str())),
        ("a tampered payload", Some(tampered.as_str())),
        ("a wrong signature", Some(wrong_signature.as_str())),
        ("an API key", Some(api_key.as_str())),
    ] {
        let raw = cx.get("/v1/auth/me", token).await?;
        raw.expect_status(401).map_err(|e| e.context(format!("with {label}")))?;
        crate::ctx::check_error_body(&raw.json()?, 401, None, raw.request_id())?;
    }
    Ok(())
}

/// How many attempts the suite makes before it calls a missing limit a failure: far above any
/// sensible per-email limit.
const GUESSES: usize = 100;

async fn auth_attempts_are_rate_limited(cx: Ctx) -> Result<()> {
    let email = format!("guessed-{}@example.com", uuid::Uuid::new_v4().simple());
    let guess = json!({"email": email, "password": "a-guess-123"});
    let mut refused = 0;
    loop {
        let raw = cx.post("/v1/auth/login", None, &guess).await?;
        if raw.status.as_u16() == 401 {
            raw.expect_error(401, "invalid_credentials")?;
            refused += 1;
            ensure!(refused < GUESSES, "{GUESSES} wrong passwords for one email, and none was rate limited");
            continue;
        }
        raw.expect_error(429, "rate_limited")?;
        let Some(retry_after) = raw.number("retry-after").filter(|s| (1..=60).contains(s)) else {
            anyhow::bail!("429 with Retry-After {:?}", raw.headers.get("retry-after"));
        };
        if retry_after < 2 {
            // Under a second of the window is left: guess on into the next one.
            tokio::time::sleep(std::time::Duration::from_secs(retry_after)).await;
            continue;
        }
        break;
    }
    // Registering that email now is held up too: the limit is on the email, not the route.
    let register = json!({"email": email, "password": "conformance-pass-1", "name": "Late"});
    cx.post("/v1/auth/register", None, &register).await?.expect_error(429, "rate_limited")?;
    Ok(())
}
