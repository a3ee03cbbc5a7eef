//! What a case works with: the SDK, raw HTTP that checks `Request-Id` on every response, and
//! provisioning helpers that create fresh users, merchants and keys through the public API.

use anyhow::{Context as _, Result, anyhow, bail, ensure};
use kassa_sdk::types;
use reqwest::{Method, StatusCode};
use serde_json::Value;

#[derive(Clone)]
pub struct Ctx {
    pub base_url: String,
    http: reqwest::Client,
    /// Every answer this case received.
    pub seen: crate::seen::Seen,
    /// The first delay of the server's webhook retry schedule.
    pub webhook_first_retry: std::time::Duration,
    /// Whether the sandbox controls are checked (not `--skip sandbox`): a walk over the
    /// contract leaves their operations out otherwise.
    pub sandbox: bool,
}

/// A raw HTTP answer.
#[derive(Debug)]
pub struct Raw {
    pub status: StatusCode,
    pub headers: reqwest::header::HeaderMap,
    pub text: String,
}

impl Raw {
    pub fn json(&self) -> Result<Value> {
        serde_json::from_str(&self.text)
            .with_context(|| format!("{} body is not JSON: {:.200}", self.status, self.text))
    }

    /// Asserts the status and, for a body, the documented content type and JSON.
    pub fn expect_status(&self, status: u16) -> Result<Value> {
        ensure!(self.status.as_u16() == status, "expected {status}, got {}: {:.300}", self.status, self.text);
        if self.text.is_empty() {
            return Ok(Value::Null);
        }
        expect_json_media_type(&self.headers, status)?;
        self.json()
    }

    /// Asserts the documented error shape (API.md "Errors") with this status and code.
    pub fn expect_error(&self, status: u16, code: &str) -> Result<Value> {
        let body = self.expect_status(status)?;
        check_error_body(&body, status, Some(code), self.request_id())?;
        Ok(body)
    }

    /// [`Raw::expect_error`], naming `param` (API.md "Errors": the field or header at fault).
    pub fn expect_param(&self, status: u16, code: &str, param: &str) -> Result<Value> {
        let body = self.expect_error(status, code)?;
        let named = body["error"]["param"].as_str();
        ensure!(named == Some(param), "{code} should name param {param:?}, not {named:?}: {body}");
        Ok(body)
    }

    pub fn request_id(&self) -> Option<&str> {
        self.headers.get("request-id").and_then(|v| v.to_str().ok())
    }

    /// A header that holds a whole number (`Retry-After`, `RateLimit-Remaining`, …).
    pub fn number(&self, header: &str) -> Option<u64> {
        self.headers.get(header).and_then(|v| v.to_str().ok()).and_then(|v| v.trim().parse().ok())
    }
}

/// Every JSON answer says so: `Content-Type: application/json` (parameters aside).
fn expect_json_media_type(headers: &reqwest::header::HeaderMap, status: u16) -> Result<()> {
    let content_type = headers.get("content-type").and_then(|v| v.to_str().ok()).unwrap_or("");
    let media = content_type.split(';').next().unwrap_or_default().trim();
    ensure!(media.eq_ignore_ascii_case("application/json"), "a {status} body with Content-Type {content_type:?}");
    Ok(())
}

/// The error type API.md assigns to a status (and, where one status has two, to the code).
/// `409 clock_advancing` conflicts with the merchant's test clock, not with an idempotency key,
/// so it is `invalid_request_error`, as the contract's example shows.
fn error_type_for(status: u16, code: &str) -> &'static str {
    match (status, code) {
        (400, "idempotency_key_reused") => "idempotency_error",
        (400 | 404 | 405, _) | (409, "clock_advancing") => "invalid_request_error",
        (401, _) => "authentication_error",
        (402, _) => "card_error",
        (403, _) => "permission_error",
        (409, _) => "idempotency_error",
        (422, _) => "state_error",
        (429, _) => "rate_limit_error",
        _ => "api_error",
    }
}

/// Checks `{"error": {type, code, message, param?, request_id}}` against the status.
pub fn check_error_body(body: &Value, status: u16, code: Option<&str>, header_id: Option<&str>) -> Result<()> {
    let error = body.get("error").ok_or_else(|| anyhow!("error body has no `error` object: {body}"))?;
    let kind = error["type"].as_str().ok_or_else(|| anyhow!("error.type missing: {body}"))?;
    let actual = error["code"].as_str().ok_or_else(|| anyhow!("error.code missing: {body}"))?;
    let expected = error_type_for(status, actual);
    ensure!(kind == expected, "{status} {actual} with error.type {kind:?}, not {expected:?}");
    if let Some(code) = code {
        ensure!(actual == code, "expected error.code {code:?}, got {actual:?}: {body}");
    }
    ensure!(error["message"].as_str().is_some_and(|m| !m.is_empty()), "error.message missing: {body}");
    let id = error["request_id"].as_str().ok_or_else(|| anyhow!("error.request_id missing: {body}"))?;
    ensure!(Some(id) == header_id, "error.request_id {id:?} differs from the Request-Id header {header_id:?}");
    Ok(())
}

