//! The contract as the field's tools read it. Redocly's linter (recommended rules) and OpenAPI
//! Generator's validator find no error in `openapi/kassa.json`; Schemathesis, fuzzing a live
//! `kassa serve` from it in every phase with every check, finds no failure, once with an API
//! key and once with a member's user token. Its exceptions, each with its reason, are in
//! `tests/schemathesis/`. The tools are pinned in `tests/python/requirements.lock` and
//! `tests/node/package-lock.json`, and `cargo xtask test` installs them.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use kassa_testkit::Api;
use serde_json::json;

use crate::harness::{Server, pinned_node_bin, pinned_python, repo_root};

/// A script the pinned venv installed beside its interpreter.
fn venv_script(python: &Path, name: &str) -> PathBuf {
    python.parent().expect("a venv's python lives in its bin folder").join(name)
}

fn contract() -> PathBuf {
    repo_root().join("openapi/kassa.json")
}

fn said(output: &Output) -> String {
    format!("{}{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr))
}

#[test]
fn redocly_lint_with_the_recommended_rules_finds_no_error() {
    let Some(bin) = pinned_node_bin() else { return };
    let output = Command::new(bin.join("redocly"))
        .args(["lint", "--extends", "recommended", "--format", "stylish"])
        .arg(contract())
        .env("REDOCLY_TELEMETRY", "off")
        .env("REDOCLY_SUPPRESS_UPDATE_NOTICE", "true")
        .output()
        .expect("running redocly");
    assert!(output.status.success(), "redocly lint found errors:\n{}", said(&output));
}

#[test]
fn openapi_generator_validates_the_contract() {
    let Some(python) = pinned_python() else { return };
    let output = Command::new(venv_script(&python, "openapi-generator-cli"))
        .args(["validate", "-i"])
        .arg(contract())
        .output()
        .expect("running openapi-generator-cli (it needs a Java runtime)");
    let text = said(&output);
    assert!(output.status.success() && text.contains("No validation issues detected"), "{text}");
}

/// Runs Schemathesis against `server` with these credentials; every phase, every check.
fn schemathesis(python: &Path, server: &Server, headers: &[String]) -> (bool, String) {
    let dir = repo_root().join("tests/schemathesis");
    // Schemathesis keeps a cache in its working directory: a scratch one, not the repository.
    let scratch = tempfile::tempdir().expect("a scratch directory");
    let mut command = Command::new(venv_script(python, "schemathesis"));
    command
        .current_dir(scratch.path())
        .arg("--config-file")
        .arg(dir.join("schemathesis.toml"))
        .args(["--no-color", "run"])
        .arg(contract())
        .args(["--url", &server.base_url, "--checks", "all", "--max-examples", "25", "--generation-deterministic"])
        .args(["--phases", "examples,coverage,fuzzing,stateful"])
        // The test runs beside the others on two cores: a slow answer is not a failure here
        // (speed lives in `cargo xtask bench`), and the long polls are capped at 1 s (hooks.py).
        .args(["--request-timeout", "30"])
        .env("SCHEMATHESIS_HOOKS", "hooks")
        .env("PYTHONPATH", &dir);
    for header in headers {
        command.args(["-H", header]);
    }
    let output = command.output().expect("running schemathesis");
    (output.status.success(), said(&output))
}

#[tokio::test(flavor = "multi_thread")]
async fn schemathesis_finds_no_failure_with_an_api_key_or_a_user_token() {
    let Some(python) = pinned_python() else { return };
    // Fuzzing makes thousands of requests: the limits would answer most of them 429.
    let flags = ["--auth-limit-per-email", "0", "--auth-limit-per-address", "0", "--api-key-limit", "0"];
    let server = Server::start_with(tempfile::tempdir().unwrap(), None, &flags).await;
    let api = Api::new(server.base_url.clone());
    let (_, _, token) = api.user().await;
    let merchant = api.post("/v1/merchants", Some(&token), json!({"name": "Fuzzed"})).await;
    let merchant = merchant.body["id"].as_str().unwrap().to_owned();
    let (_, key) = api.api_key(&token, &merchant).await;

    let runs = [
        ("an API key", vec![format!("Authorization: Bearer {key}")]),
        ("a user token", vec![format!("Authorization: Bearer {token}"), format!("Kassa-Merchant: {merchant}")]),
    ];
    for (credential, headers) in runs {
        let (passed, text) = schemathesis(&python, &server, &headers);
        assert!(passed, "Schemathesis with {credential} found failures:\n{text}");
        assert!(!text.contains("Network Error"), "Schemathesis with {credential}:\n{text}");
    }
}
