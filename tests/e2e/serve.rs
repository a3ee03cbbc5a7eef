//! API.md "Running it": `kassa serve` defaults, replicas on one PostgreSQL, graceful shutdown.

use std::process::Command;

use crate::harness::{Server, kassa_bin, postgres_database};

/// `kassa serve` with no flags and no KASSA_* variables listens on 127.0.0.1:4242 and creates
/// `kassa.db` in its working directory.
#[tokio::test]
async fn serve_with_no_configuration_listens_on_4242_with_kassa_db() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("kassa.db");
    assert!(
        std::net::TcpListener::bind("127.0.0.1:4242").is_ok(),
        "port 4242 is taken on this machine: stop whatever listens there to run this test"
    );
    let mut command = Command::new(kassa_bin());
    command.arg("serve").current_dir(dir.path());
    for (name, _) in std::env::vars().filter(|(name, _)| name.starts_with("KASSA_")) {
        command.env_remove(name);
    }
    let mut server = Server::spawn(command, dir, "http://127.0.0.1:4242").await;
    assert!(db.exists(), "kassa.db was not created in the working directory");
    let docs = reqwest::get("http://127.0.0.1:4242/docs/").await.unwrap();
    assert_eq!(docs.status(), 200);
    // A new sandbox says where a newcomer starts, and the dashboard is there.
    let log = server.log_text();
    assert!(log.contains("open http://127.0.0.1:4242/dashboard to sign up"), "{log}");
    assert_eq!(reqwest::get("http://127.0.0.1:4242/dashboard").await.unwrap().status(), 200);
    assert!(server.terminate(), "kassa did not exit cleanly on SIGTERM:\n{}", server.log_text());
}

/// Once somebody has signed up, the welcome is not repeated.
#[tokio::test]
async fn the_welcome_line_is_for_an_empty_sandbox_only() {
    let server = Server::start(None).await;
    assert!(server.log_text().contains("to sign up, create a merchant"), "{}", server.log_text());
    kassa_testkit::Api::new(&server.base_url).register().await;
    let dir = server.stop_keeping_data();
    let again = Server::start_in(dir, None).await;
    let log = again.log_text();
    assert!(log.contains("kassa is serving") && !log.contains("to sign up"), "only an empty sandbox says it: {log}");
}

#[tokio::test]
async fn sigterm_finishes_cleanly_and_says_so() {
    let mut server = Server::start(None).await;
    let _ = server.pid();
    reqwest::get(format!("{}/healthz", server.base_url)).await.unwrap();
    assert!(server.terminate(), "kassa did not exit 0 on SIGTERM:\n{}", server.log_text());
    let log = server.log_text();
    assert!(log.contains("shutting down") && log.contains("kassa stopped"), "{log}");
}

/// A SQLite database belongs to one process: a second `kassa serve` on the file fails at once,
/// in one line that names the file and points to PostgreSQL, and the first keeps serving.
#[tokio::test]
async fn a_second_serve_on_a_sqlite_file_in_use_fails_at_once_in_one_line() {
    let server = Server::start(None).await;
    let db = server.database_path();
    let output = Command::new(kassa_bin())
        .args(["serve", "--listen", &format!("127.0.0.1:{}", crate::harness::free_port())])
        .args(["--database-url", &format!("sqlite://{}", db.display())])
        .output()
        .expect("kassa runs");
    assert!(!output.status.success(), "a second kassa serve on {} started", db.display());
    let stderr = String::from_utf8_lossy(&output.stderr);
    let lines: Vec<&str> = stderr.lines().filter(|l| !l.trim().is_empty()).collect();
    assert_eq!(lines.len(), 1, "{stderr}");
    assert!(lines[0].contains(&db.display().to_string()) && lines[0].contains("postgres://"), "{stderr}");
    assert_eq!(reqwest::get(format!("{}/readyz", server.base_url)).await.unwrap().status(), 200);
}

/// Two `kassa serve` processes on one PostgreSQL database act as one service: a user made on
/// one logs in on the other, whose token the first accepts (the JWT secret lives in the DB).
#[tokio::test]
async fn replicas_on_one_postgres_database_share_users_and_tokens() {
    let Some(url) = postgres_database().await else { return };
    let a = Server::start(Some(&url)).await;
    let b = Server::start(Some(&url)).await;
    let register = serde_json::json!({"email": "grace@example.com", "password": "correct-horse-42", "name": "Grace"});
    let http = reqwest::Client::new();
    let created = http.post(format!("{}/v1/auth/register", a.base_url)).json(&register).send().await.unwrap();
    assert_eq!(created.status(), 201);
    let login = serde_json::json!({"email": "grace@example.com", "password": "correct-horse-42"});
    let token: serde_json::Value =
        http.post(format!("{}/v1/auth/login", b.base_url)).json(&login).send().await.unwrap().json().await.unwrap();
    let token = token["access_token"].as_str().unwrap();
    let me = http.get(format!("{}/v1/auth/me", a.base_url)).bearer_auth(token).send().await.unwrap();
    assert_eq!(me.status(), 200);
}

/// Two `kassa serve` on one PostgreSQL database share the outbox: in a healthy run each event
/// reaches the receiver exactly once, whichever replica's worker claimed it.
#[tokio::test]
async fn replicas_on_one_postgres_deliver_each_event_exactly_once() {
    use wiremock::matchers::method;
    use wiremock::{Mock, MockServer, ResponseTemplate};
    let Some(url) = postgres_database().await else { return };
    let a = Server::start(Some(&url)).await;
    let b = Server::start(Some(&url)).await;
    let receiver = MockServer::start().await;
    Mock::given(method("POST")).respond_with(ResponseTemplate::new(200)).mount(&receiver).await;
    let (api_a, api_b) = (kassa_testkit::Api::new(a.base_url.clone()), kassa_testkit::Api::new(b.base_url.clone()));
    let (_, _, token) = api_a.user().await;
    let created = api_a
        .post("/v1/merchants", Some(&token), serde_json::json!({"name": "Two", "webhook_url": receiver.uri()}))
        .await;
    let (_, key) = api_a.api_key(&token, created.body["id"].as_str().unwrap()).await;
    for i in 0..30 {
        let api = if i % 2 == 0 { &api_a } else { &api_b };
        let intent = api.intent(&key, 1000 + i, false).await;
        assert_eq!(api.pay(&intent, "4242424242424242").await.status, 200);
    }
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    while receiver.received_requests().await.unwrap_or_default().len() < 60 && std::time::Instant::now() < deadline {
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    // Time for a second delivery of anything, were one to happen.
    tokio::time::sleep(std::time::Duration::from_millis(1500)).await;
    let mut ids: Vec<String> = receiver
        .received_requests()
        .await
        .unwrap_or_default()
        .iter()
        .map(|r| serde_json::from_slice::<serde_json::Value>(&r.body).unwrap()["id"].as_str().unwrap().to_owned())
        .collect();
    let received = ids.len();
    ids.sort();
    ids.dedup();
    assert_eq!((received, ids.len()), (60, 60), "60 events, each delivered once");
}
