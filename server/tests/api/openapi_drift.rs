//! The contract stays honest: `openapi/kassa.json` is exactly what the code generates.

#[test]
fn checked_in_openapi_matches_the_code() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../openapi/kassa.json");
    let checked_in = std::fs::read_to_string(path).expect("openapi/kassa.json is checked in");
    let generated = kassa_server::openapi::render();
    if checked_in != generated {
        let first_difference = checked_in
            .lines()
            .zip(generated.lines())
            .enumerate()
            .find(|(_, (a, b))| a != b)
            .map(|(i, (a, b))| format!("line {}:\n  checked in: {a}\n  generated:  {b}", i + 1))
            .unwrap_or_else(|| "one file is a prefix of the other".into());
        panic!(
            "openapi/kassa.json differs from what the server code generates ({first_difference}).\n\
             If the code change is intended, run `cargo xtask openapi` and commit the file; \
             never edit it by hand."
        );
    }
}

#[test]
fn every_operation_is_documented_for_sdk_generation() {
    let document: serde_json::Value = serde_json::from_str(&kassa_server::openapi::render()).unwrap();
    let mut ids = std::collections::HashSet::new();
    for (path, item) in document["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            let id = op["operationId"].as_str().unwrap_or_else(|| panic!("{method} {path}: no operationId"));
            assert!(ids.insert(id.to_owned()), "duplicate operationId {id}");
            for field in ["summary", "description"] {
                assert!(op[field].as_str().is_some_and(|s| !s.is_empty()), "{id}: no {field}");
            }
            assert!(op.get("security").is_some(), "{id}: no security requirement");
            if let Some(body) = op.get("requestBody") {
                let json = &body["content"]["application/json"];
                let examples = json["examples"].as_object().is_some_and(|named| !named.is_empty());
                assert!(json.get("example").is_some() || examples, "{id}: no request example");
            }
            let responses = op["responses"].as_object().unwrap();
            let successes: Vec<_> = responses.keys().filter(|s| s.starts_with('2')).collect();
            assert_eq!(successes.len(), 1, "{id}: one success response, found {successes:?}");
            for (status, response) in responses {
                if !status.starts_with('2') {
                    assert_eq!(
                        response["content"]["application/json"]["schema"]["$ref"], "#/components/schemas/Error",
                        "{id} {status}: every error uses the Error schema"
                    );
                }
                assert!(response["headers"].get("Request-Id").is_some(), "{id} {status}: Request-Id undocumented");
            }
        }
    }
}

/// Every error response names its codes as examples that tools can read, each the body the
/// server answers with: the example's name is its `code`, with the status its key allows.
#[test]
fn every_error_response_names_each_of_its_codes_as_an_example() {
    let document: serde_json::Value = serde_json::from_str(&kassa_server::openapi::render()).unwrap();
    let codes: Vec<String> =
        kassa_server::error::ApiError::examples(None).iter().map(|e| e.body("").1.error.code).collect();
    let mut named = 0;
    for item in document["paths"].as_object().unwrap().values() {
        for op in item.as_object().unwrap().values() {
            let id = op["operationId"].as_str().unwrap();
            for (status, response) in op["responses"].as_object().unwrap() {
                if status.starts_with('2') {
                    continue;
                }
                let examples = response["content"]["application/json"]["examples"].as_object();
                let examples = examples.unwrap_or_else(|| panic!("{id} {status}: no named error examples"));
                assert!(!examples.is_empty(), "{id} {status}: no named error examples");
                let description = response["description"].as_str().unwrap();
                // A code the prose names is an example, or the status it is under is wrong.
                for code in codes.iter().filter(|code| description.contains(&format!("{code}`"))) {
                    assert!(examples.contains_key(code), "{id} {status}: `{code}` has no example (wrong status?)");
                }
                for (code, example) in examples {
                    let error = &example["value"]["error"];
                    assert_eq!(error["code"], code.as_str(), "{id} {status}: example {code}");
                    assert!(description.contains(&format!("`{code}`")) || description.contains(&format!(" {code}`")));
                    assert!(error["type"].is_string() && error["message"].is_string(), "{id} {status} {code}");
                    assert_eq!(error["request_id"], "req_4Xo3yOJaFQwqnqEcbmV5BMb2");
                    named += 1;
                }
            }
        }
    }
    assert!(named > 300, "only {named} named error examples");
}
