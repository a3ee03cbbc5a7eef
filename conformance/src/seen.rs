//! What the suite saw: every answer a case received, as the (operationId, status, error code)
//! it was, whether it came through the SDK (its observer) or raw HTTP (matched to its operation
//! by the contract's paths). Coverage is measured from these, never from what a case declares.

use std::collections::BTreeSet;
use std::sync::{Arc, LazyLock, Mutex};

use serde_json::Value;

use crate::CONTRACT;

/// One answer: the operation, the status, and for an error its `code`.
pub type Answer = (String, u16, Option<String>);

/// The answers one case received.
#[derive(Clone, Default)]
pub struct Seen(Arc<Mutex<BTreeSet<Answer>>>);

impl Seen {
    pub fn record(&self, operation: &str, status: u16, code: Option<&str>) {
        if let Ok(mut seen) = self.0.lock() {
            seen.insert((operation.to_owned(), status, code.map(str::to_owned)));
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
        self.record(operation, status, code.as_deref());
    }

    pub fn answers(&self) -> BTreeSet<Answer> {
        self.0.lock().map(|seen| seen.clone()).unwrap_or_default()
    }

    /// What the SDK's clients tell of each answer they receive.
    pub fn observer(&self) -> kassa_sdk::Observer {
        let seen = self.clone();
        kassa_sdk::Observer(Arc::new(move |answer| {
            seen.record(answer.operation_id, answer.status.as_u16(), answer.code)
        }))
    }
}

/// The contract's operations: method, path segments (`None` for a `{parameter}`), operationId.
type Route = (String, Vec<Option<String>>, String);

static ROUTES: LazyLock<Vec<Route>> = LazyLock::new(|| {
    let contract: Value = serde_json::from_str(CONTRACT).unwrap_or(Value::Null);
    let mut routes = Vec::new();
    for (path, item) in contract["paths"].as_object().into_iter().flatten() {
        let segments: Vec<Option<String>> =
            path.split('/').map(|s| (!s.starts_with('{')).then(|| s.to_owned())).collect();
        for (method, operation) in item.as_object().into_iter().flatten() {
            if let Some(id) = operation["operationId"].as_str() {
                routes.push((method.to_uppercase(), segments.clone(), id.to_owned()));
            }
        }
    }
    routes
});

/// The operation `method path` (query aside) is, preferring the route with the most fixed
/// segments when templates overlap.
fn operation_of(method: &str, path: &str) -> Option<&'static str> {
    let path = path.split('?').next().unwrap_or(path);
    let segments: Vec<&str> = path.split('/').collect();
    ROUTES
        .iter()
        .filter(|(m, route, _)| {
            m == method
                && route.len() == segments.len()
                && route.iter().zip(&segments).all(|(r, s)| match r {
                    Some(fixed) => fixed == s,
                    None => !s.is_empty(),
                })
        })
        .max_by_key(|(_, route, _)| route.iter().filter(|r| r.is_some()).count())
        .map(|(_, _, id)| id.as_str())
}

/// The contract's numeric responses but 500, of the operations not tagged with one of
/// `skip_tags`: (operationId, status, the names of its examples). A 500 cannot be provoked from
/// outside a correct server, and the `4XX`/`5XX` ranges name what any operation may answer, so
/// both are left out.
pub fn documented_responses(skip_tags: &[&str]) -> Vec<(String, u16, Vec<String>)> {
    let contract: Value = serde_json::from_str(CONTRACT).unwrap_or(Value::Null);
    let mut responses = Vec::new();
    for item in contract["paths"].as_object().into_iter().flat_map(|paths| paths.values()) {
        for operation in item.as_object().into_iter().flat_map(|ops| ops.values()) {
            let Some(id) = operation["operationId"].as_str() else { continue };
            let mut tags = operation["tags"].as_array().into_iter().flatten().filter_map(Value::as_str);
            if tags.any(|tag| skip_tags.contains(&tag)) {
                continue;
            }
            for (status, response) in operation["responses"].as_object().into_iter().flatten() {
                let Ok(status) = status.parse::<u16>() else { continue };
                if status == 500 {
                    continue;
                }
                let examples = response["content"]["application/json"]["examples"].as_object();
                let names = examples.into_iter().flat_map(|examples| examples.keys().cloned()).collect();
                responses.push((id.to_owned(), status, names));
            }
        }
    }
    responses
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
