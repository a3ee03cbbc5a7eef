//! `/docs` in a real browser: headless Chromium, with every host but loopback unresolvable,
//! renders the API reference from `/openapi.json` — so it works offline and loads nothing from
//! elsewhere.

use crate::harness::Server;

#[tokio::test]
async fn the_docs_render_every_operation_offline_in_a_real_browser() {
    if !crate::browser::available(false) {
        return;
    }
    let server = Server::start(None).await;
    let profile = tempfile::tempdir().unwrap();
    let url = format!("{}/docs/", server.base_url);
    let output = tokio::task::spawn_blocking(move || {
        crate::browser::chromium()
            .args(["--virtual-time-budget=10000", "--dump-dom"])
            .arg(format!("--user-data-dir={}", profile.path().display()))
            .arg(url)
            .output()
    })
    .await
    .unwrap()
    .expect("chromium runs");
    let dom = String::from_utf8_lossy(&output.stdout);
    assert!(dom.contains("Kassa API"), "the reference did not render:\n{dom:.2000}");
    let contract: serde_json::Value = serde_json::from_str(kassa_conformance::CONTRACT).unwrap();
    for path in contract["paths"].as_object().unwrap().keys() {
        assert!(dom.contains(path.as_str()), "{path} is missing from the rendered reference");
    }
    // The page fetched the contract from this server.
    assert!(server.log_text().contains("path=\"/openapi.json\""), "{}", server.log_text());
}
