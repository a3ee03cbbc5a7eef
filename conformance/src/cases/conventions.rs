//! API.md "Conventions" and "Errors": shared behaviour of every endpoint.

use std::time::{Duration, Instant};

use anyhow::{Result, anyhow, ensure};
use reqwest::Method;
use serde_json::{Value, json};

use super::case;
use crate::Case;
use crate::ctx::{Ctx, Raw, RawBody, Shop};
use crate::seen::{OPERATIONS, Operation};

pub fn cases() -> Vec<Case> {
    vec![
        case!("conventions: every response carries a distinct Request-Id: req_…", [], request_ids),
        case!(
            "conventions: unknown routes and methods answer in the error shape, never plain text",
            [],
            unknown_routes
        ),
        case!("conventions: GET /openapi.json serves the contract", [], serves_the_contract),
        case!(
            "conventions: every operation answers each 401 and 400 code it documents for a credential, a body, a query parameter, Kassa-Merchant, a cursor and a reused Idempotency-Key",
            [],
            every_operation_judges_credentials_and_bodies
        ),
        case!(
            waits "conventions: a user token asked to live 1 s is 401 token_expired once it has, on every operation that takes a user token; 400 for a lifetime over the hour",
            [("login", 200), ("login", 400)],
            expired_tokens
        ),
    ]
}

async fn request_ids(cx: Ctx) -> Result<()> {
    let mut seen = std::collections::HashSet::new();
    for path in ["/v1/auth/me", "/v1/merchants", "/v1/events", "/healthz"] {
        let raw = cx.get(path, None).await?; // `raw` itself fails without a req_ id
        ensure!(seen.insert(raw.request_id().unwrap_or_default().to_owned()), "a request id repeats");
    }
    Ok(())
}

async fn unknown_routes(cx: Ctx) -> Result<()> {
    let raw = cx.get("/v1/no-such-resource", None).await?;
    ensure!(raw.status == 404, "status {}", raw.status);
    crate::ctx::check_error_body(&raw.json()?, 404, None, raw.request_id())?;
    let raw = cx.raw(Method::PUT, "/v1/auth/me", None, None).await?;
    ensure!(raw.status.is_client_error(), "status {}", raw.status);
    crate::ctx::check_error_body(&raw.json()?, raw.status.as_u16(), None, raw.request_id())?;
    Ok(())
}

async fn serves_the_contract(cx: Ctx) -> Result<()> {
    let raw = cx.get("/openapi.json", None).await?;
    let served = raw.expect_status(200)?;
    ensure!(
        served["paths"] == crate::CONTRACT_JSON["paths"],
        "the served contract's paths differ from openapi/kassa.json"
    );
    Ok(())
}

/// What the walks send every operation: a fresh shop's real objects in its path (so that an
/// answer judges what the walk varies and nothing else), and the credential that gets it past
/// authentication.
struct Fixture {
    shop: Shop,
    intent: String,
    client_secret: String,
    event: String,
}

impl Fixture {
    async fn new(cx: &Ctx) -> Result<Self> {
        let shop = cx.shop().await?;
        let intent = shop.sdk.create_payment_intent(&super::payments::new_intent(1000, false)).await?.into_inner();
        let events = shop.sdk.list_events(None, Some(&intent.id), None, None).await?.into_inner().data;
        let event = events.first().ok_or_else(|| anyhow!("creating {} recorded no event", intent.id))?.id.clone();
        let client_secret = super::payments::secret(&intent)?.to_owned();
        Ok(Self { intent: intent.id, client_secret, event, shop })
    }

    /// The operation's path with its parameters filled in; a checkout read carries its secret.
    fn target(&self, op: &Operation) -> String {
        let path = op
            .path
            .replace("{merchant_id}", &self.shop.merchant.id)
            .replace("{payment_intent_id}", &self.intent)
            .replace("{user_id}", &self.shop.merchant.owner.id)
            .replace("{key_id}", "key_000000000000000000000000")
            .replace("{charge_id}", "ch_000000000000000000000000")
            .replace("{event_id}", &self.event);
        if op.parameter("query", "client_secret").is_some() {
            format!("{path}?client_secret={}", self.client_secret)
        } else {
            path
        }
    }

    /// An API key where the operation takes one, else a user token where it takes one.
    fn credential(&self, op: &Operation) -> Option<&str> {
        if op.takes("api_key") {
            Some(&self.shop.key)
        } else if op.takes("user_token") {
            Some(&self.shop.merchant.owner.token)
        } else {
            None
        }
    }

