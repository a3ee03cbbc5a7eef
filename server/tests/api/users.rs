//! API.md "Users" and "Authentication" for user access tokens.

use jsonwebtoken::{Algorithm, EncodingKey, Header};
use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::{JWT_SECRET, TestApp, assert_error};

crate::on_both_backends!(
    register_returns_201_with_the_user,
    registering_a_taken_email_in_any_case_is_400_email_taken,
    weak_passwords_are_400_weak_password,
    malformed_emails_are_400_invalid_email,
    unreadable_register_bodies_are_400_in_the_error_shape,
    login_returns_a_bearer_token_for_one_hour,
    login_may_ask_for_a_shorter_lived_token,
    unknown_email_and_wrong_password_get_the_same_401,
    me_returns_the_user_of_the_token,
    me_refuses_missing_malformed_forged_and_expired_tokens_with_401,
    replicas_without_a_configured_secret_share_the_one_kept_in_the_database,
);

async fn register_returns_201_with_the_user(app: TestApp) {
    let reply = app
        .post(
            "/v1/auth/register",
            None,
            json!({"email": " Ada@Example.com ", "password": "correct-horse-42", "name": "Ada"}),
        )
        .await;
    assert_eq!(reply.status, StatusCode::CREATED);
    assert_eq!(reply.body["email"], "ada@example.com");
    assert_eq!(reply.body["name"], "Ada");
    assert!(uuid::Uuid::parse_str(reply.body["id"].as_str().unwrap()).is_ok());
    assert!(reply.body["created_at"].as_str().unwrap().ends_with('Z'));
    assert!(reply.body.get("password").is_none() && reply.body.get("password_hash").is_none());
}

async fn registering_a_taken_email_in_any_case_is_400_email_taken(app: TestApp) {
    let (_, email) = app.register().await;
    let reply = app
        .post(
            "/v1/auth/register",
            None,
            json!({"email": email.to_uppercase(), "password": "another-pass-9", "name": "B"}),
        )
        .await;
    assert_error(&reply, StatusCode::BAD_REQUEST, "email_taken");
    assert_eq!(reply.body["error"]["param"], "email");
}

async fn weak_passwords_are_400_weak_password(app: TestApp) {
    for password in ["short1", "no-digits-here", "1234567890"] {
        let reply = app
            .post("/v1/auth/register", None, json!({"email": "weak@example.com", "password": password, "name": "W"}))
            .await;
        assert_error(&reply, StatusCode::BAD_REQUEST, "weak_password");
        assert_eq!(reply.body["error"]["param"], "password");
    }
}

async fn malformed_emails_are_400_invalid_email(app: TestApp) {
    for email in ["", "ada", "ada@", "@example.com", "ada@example"] {
        let reply = app
            .post("/v1/auth/register", None, json!({"email": email, "password": "correct-horse-42", "name": "A"}))
            .await;
        assert_error(&reply, StatusCode::BAD_REQUEST, "invalid_email");
    }
}

async fn unreadable_register_bodies_are_400_in_the_error_shape(app: TestApp) {
    let url = app.url("/v1/auth/register");
    let cases = [
        (app.http.post(&url).header("content-type", "application/json").body("{\"email\":"), "invalid_json", None),
        (app.http.post(&url).header("content-type", "application/json").body(""), "invalid_json", None),
        // Cut short after an unknown field: still not JSON, whatever the fields say.
        (app.http.post(&url).header("content-type", "application/json").body("{\"amount\": "), "invalid_json", None),
        (app.http.post(&url).header("content-type", "text/plain").body("{}"), "invalid_content_type", None),
        (app.http.post(&url).body("{}"), "invalid_content_type", None),
        (
            app.http.post(&url).json(&json!({"email": "a@b.co", "password": "correct-horse-42"})),
            "parameter_missing",
            Some("name"),
        ),
        (
            app.http
                .post(&url)
                .json(&json!({"email": "a@b.co", "password": "correct-horse-42", "name": "A", "admin": true})),
            "unknown_parameter",
            Some("admin"),
        ),
        (
            app.http.post(&url).json(&json!({"email": 5, "password": "correct-horse-42", "name": "A"})),
            "parameter_invalid",
            Some("email"),
        ),
        (app.http.post(&url).json(&json!([1, 2])), "parameter_invalid", Some("body")),
    ];
    for (request, code, param) in cases {
        let reply = app.send(request).await;
        assert_error(&reply, StatusCode::BAD_REQUEST, code);
        if let Some(param) = param {
            assert_eq!(reply.body["error"]["param"], param);
        }
    }
}

async fn login_returns_a_bearer_token_for_one_hour(app: TestApp) {
    let (_, email) = app.register().await;
    let reply = app.post("/v1/auth/login", None, json!({"email": email, "password": "correct-horse-42"})).await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(reply.body["token_type"], "Bearer");
    assert_eq!(reply.body["expires_in"], 3600);
    let token = reply.body["access_token"].as_str().unwrap();
    assert_eq!(token.split('.').count(), 3, "a JWT");
}

/// The claims of a token the server issued (its signature is the server's business).
fn claims_of(token: &str) -> serde_json::Value {
    use base64::Engine;
    let payload = token.split('.').nth(1).unwrap();
    serde_json::from_slice(&base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(payload).unwrap()).unwrap()
}

