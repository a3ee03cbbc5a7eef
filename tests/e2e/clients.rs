//! The Python and TypeScript clients (`sdk-python/`, `sdk-typescript/`) as their users meet
//! them: strictly type-checked (`mypy --strict`, `tsc --strict`), their quick starts run
//! against a fresh `kassa serve`, and their webhook receivers accept a real delivery and refuse
//! a forged one. That regenerating them from the contract changes nothing is checked by
//! `cargo xtask test` itself (`cargo xtask sdk … --check`), which also installs their tools.

use std::path::Path;
use std::process::Command;

use kassa_testkit::Api;
use reqwest::StatusCode;
use serde_json::json;

use crate::harness::{Server, Watched, free_port, pinned_python, repo_root, succeeds, typescript_client_bin};

const VERIFIED: &str = "Verified payment: amount=1000 cents, status=succeeded";

#[tokio::test]
async fn the_python_client_type_checks_and_its_examples_run_against_a_real_server() {
    let Some(python) = pinned_python() else { return };
    let dir = repo_root().join("sdk-python");
    let cache = tempfile::tempdir().unwrap();
    let checked = succeeds(
        Command::new(&python)
            .args(["-m", "mypy", "--strict", "--cache-dir"])
            .arg(cache.path())
            .args(["kassa_client", "kassa_webhooks.py", "examples"])
            .current_dir(&dir),
        "mypy --strict",
    );
    assert!(checked.contains("Success: no issues found"), "{checked}");

    let server = Server::start(None).await;
    let python_in = |dir: &Path| {
        let mut command = Command::new(&python);
        command.current_dir(dir).env("PYTHONPATH", dir).env("KASSA_BASE_URL", &server.base_url);
        command
    };
    let out = succeeds(python_in(&dir).arg("examples/quickstart.py"), "the Python quick start");
    assert!(out.contains(VERIFIED), "{out}");

    receiver_trusts_only_signed_deliveries(&server, |secret, port| {
        let mut command = python_in(&dir);
        command.arg("examples/webhook_receiver.py").arg(port.to_string()).env("KASSA_WEBHOOK_SECRET", secret);
        command
    })
    .await;
}

#[tokio::test]
async fn the_typescript_client_type_checks_and_its_examples_run_against_a_real_server() {
    let Some(bin) = typescript_client_bin() else { return };
    let dir = repo_root().join("sdk-typescript");
    // tsconfig.json is strict; the build goes to sdk-typescript/dist, beside its node_modules.
    succeeds(Command::new(bin.join("tsc")).args(["-p", "."]).current_dir(&dir), "tsc --strict");

    let server = Server::start(None).await;
    let node_in = |dir: &Path| {
        let mut command = Command::new("node");
        command.current_dir(dir).env("KASSA_BASE_URL", &server.base_url);
        command
    };
    let out = succeeds(node_in(&dir).arg("dist/examples/quickstart.js"), "the TypeScript quick start");
    assert!(out.contains(VERIFIED), "{out}");

    receiver_trusts_only_signed_deliveries(&server, |secret, port| {
        let mut command = node_in(&dir);
        command.arg("dist/examples/webhook-receiver.js").arg(port.to_string()).env("KASSA_WEBHOOK_SECRET", secret);
        command
    })
    .await;
}

/// A merchant whose `webhook_url` is the receiver `receiver(secret, port)` starts: a payment's
/// deliveries are verified there, and a delivery with a wrong signature is answered 400.
async fn receiver_trusts_only_signed_deliveries(server: &Server, receiver: impl Fn(&str, u16) -> Command) {
    let api = Api::new(server.base_url.clone());
    let (_, _, token) = api.user().await;
    let port = free_port();
    let url = format!("http://127.0.0.1:{port}/");
    let created = api.post("/v1/merchants", Some(&token), json!({"name": "Hooked", "webhook_url": url})).await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    let merchant = created.body["id"].as_str().unwrap().to_owned();
    let secret = created.body["webhook_secret"].as_str().unwrap().to_owned();
    let (_, key) = api.api_key(&token, &merchant).await;

    let endpoint = Watched::spawn(receiver(&secret, port), "the webhook receiver");
    endpoint.line_with("Listening on").await;
    let intent = api.intent(&key, 1000, false).await;
    assert_eq!(api.pay(&intent, "4242424242424242").await.status, StatusCode::OK);
    let line = endpoint.line_with("payment_intent.succeeded").await;
    assert!(line.starts_with("Verified event evt_"), "{line}");

    // The same body again, signed with another secret: refused, and said why.
    let body = json!({"id": "evt_forged", "type": "payment_intent.succeeded", "data": {}}).to_string();
    let t = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs();
    let forged = reqwest::Client::new()
        .post(&url)
        .header("Kassa-Signature", format!("t={t},v1={}", "ab".repeat(32)))
        .body(body)
        .send()
        .await
        .unwrap();
    assert_eq!(forged.status(), StatusCode::BAD_REQUEST);
    endpoint.line_with("Refused delivery: no signature in Kassa-Signature matches the body").await;
    assert!(!endpoint.output().iter().any(|l| l.contains("evt_forged")), "{:?}", endpoint.output());
}