    /// A JSON body the operation refuses for its unknown field `no_such_field` (`n` tells two
    /// apart), with the client secret where that is the credential.
    fn unknown_field(&self, op: &Operation, n: u8) -> Value {
        let mut body = json!({"no_such_field": n});
        if op.takes("client_secret") {
            body["client_secret"] = json!(self.client_secret);
        }
        body
    }
}

/// The operations a walk calls: all of the contract's, but the sandbox controls' when the
/// sandbox group is skipped (a production implementation need not have them).
fn walked(cx: &Ctx) -> impl Iterator<Item = &'static Operation> {
    let sandbox = cx.sandbox;
    OPERATIONS.iter().filter(move |op| sandbox || !op.tags.iter().any(|tag| tag == crate::SANDBOX_TAG))
}

/// The refusal `code` with `status`, naming `param` where one is given, or the context of who
/// was refused what.
fn refused(raw: &Raw, status: u16, code: &str, param: Option<&str>, op: &Operation, what: &str) -> Result<()> {
    let checked = match param {
        Some(param) => raw.expect_param(status, code, param),
        None => raw.expect_error(status, code),
    };
    checked.map(drop).map_err(|err| err.context(format!("{} ({} {}) {what}", op.id, op.method, op.path)))
}

/// Walks the contract. Each operation is called as its documented codes say it refuses:
/// - 401: no credential, an unknown API key, a token that is no token;
/// - a JSON body: one that is not JSON, one not declared JSON, one with an unknown field, and an
///   empty object where the body has a required field;
/// - no body: an unknown query parameter;
/// - a user token on a merchant's objects: no `Kassa-Merchant`, and one that is no merchant id;
/// - a list: a `starting_after` of the right form that names nothing;
/// - an `Idempotency-Key`: the same key again with another body.
///
/// Each only where the operation documents the code; the error's `param` where API.md names it.
async fn every_operation_judges_credentials_and_bodies(cx: Ctx) -> Result<()> {
    let fixture = Fixture::new(&cx).await?;
    for op in walked(&cx) {
        let probe = Probe { cx: &cx, fixture: &fixture, op, method: op.method.parse()?, target: fixture.target(op) };
        probe.credentials().await?;
        probe.body_or_query().await?;
        probe.merchant_header().await?;
        probe.cursor().await?;
    }
    // Last: a first request without a body runs for real (a void voids, a reset resets).
    reused_keys(&cx, &fixture).await
}

/// One operation of the walk, as the fixture fills in its path.
struct Probe<'a> {
    cx: &'a Ctx,
    fixture: &'a Fixture,
    op: &'static Operation,
    method: Method,
    target: String,
}

impl Probe<'_> {
    /// No credential, an unknown API key and a non-token: each 401 code the operation documents.
    async fn credentials(&self) -> Result<()> {
        for (code, credential) in [
            ("missing_credentials", None),
            ("invalid_api_key", Some("sk_test_0000000000000000000000000000")),
            ("invalid_token", Some("not.a.token")),
        ] {
            if self.op.documents(401, code) {
                let answer = self.cx.raw(self.method.clone(), &self.target, credential, None).await?;
                refused(&answer, 401, code, None, self.op, &format!("with credential {credential:?}"))?;
            }
        }
        Ok(())
    }

    /// Bodies that are not JSON, not declared JSON, with an unknown field or lacking a required
    /// one; or, for an operation without a body, an unknown query parameter.
    async fn body_or_query(&self) -> Result<()> {
        let (op, credential) = (self.op, self.fixture.credential(self.op));
        let (unknown, empty) = (json!({"no_such_field": 1}), json!({}));
        let Some(body) = &op.body else {
            if op.documents(400, "unknown_parameter") {
                let joint = if self.target.contains('?') { '&' } else { '?' };
                let target = format!("{}{joint}no_such_parameter=1", self.target);
                let answer = self.cx.raw(self.method.clone(), &target, credential, None).await?;
                refused(&answer, 400, "unknown_parameter", Some("no_such_parameter"), op, "for a query parameter")?;
            }
            return Ok(());
        };
        let bodies = [
            ("invalid_json", RawBody::Text { content_type: "application/json", text: "{\"amount\": " }),
            ("invalid_content_type", RawBody::Text { content_type: "text/plain", text: "amount=1000" }),
            ("unknown_parameter", RawBody::Json(&unknown)),
            ("parameter_missing", RawBody::Json(&empty)),
        ];
        for (code, sent) in bodies {
            // An empty object lacks a field only where the body has a required one.
            if op.documents(400, code) && (code != "parameter_missing" || body.requires_a_field) {
                let answer = self.cx.raw(self.method.clone(), &self.target, credential, Some(sent)).await?;
                refused(&answer, 400, code, None, op, "for its body")?;
            }
        }
        Ok(())
    }

    /// A user token without `Kassa-Merchant`, and with one that names no merchant.
    async fn merchant_header(&self) -> Result<()> {
        let op = self.op;
        if op.parameter("header", "Kassa-Merchant").is_none() || !op.takes("user_token") {
            return Ok(());
        }
        let empty = json!({});
        let body = op.body.as_ref().map(|_| RawBody::Json(&empty));
        let token = Some(self.fixture.shop.merchant.owner.token.as_str());
        for (code, headers) in
            [("parameter_missing", &[][..]), ("parameter_invalid", &[("kassa-merchant", "no-merchant")][..])]
        {
            if op.documents(400, code) {
                let answer = self.cx.request(self.method.clone(), &self.target, token, headers, body).await?;
                refused(&answer, 400, code, Some("Kassa-Merchant"), op, &format!("as a user with {headers:?}"))?;
            }
        }
        Ok(())
    }

    /// A well-formed `starting_after` that names nothing.
    async fn cursor(&self) -> Result<()> {
        let op = self.op;
        let Some(cursor) =
            op.parameter("query", "starting_after").filter(|_| op.documents(400, "invalid_starting_after"))
        else {
            return Ok(());
        };
        let unknown = cursor.unknown_id().ok_or_else(|| anyhow!("{}: starting_after has no id form", op.id))?;
        let target = format!("{}?starting_after={unknown}", self.target);
        let answer = self.cx.raw(self.method.clone(), &target, self.fixture.credential(op), None).await?;
        refused(&answer, 400, "invalid_starting_after", Some("starting_after"), op, &format!("after {unknown}"))
    }
}

