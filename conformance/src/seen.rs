//! What the suite saw: every answer a case received, as the (operationId, status, error code)
//! it was, whether it came through the SDK (its observer) or raw HTTP (matched to its operation
//! by the contract's paths). Coverage is measured from these, never from what a case declares.
//! Each body is also judged against its documented schema (`crate::schema`); what does not
//! match fails the case.

use std::collections::BTreeSet;
use std::sync::{Arc, LazyLock, Mutex};

use serde_json::Value;

use crate::CONTRACT_JSON;

/// One answer: the operation, the status, and for an error its `code`.
pub type Answer = (String, u16, Option<String>);

/// The answers one case received, and what was wrong with their bodies.
#[derive(Clone, Default)]
pub struct Seen {
    answers: Arc<Mutex<BTreeSet<Answer>>>,
    violations: Arc<Mutex<Vec<String>>>,
}

impl Seen {
    /// An answer of `operation`: recorded, and its body (when it has one) judged.
    pub fn record(&self, operation: &str, status: u16, code: Option<&str>, body: &[u8]) {
        if let Ok(mut answers) = self.answers.lock() {
            answers.insert((operation.to_owned(), status, code.map(str::to_owned)));
        }
        if body.is_empty() {
            return;
        }
        if let Err(violation) = crate::schema::check(operation, status, body) {
            self.violate(violation);
        }
    }

    /// A raw answer to `method path`, when the path is one of the contract's.
    pub fn record_raw(&self, method: &str, path: &str, status: u16, body: &str) {
        let Some(operation) = operation_of(method, path) else { return };
        let code = if status >= 400 {
            serde_json::from_str::<Value>(body).ok().and_then(|b| b["error"]["code"].as_str().map(str::to_owned))
        } else {
            None
        };
        self.record(operation, status, code.as_deref(), body.as_bytes());
    }

    pub fn answers(&self) -> BTreeSet<Answer> {
        self.answers.lock().map(|seen| seen.clone()).unwrap_or_default()
    }

    /// The bodies that did not match the contract, each with why.
    pub fn violations(&self) -> Vec<String> {
        self.violations.lock().map(|v| v.clone()).unwrap_or_default()
    }

    /// What the SDK's clients tell of each answer they receive (a raw answer's `Request-Id` is
    /// checked where it is sent).
    pub fn observer(&self) -> kassa_sdk::Observer {
        let seen = self.clone();
        kassa_sdk::Observer(Arc::new(move |answer| {
            let (operation, status) = (answer.operation_id, answer.status.as_u16());
            if !answer.request_id.is_some_and(|id| id.starts_with("req_")) {
                seen.violate(format!("{operation} {status} came without a `Request-Id: req_…` header"));
            }
            seen.record(operation, status, answer.code, answer.body)
        }))
    }

    fn violate(&self, violation: String) {
        if let Ok(mut violations) = self.violations.lock() {
            violations.push(violation);
        }
    }
}

/// One operation of the contract, as the suite reads it.
pub struct Operation {
    pub id: String,
    /// `GET`, `POST`, …
    pub method: String,
    /// The template, `/v1/payment-intents/{payment_intent_id}`.
    pub path: String,
    pub tags: Vec<String>,
    /// The names of the security schemes that may authenticate it (`api_key`, `user_token`, …).
    pub schemes: Vec<String>,
    pub parameters: Vec<Parameter>,
    /// Whether it takes a JSON body, and whether that body has a required field.
    pub body: Option<Body>,
    /// Its numeric responses: status, and the names of its examples (an error's codes).
    pub responses: Vec<(u16, Vec<String>)>,
    /// The JSON schema of each response that has one, by its key (`200`, `4XX`).
    pub schemas: Vec<(String, Value)>,
}

pub struct Body {
    pub requires_a_field: bool,
}

pub struct Parameter {
    /// `path`, `query` or `header`.
    pub location: String,
    pub name: String,
    pub schema: Value,
}

impl Parameter {
    /// A value its schema accepts that names no object: a fresh UUID for `format: uuid`, the
    /// prefix and 24 zeros for an id pattern like `^pi_[0-9A-Za-z]{24,64}$`.
    pub fn unknown_id(&self) -> Option<String> {
        if self.schema["format"] == "uuid" {
            return Some(uuid::Uuid::new_v4().to_string());
        }
        let pattern = self.schema["pattern"].as_str()?;
        let prefix = pattern.strip_prefix('^')?.strip_suffix("[0-9A-Za-z]{24,64}$")?;
        Some(format!("{prefix}{}", "0".repeat(24)))
    }
}

impl Operation {
    pub fn parameter(&self, location: &str, name: &str) -> Option<&Parameter> {
        self.parameters.iter().find(|p| p.location == location && p.name.eq_ignore_ascii_case(name))
    }

    /// The schema of the answer `status`: its own, or its range's (`4XX`).
    pub fn schema(&self, status: u16) -> Option<&Value> {
        let (exact, range) = (status.to_string(), format!("{}XX", status / 100));
        let of = |key: &str| self.schemas.iter().find(|(k, _)| k == key).map(|(_, schema)| schema);
        of(&exact).or_else(|| of(&range))
    }