/// Checks a typed SDK error: the status, the code, and that the body carries a request id.
pub fn expect_sdk_error<T: std::fmt::Debug>(
    result: Result<kassa_sdk::ResponseValue<T>, kassa_sdk::Error<types::Error>>,
    status: u16,
    code: &str,
) -> Result<types::Error> {
    match result {
        Ok(ok) => bail!("expected {status} {code}, got {} {:?}", ok.status(), ok.into_inner()),
        Err(kassa_sdk::Error::ErrorResponse(response)) => {
            let got = response.status().as_u16();
            let header_id = response.headers().get("request-id").and_then(|v| v.to_str().ok()).map(str::to_owned);
            expect_json_media_type(response.headers(), got)?;
            let body = response.into_inner();
            ensure!(got == status, "expected {status} {code}, got {got} {}", body.error.code);
            ensure!(body.error.code == code, "expected error.code {code:?}, got {:?}", body.error.code);
            let kind = serde_json::to_value(body.error.type_)?;
            let expected = error_type_for(got, code);
            ensure!(kind == expected, "{got} {code} with error.type {kind}, not {expected:?}");
            ensure!(body.error.request_id.starts_with("req_"), "error.request_id {:?}", body.error.request_id);
            ensure!(
                header_id.as_deref() == Some(body.error.request_id.as_str()),
                "Request-Id header {header_id:?} differs from the body"
            );
            Ok(body)
        }
        Err(other) => bail!("expected {status} {code}, got {other}"),
    }
}

/// A user the suite registered and logged in.
pub struct User {
    pub id: String,
    pub email: String,
    pub password: String,
    pub token: String,
}

/// A merchant the suite created, with its owner.
pub struct Merchant {
    pub id: String,
    pub owner: User,
}

impl Ctx {
    pub fn new(base_url: &str, config: &crate::Config) -> Self {
        let http = reqwest::Client::builder()
            .timeout(std::time::Duration::from_secs(30))
            .build()
            .unwrap_or_else(|_| reqwest::Client::new());
        Self {
            base_url: base_url.to_owned(),
            http,
            seen: Default::default(),
            webhook_first_retry: config.webhook_first_retry.unwrap_or(crate::DOCUMENTED_FIRST_RETRY),
            sandbox: !config.skip.iter().any(|group| group == crate::SANDBOX),
        }
    }

    /// How every SDK client of the suite sends: each request exactly as a case makes it (no
    /// generated idempotency keys, no retries), so the suite judges every answer the server
    /// gives, and each answer recorded in `seen`.
    fn options(&self) -> kassa_sdk::Options {
        kassa_sdk::Options { observer: Some(self.seen.observer()), ..kassa_sdk::Options::exact() }
    }

    /// The SDK without credentials.
    pub fn sdk(&self) -> kassa_sdk::Client {
        kassa_sdk::Client::new_with_client(&self.base_url, self.http.clone(), self.options())
    }

    /// The SDK sending `Authorization: Bearer <token>`.
    pub fn sdk_as(&self, token: &str) -> Result<kassa_sdk::Client> {
        Ok(self.sdk_builder().bearer(token).build()?)
    }

    /// An SDK client to configure further (a member's `merchant`, say), sending as the others do.
    pub fn sdk_builder(&self) -> kassa_sdk::ClientBuilder {
        kassa_sdk::builder(&self.base_url).options(self.options())
    }

    /// A raw request; fails unless the answer carries a `Request-Id: req_…` header.
    pub async fn raw(&self, method: Method, path: &str, token: Option<&str>, body: Option<RawBody<'_>>) -> Result<Raw> {
        self.request(method, path, token, &[], body).await
    }

    /// A raw request of a user acting on `merchant` (API.md "Dashboard access"): the user's
    /// token with `Kassa-Merchant: <merchant>`.
    pub async fn as_member(
        &self,
        method: Method,
        path: &str,
        token: &str,
        merchant: &str,
        body: Option<&Value>,
    ) -> Result<Raw> {
        self.request(method, path, Some(token), &[("kassa-merchant", merchant)], body.map(RawBody::Json)).await
    }

    /// A raw request with more headers (`Kassa-Simulate`, `Idempotency-Key`).
    pub async fn with_headers(
        &self,
        method: Method,
        path: &str,
        token: Option<&str>,
        headers: &[(&str, &str)],
        body: Option<&Value>,
    ) -> Result<Raw> {
        self.request(method, path, token, headers, body.map(RawBody::Json)).await
    }