/// The same `Idempotency-Key` sent again with another body, on every operation that takes one.
async fn reused_keys(cx: &Ctx, fixture: &Fixture) -> Result<()> {
    for op in walked(cx).filter(|op| op.parameter("header", "Idempotency-Key").is_some()) {
        if !op.documents(400, "idempotency_key_reused") {
            continue;
        }
        let (target, credential) = (fixture.target(op), fixture.credential(op));
        let key = format!("conformance-{}", uuid::Uuid::new_v4());
        let headers = [("idempotency-key", key.as_str())];
        let (first, second) = match op.body {
            Some(_) => (Some(fixture.unknown_field(op, 1)), fixture.unknown_field(op, 2)),
            None => (None, json!({})),
        };
        let first = cx.request(Method::POST, &target, credential, &headers, first.as_ref().map(RawBody::Json)).await?;
        ensure!(first.status.as_u16() < 500, "{}: {} {:.300}", op.id, first.status, first.text);
        let again = cx.request(Method::POST, &target, credential, &headers, Some(RawBody::Json(&second))).await?;
        refused(&again, 400, "idempotency_key_reused", None, op, "for a key sent again with another body")?;
    }
    Ok(())
}

/// Waits out a one-second token, as a client would (a server may allow its clocks some leeway),
/// then sends it everywhere a user token goes.
async fn expired_tokens(cx: Ctx) -> Result<()> {
    let fixture = Fixture::new(&cx).await?;
    let (owner, cx) = (&fixture.shop.merchant.owner, &cx);
    let login = |expires_in: i64| {
        let body = json!({"email": owner.email, "password": owner.password, "expires_in": expires_in});
        async move { cx.post("/v1/auth/login", None, &body).await }
    };
    login(3601).await?.expect_param(400, "parameter_invalid", "expires_in")?;
    let issued = login(1).await?.expect_status(200)?;
    ensure!(issued["expires_in"] == 1, "asked for 1 s, got {issued}");
    let token = issued["access_token"].as_str().ok_or_else(|| anyhow!("no access_token: {issued}"))?;
    let deadline = Instant::now() + Duration::from_secs(15);
    loop {
        let me = cx.get("/v1/auth/me", Some(token)).await?;
        if me.status.as_u16() != 200 {
            me.expect_error(401, "token_expired")?;
            break;
        }
        ensure!(Instant::now() < deadline, "a token of 1 s still works after 15 s");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    for op in walked(cx).filter(|op| op.documents(401, "token_expired")) {
        let answer = cx.raw(op.method.parse()?, &fixture.target(op), Some(token), None).await?;
        refused(&answer, 401, "token_expired", None, op, "with an expired token")?;
    }
    Ok(())
}
