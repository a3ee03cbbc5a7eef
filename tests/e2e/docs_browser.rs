//! `/docs` in a real browser: headless Chromium, with every host but loopback unresolvable,
//! renders the API reference from `/openapi.json` — so it works offline and loads nothing from
//! elsewhere.

use std::process::Command;

use crate::harness::Server;

/// Debian's Chromium, if installed. `KASSA_REQUIRE_BROWSER=1` (set by CI) makes its absence a
/// failure; otherwise the test says loudly that it skipped.
fn chromium() -> Option<&'static str> {
    let found =
        ["/usr/bin/chromium", "/usr/bin/chromium-browser"].into_iter().find(|p| std::path::Path::new(p).exists());
    if found.is_none() {
        assert!(
            std::env::var("KASSA_REQUIRE_BROWSER").as_deref() != Ok("1"),
            "KASSA_REQUIRE_BROWSER=1 but no chromium"
        );
        eprintln!("SKIPPED: browser test (apt-get install chromium)");
    }
    found
}

#[tokio::test]
async fn the_docs_render_every_operation_offline_in_a_real_browser() {
    let Some(chromium) = chromium() else { return };
    let server = Server::start(None).await;
    let profile = tempfile::tempdir().unwrap();
    let url = format!("{}/docs/", server.base_url);
    let output = tokio::task::spawn_blocking(move || {
        Command::new(chromium)
            .args([
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                // Nothing but loopback resolves: an external asset could not load.
                "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1",
                "--virtual-time-budget=10000",
                "--dump-dom",
            ])
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