    /// The operation called `id`.
    pub fn named(id: &str) -> Option<&'static Operation> {
        OPERATIONS.iter().find(|op| op.id == id)
    }

    pub fn takes(&self, scheme: &str) -> bool {
        self.schemes.iter().any(|s| s == scheme)
    }

    /// Whether the response `status` names `code` among its examples.
    pub fn documents(&self, status: u16, code: &str) -> bool {
        self.responses.iter().any(|(s, codes)| *s == status && codes.iter().any(|c| c == code))
    }
}

/// Every operation of [`CONTRACT`], in the contract's order.
pub static OPERATIONS: LazyLock<Vec<Operation>> = LazyLock::new(|| {
    let contract = &*CONTRACT_JSON;
    let strings = |value: &Value| -> Vec<String> {
        value.as_array().into_iter().flatten().filter_map(Value::as_str).map(str::to_owned).collect()
    };
    let mut operations = Vec::new();
    for (path, item) in contract["paths"].as_object().into_iter().flatten() {
        for (method, operation) in item.as_object().into_iter().flatten() {
            let Some(id) = operation["operationId"].as_str() else { continue };
            let schemes = operation["security"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(Value::as_object)
                .flat_map(|requirement| requirement.keys().cloned())
                .collect();
            let parameters = operation["parameters"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|p| {
                    let (location, name) = (p["in"].as_str()?.to_owned(), p["name"].as_str()?.to_owned());
                    Some(Parameter { location, name, schema: p["schema"].clone() })
                })
                .collect();
            let body = operation.get("requestBody").map(|body| {
                let schema = body["content"]["application/json"]["schema"]["$ref"].as_str();
                let name = schema.and_then(|r| r.rsplit('/').next()).unwrap_or_default();
                let required = contract["components"]["schemas"][name]["required"].as_array();
                Body { requires_a_field: required.is_some_and(|r| !r.is_empty()) }
            });
            let responses = operation["responses"]
                .as_object()
                .into_iter()
                .flatten()
                .filter_map(|(status, response)| {
                    let examples = response["content"]["application/json"]["examples"].as_object();
                    Some((status.parse().ok()?, examples.into_iter().flat_map(|e| e.keys().cloned()).collect()))
                })
                .collect();
            let schemas = operation["responses"]
                .as_object()
                .into_iter()
                .flatten()
                .filter_map(|(status, response)| {
                    Some((
                        status.clone(),
                        response["content"]["application/json"]["schema"].as_object()?.clone().into(),
                    ))
                })
                .collect();
            operations.push(Operation {
                id: id.to_owned(),
                method: method.to_uppercase(),
                path: path.clone(),
                tags: strings(&operation["tags"]),
                schemes,
                parameters,
                body,
                responses,
                schemas,
            });
        }
    }
    operations
});

/// The operation `method path` (query aside) is, preferring the route with the most fixed
/// segments when templates overlap.
fn operation_of(method: &str, path: &str) -> Option<&'static str> {
    let path = path.split('?').next().unwrap_or(path);
    let segments: Vec<&str> = path.split('/').collect();
    let fixed = |template: &str| template.split('/').filter(|s| !s.starts_with('{')).count();
    OPERATIONS
        .iter()
        .filter(|op| {
            let route: Vec<&str> = op.path.split('/').collect();
            op.method == method
                && route.len() == segments.len()
                && route.iter().zip(&segments).all(|(r, s)| if r.starts_with('{') { !s.is_empty() } else { r == s })
        })
        .max_by_key(|op| fixed(&op.path))
        .map(|op| op.id.as_str())
}

/// The contract's numeric responses but 500, of the operations not tagged with one of
/// `skip_tags`: (operationId, status, the names of its examples). A 500 cannot be provoked from
/// outside a correct server, and the `4XX`/`5XX` ranges name what any operation may answer, so
/// both are left out.
pub fn documented_responses(skip_tags: &[&str]) -> Vec<(String, u16, Vec<String>)> {
    OPERATIONS
        .iter()
        .filter(|op| !op.tags.iter().any(|tag| skip_tags.contains(&tag.as_str())))
        .flat_map(|op| {
            op.responses
                .iter()
                .filter(|(status, _)| *status != 500)
                .map(|(status, names)| (op.id.clone(), *status, names.clone()))
        })
        .collect()
}

/// Every answer the contract documents: each success, and each error code named on each error
/// response (the responses' named examples).
pub fn documented(skip_tags: &[&str]) -> BTreeSet<Answer> {
    let mut documented = BTreeSet::new();
    for (id, status, names) in documented_responses(skip_tags) {
        if status < 400 {
            documented.insert((id.clone(), status, None));
        }
        documented.extend(names.into_iter().map(|name| (id.clone(), status, Some(name))));
    }
    documented
}

#[cfg(test)]
mod tests {
    use super::operation_of;

    #[test]
    fn raw_paths_are_matched_to_their_operations() {
        assert_eq!(operation_of("GET", "/v1/payment-intents/pi_123?x=1"), Some("get_payment_intent"));
        assert_eq!(operation_of("POST", "/v1/payment-intents/pi_123/capture"), Some("capture_payment_intent"));
        assert_eq!(operation_of("GET", "/v1/test-helpers/clock"), Some("get_clock"));
        assert_eq!(operation_of("GET", "/v1/payment-intents/"), None);
        assert_eq!(operation_of("GET", "/checkout/pi_1"), None);
    }
}