    /// A raw request with all a case may set: a bearer credential, headers, a body.
    pub async fn request(
        &self,
        method: Method,
        path: &str,
        token: Option<&str>,
        headers: &[(&str, &str)],
        body: Option<RawBody<'_>>,
    ) -> Result<Raw> {
        let mut request = self.http.request(method.clone(), format!("{}{path}", self.base_url));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        request = match body {
            None => request,
            Some(RawBody::Json(value)) => request.json(value),
            Some(RawBody::Text { content_type, text }) => {
                request.header("content-type", content_type).body(text.to_owned())
            }
        };
        self.send(request, &method, path).await
    }

    async fn send(&self, request: reqwest::RequestBuilder, method: &Method, path: &str) -> Result<Raw> {
        let response = request.send().await.with_context(|| format!("{method} {path}"))?;
        let raw = Raw { status: response.status(), headers: response.headers().clone(), text: response.text().await? };
        self.seen.record_raw(method.as_str(), path, raw.status.as_u16(), &raw.text);
        let id = raw.request_id().unwrap_or_default();
        ensure!(id.starts_with("req_"), "{method} {path} → {}: no `Request-Id: req_…` header", raw.status);
        Ok(raw)
    }

    /// A JSON POST with an `Idempotency-Key`.
    pub async fn post_idempotent(&self, path: &str, token: Option<&str>, key: &str, body: &Value) -> Result<Raw> {
        self.request(Method::POST, path, token, &[("idempotency-key", key)], Some(RawBody::Json(body))).await
    }

    pub async fn get(&self, path: &str, token: Option<&str>) -> Result<Raw> {
        self.raw(Method::GET, path, token, None).await
    }

    pub async fn post(&self, path: &str, token: Option<&str>, body: &Value) -> Result<Raw> {
        self.raw(Method::POST, path, token, Some(RawBody::Json(body))).await
    }

    /// Registers and logs in a fresh user through the SDK.
    pub async fn user(&self) -> Result<User> {
        let email = format!("conformance-{}@example.com", uuid::Uuid::new_v4().simple());
        let password = "conformance-pass-1".to_owned();
        let user = self
            .sdk()
            .register(&types::RegisterRequest {
                email: email.clone(),
                password: password.clone(),
                name: "Conformance".into(),
            })
            .await
            .context("registering a user")?;
        ensure!(user.status() == StatusCode::CREATED, "register answered {}", user.status());
        let token = self
            .sdk()
            .login(&types::LoginRequest { email: email.clone(), password: password.clone(), ..Default::default() })
            .await
            .context("logging in")?
            .into_inner()
            .access_token;
        Ok(User { id: user.into_inner().id.to_string(), email, password, token })
    }

    /// A fresh merchant owned by a fresh user.
    pub async fn merchant(&self) -> Result<Merchant> {
        let owner = self.user().await?;
        let merchant = self
            .sdk_as(&owner.token)?
            .create_merchant(&types::CreateMerchantRequest { name: "Conformance Books".into(), webhook_url: None })
            .await
            .context("creating a merchant")?
            .into_inner();
        Ok(Merchant { id: merchant.id.to_string(), owner })
    }

    /// A fresh user added to `merchant` with `role`.
    pub async fn member(&self, merchant: &Merchant, role: types::MemberRole) -> Result<User> {
        let user = self.user().await?;
        self.sdk_as(&merchant.owner.token)?
            .add_member(&merchant.id.parse()?, &types::AddMemberRequest { email: user.email.clone(), role })
            .await
            .context("adding a member")?;
        Ok(user)
    }

    /// A fresh secret API key of `merchant`: (key id, secret).
    pub async fn api_key(&self, merchant: &Merchant) -> Result<(String, String)> {
        let key = self
            .sdk_as(&merchant.owner.token)?
            .create_api_key(&merchant.id.parse()?, &types::CreateApiKeyRequest { name: "conformance".into() })
            .await
            .context("creating an API key")?
            .into_inner();
        Ok((key.id, key.key))
    }
}

/// A merchant ready to take payments: its owner, and a secret API key.
pub struct Shop {
    pub merchant: Merchant,
    pub key: String,
    pub sdk: kassa_sdk::Client,
}

impl Ctx {
    pub async fn shop(&self) -> Result<Shop> {
        let merchant = self.merchant().await?;
        let (_, key) = self.api_key(&merchant).await?;
        let sdk = self.sdk_as(&key)?;
        Ok(Shop { merchant, key, sdk })
    }
}

#[derive(Clone, Copy)]
pub enum RawBody<'a> {
    Json(&'a Value),
    Text { content_type: &'a str, text: &'a str },
}