async fn login_may_ask_for_a_shorter_lived_token(app: TestApp) {
    let (_, email) = app.register().await;
    let login = |expires_in: serde_json::Value| {
        app.post(
            "/v1/auth/login",
            None,
            json!({"email": email, "password": "correct-horse-42", "expires_in": expires_in}),
        )
    };
    let reply = login(json!(60)).await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(reply.body["expires_in"], 60);
    let claims = claims_of(reply.body["access_token"].as_str().unwrap());
    assert_eq!(claims["exp"].as_i64().unwrap() - claims["iat"].as_i64().unwrap(), 60);
    let token = reply.body["access_token"].as_str().unwrap();
    assert_eq!(app.get("/v1/auth/me", Some(token)).await.status, StatusCode::OK);
    // The default, spelled out, is the hour; longer, or nothing at all, is refused.
    assert_eq!(login(json!(3600)).await.body["expires_in"], 3600);
    for bad in [json!(0), json!(-5), json!(3601), json!("60")] {
        let reply = login(bad.clone()).await;
        assert_error(&reply, StatusCode::BAD_REQUEST, "parameter_invalid");
        assert_eq!(reply.body["error"]["param"], "expires_in", "for {bad}");
    }
}

async fn unknown_email_and_wrong_password_get_the_same_401(app: TestApp) {
    let (_, email) = app.register().await;
    let wrong = app.post("/v1/auth/login", None, json!({"email": email, "password": "wrong-password-1"})).await;
    let unknown =
        app.post("/v1/auth/login", None, json!({"email": "nobody@example.com", "password": "wrong-password-1"})).await;
    assert_error(&wrong, StatusCode::UNAUTHORIZED, "invalid_credentials");
    assert_error(&unknown, StatusCode::UNAUTHORIZED, "invalid_credentials");
    let strip = |mut body: serde_json::Value| {
        body["error"]["request_id"] = json!(null);
        body
    };
    assert_eq!(strip(wrong.body), strip(unknown.body));
}

async fn me_returns_the_user_of_the_token(app: TestApp) {
    let (id, email, token) = app.user().await;
    let reply = app.get("/v1/auth/me", Some(&token)).await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(reply.body["id"], id.as_str());
    assert_eq!(reply.body["email"], email.as_str());
}

fn sign(claims: serde_json::Value, secret: &str, alg: Algorithm) -> String {
    jsonwebtoken::encode(&Header::new(alg), &claims, &EncodingKey::from_secret(secret.as_bytes())).unwrap()
}

async fn me_refuses_missing_malformed_forged_and_expired_tokens_with_401(app: TestApp) {
    let (id, _, token) = app.user().await;
    let now = chrono::Utc::now().timestamp();
    let b64 = |v: serde_json::Value| {
        use base64::Engine;
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(v.to_string())
    };
    let claims = json!({"sub": id, "iat": now, "exp": now + 3600});
    let alg_none = format!("{}.{}.", b64(json!({"alg": "none", "typ": "JWT"})), b64(claims.clone()));
    let (head, rest) = token.split_once('.').unwrap();
    let (_, sig) = rest.split_once('.').unwrap();
    let tampered = format!("{head}.{}.{sig}", b64(json!({"sub": uuid::Uuid::new_v4(), "iat": now, "exp": now + 3600})));
    let cases = [
        (None, "missing_credentials"),
        (Some("not-a-jwt".to_owned()), "invalid_token"),
        (Some(alg_none), "invalid_token"),
        (Some(tampered), "invalid_token"),
        (Some(sign(claims.clone(), "some-other-secret-some-other-secret", Algorithm::HS256)), "invalid_token"),
        (Some(sign(claims.clone(), JWT_SECRET, Algorithm::HS512)), "invalid_token"),
        (
            Some(sign(json!({"sub": id, "iat": now - 7300, "exp": now - 3700}), JWT_SECRET, Algorithm::HS256)),
            "token_expired",
        ),
        // Well signed, but for a user that does not exist.
        (
            Some(sign(json!({"sub": uuid::Uuid::new_v4(), "iat": now, "exp": now + 60}), JWT_SECRET, Algorithm::HS256)),
            "invalid_token",
        ),
    ];
    for (token, code) in cases {
        let reply = app.get("/v1/auth/me", token.as_deref()).await;
        assert_error(&reply, StatusCode::UNAUTHORIZED, code);
    }
    // A valid token signed with the server's secret is accepted: the cases above fail for
    // their flaw, not for the test's signing.
    let good = sign(claims, JWT_SECRET, Algorithm::HS256);
    assert_eq!(app.get("/v1/auth/me", Some(&good)).await.status, StatusCode::OK);
    // An API key is the wrong kind of credential for a user endpoint.
    let (owner, merchant) = app.owner().await;
    let (_, key) = app.api_key(&owner, &merchant).await;
    assert_error(&app.get("/v1/auth/me", Some(&key)).await, StatusCode::UNAUTHORIZED, "invalid_token");
}

async fn replicas_without_a_configured_secret_share_the_one_kept_in_the_database(app: TestApp) {
    // Processes side by side on PostgreSQL, one after the other on SQLite (one per file).
    let first = app.next_process(None).await;
    let (_, email) = first.register().await;
    let token = first.login(&email).await;
    let second = first.next_process(None).await;
    assert_eq!(second.get("/v1/auth/me", Some(&token)).await.status, StatusCode::OK);
    // …and that secret is not the configured one, so the check above is not vacuous.
    let configured = second.next_process(Some(crate::helpers::JWT_SECRET)).await;
    assert_error(&configured.get("/v1/auth/me", Some(&token)).await, StatusCode::UNAUTHORIZED, "invalid_token");
}
