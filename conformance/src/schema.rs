//! Whole answers judged against the contract: each body must match the JSON Schema of its
//! operation's documented response (required fields, types, enums, formats), and where the
//! caller is a browser or nobody (an operation without a bearer credential, or any 401) it may
//! carry nothing beyond the documented fields, so that it cannot leak what it should not.

use std::collections::HashMap;
use std::sync::{Arc, LazyLock, Mutex};

use serde_json::{Value, json};

use crate::CONTRACT_JSON;
use crate::seen::Operation;

/// The validators built so far, by operation and status (`None`: no JSON schema to judge by).
type Validators = HashMap<(&'static str, u16), Option<Arc<jsonschema::Validator>>>;
static VALIDATORS: LazyLock<Mutex<Validators>> = LazyLock::new(Default::default);

/// Whether the answers of `op` with `status` go to a browser or to nobody.
fn closed(op: &Operation, status: u16) -> bool {
    status == 401 || (!op.takes("api_key") && !op.takes("user_token"))
}

/// Every object schema of `value` that lists its properties and says nothing of others refuses
/// others.
fn close(value: &mut Value) {
    match value {
        Value::Object(map) => {
            if map.contains_key("properties") && !map.contains_key("additionalProperties") {
                map.insert("additionalProperties".into(), Value::Bool(false));
            }
            map.values_mut().for_each(close);
        }
        Value::Array(items) => items.iter_mut().for_each(close),
        _ => {}
    }
}

fn validator(op: &'static Operation, status: u16) -> Result<Option<Arc<jsonschema::Validator>>, String> {
    let key = (op.id.as_str(), status);
    if let Some(built) = VALIDATORS.lock().ok().and_then(|v| v.get(&key).cloned()) {
        return Ok(built);
    }
    let built = match op.schema(status) {
        None => None,
        Some(Value::Object(schema)) => {
            let mut components = CONTRACT_JSON["components"].clone();
            if closed(op, status) {
                close(&mut components);
            }
            let mut root = json!({"$schema": "https://json-schema.org/draft/2020-12/schema", "components": components});
            if let Value::Object(root) = &mut root {
                root.extend(schema.clone());
            }
            let validator = jsonschema::options()
                .with_draft(jsonschema::Draft::Draft202012)
                .should_validate_formats(true)
                .build(&root)
                .map_err(|err| format!("the contract's schema for {} {status} does not build: {err}", op.id))?;
            Some(Arc::new(validator))
        }
        Some(other) => return Err(format!("the contract's schema for {} {status} is no object: {other}", op.id)),
    };
    if let Ok(mut validators) = VALIDATORS.lock() {
        validators.insert(key, built.clone());
    }
    Ok(built)
}

/// What is wrong with `body` as the answer `status` of `operation`, if anything. A status the
/// contract gives no JSON schema for (an empty 204, say) is judged elsewhere.
pub fn check(operation: &str, status: u16, body: &[u8]) -> Result<(), String> {
    let Some(op) = Operation::named(operation) else { return Ok(()) };
    let Some(validator) = validator(op, status)? else { return Ok(()) };
    let value: Value =
        serde_json::from_slice(body).map_err(|err| format!("{operation} {status}: the body is not JSON ({err})"))?;
    let errors: Vec<String> = validator
        .iter_errors(&value)
        .take(5)
        .map(|err| format!("at {:?}: {err}", err.instance_path().as_str()))
        .collect();
    if errors.is_empty() {
        Ok(())
    } else {
        let closed = if closed(op, status) { " (nothing beyond the documented fields)" } else { "" };
        Err(format!("{operation} {status} does not match the contract{closed}: {}", errors.join("; ")))
    }
}

#[cfg(test)]
mod tests {
    use super::check;

    const USER: &str = r#"{"id": "7f1d2b9e-3c4a-4e5f-8a6b-9c0d1e2f3a4b", "email": "ada@example.com", "name": "Ada", "created_at": "2026-12-02T10:00:00Z"}"#;

    #[test]
    fn a_body_must_have_the_documented_fields_and_types() {
        assert_eq!(check("get_me", 200, USER.as_bytes()), Ok(()));
        let missing = check("get_me", 200, br#"{"id": "7f1d2b9e-3c4a-4e5f-8a6b-9c0d1e2f3a4b"}"#).unwrap_err();
        assert!(missing.contains("email"), "{missing}");
        let mistyped = USER.replace(r#""name": "Ada""#, r#""name": 7"#);
        assert!(check("get_me", 200, mistyped.as_bytes()).is_err());
        let not_a_time = USER.replace("2026-12-02T10:00:00Z", "yesterday");
        assert!(check("get_me", 200, not_a_time.as_bytes()).is_err(), "formats are checked");
    }

    #[test]
    fn only_answers_to_browsers_and_strangers_are_closed() {
        // A member's own view may grow a field; a login answer or a 401 may not.
        let more = USER.replace(r#""name": "Ada""#, r#""name": "Ada", "plan": "pro""#);
        assert_eq!(check("get_me", 200, more.as_bytes()), Ok(()));
        let token = r#"{"access_token": "a.b.c", "token_type": "Bearer", "expires_in": 3600"#;
        assert_eq!(check("login", 200, format!("{token}}}").as_bytes()), Ok(()));
        assert!(check("login", 200, format!(r#"{token}, "user_id": "u"}}"#).as_bytes()).is_err());
        let refusal = r#"{"error": {"type": "authentication_error", "code": "missing_credentials", "message": "m", "param": null, "request_id": "req_1""#;
        assert_eq!(check("get_me", 401, format!("{refusal}}}}}").as_bytes()), Ok(()));
        assert!(check("get_me", 401, format!(r#"{refusal}, "user": "ada@example.com"}}}}"#).as_bytes()).is_err());
    }
}