/// The public surface of the generated Python client, as a reviewer should see a change to it:
/// every operation's `sync` signature, and every model's fields.
#[test]
fn the_python_client_surface_is_as_reviewed() {
    let package = repo_root().join("sdk-python/kassa_client");
    let mut surface = String::new();
    for (module, source) in python_sources(&package.join("api"), "kassa_client.api") {
        let Some(start) = source.find("\ndef sync(") else { continue };
        let signature = &source[start + 1..];
        let end = signature.find(":\n").map_or(signature.len(), |end| end);
        surface += &format!("{module}.{}\n", one_line(&signature[4..end]));
    }
    surface += "\n";
    for (module, source) in python_sources(&package.join("models"), "kassa_client.models") {
        // Attributes (`    id: str`) and enum members (`    SUCCEEDED = "succeeded"`).
        let fields = source.lines().filter(|line| {
            let member = line
                .trim_start()
                .split(" = ")
                .next()
                .is_some_and(|n| n.bytes().all(|b| b.is_ascii_uppercase() || b == b'_'));
            line.starts_with("    ")
                && !line.starts_with("     ")
                && !line.contains('(')
                && (line.contains(": ") || (member && line.contains(" = ")))
        });
        for class in source.lines().filter_map(|line| line.strip_prefix("class ")) {
            surface += &format!("{module}.{}\n", class.trim_end_matches(':'));
        }
        for field in fields {
            surface += &format!("    {}\n", field.trim());
        }
    }
    insta::assert_snapshot!(surface);
}

/// The TypeScript client's surface: each operation by method and path, and each schema with
/// its fields (`?` for optional ones).
#[test]
fn the_typescript_client_surface_is_as_reviewed() {
    let schema = std::fs::read_to_string(repo_root().join("sdk-typescript/src/schema.d.ts")).unwrap();
    let block = |name: &str| {
        let start = schema.find(&format!("\nexport interface {name} {{")).expect(name);
        let rest = &schema[start + 1..];
        rest[..rest.find("\n}").unwrap()].lines().collect::<Vec<_>>()
    };
    let mut surface = String::new();
    let mut path = "";
    for line in block("paths") {
        if let Some(key) = line.strip_prefix("    \"").and_then(|l| l.strip_suffix("\": {")) {
            path = key;
        } else if let Some((method, operation)) =
            line.strip_prefix("        ").and_then(|l| l.split_once(": operations[\""))
            && !method.starts_with(' ')
        {
            surface += &format!("{} {path} {}\n", method.to_uppercase(), operation.trim_end_matches("\"];"));
        }
    }
    surface += "\n";
    for line in block("components") {
        let comment = line.trim_start().starts_with(['/', '*']);
        if let Some(name) = line.strip_prefix("        ").filter(|l| !l.starts_with(' ') && !comment) {
            surface += &format!("{}\n", name.split(':').next().unwrap());
        } else if let Some(field) = line.strip_prefix("            ").filter(|l| !l.starts_with(' ') && !comment) {
            surface += &format!("    {}\n", field.split(':').next().unwrap());
        }
    }
    insta::assert_snapshot!(surface);
}

/// `(module name, source)` of every `.py` file under `dir`, by module name.
fn python_sources(dir: &Path, module: &str) -> Vec<(String, String)> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap().map(Result::unwrap) {
        let name = entry.file_name().to_string_lossy().into_owned();
        if entry.file_type().unwrap().is_dir() {
            if name != "__pycache__" {
                found.extend(python_sources(&entry.path(), &format!("{module}.{name}")));
            }
        } else if let Some(stem) = name.strip_suffix(".py").filter(|stem| *stem != "__init__") {
            found.push((format!("{module}.{stem}"), std::fs::read_to_string(entry.path()).unwrap()));
        }
    }
    found.sort();
    found
}

fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ").replace("( ", "(").replace(", )", ")").replace(",)", ")")
}
