//! A real browser for the tests: Debian's headless Chromium, driven over the WebDriver protocol
//! (plain JSON over HTTP to `chromedriver`), with every host but loopback unresolvable.

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::harness::free_port;

const CHROMIUM: &str = "/usr/bin/chromium";
const CHROMEDRIVER: &str = "/usr/bin/chromedriver";

/// The flags every headless Chromium here runs with.
pub const FLAGS: [&str; 9] = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    // Nothing but loopback resolves: a page that needed anything from elsewhere would break.
    "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1",
];

/// Whether the browser is installed; `KASSA_REQUIRE_BROWSER=1` (set by CI) makes its absence a
/// failure, otherwise the caller skips, loudly.
pub fn available(needs_driver: bool) -> bool {
    let found =
        std::path::Path::new(CHROMIUM).exists() && (!needs_driver || std::path::Path::new(CHROMEDRIVER).exists());
    if !found {
        assert!(
            std::env::var("KASSA_REQUIRE_BROWSER").as_deref() != Ok("1"),
            "KASSA_REQUIRE_BROWSER=1 but {CHROMIUM} or {CHROMEDRIVER} is missing"
        );
        eprintln!("SKIPPED: browser test (apt-get install chromium chromium-driver)");
    }
    found
}

pub fn chromium() -> Command {
    let mut command = Command::new(CHROMIUM);
    command.args(FLAGS);
    command
}

pub struct Browser {
    driver: Child,
    base: String,
    session: String,
    http: reqwest::Client,
    _profile: tempfile::TempDir,
}

impl Browser {
    pub async fn start() -> Self {
        let port = free_port();
        let driver = Command::new(CHROMEDRIVER)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver starts");
        let base = format!("http://127.0.0.1:{port}");
        let http = reqwest::Client::new();
        let deadline = Instant::now() + Duration::from_secs(20);
        while http.get(format!("{base}/status")).send().await.is_err() {
            assert!(Instant::now() < deadline, "chromedriver did not start");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        let profile = tempfile::tempdir().unwrap();
        let mut args: Vec<String> = FLAGS.iter().map(|f| f.to_string()).collect();
        args.push(format!("--user-data-dir={}", profile.path().display()));
        let capabilities = json!({"capabilities": {"alwaysMatch": {
            "browserName": "chrome",
            "goog:chromeOptions": {"binary": CHROMIUM, "args": args},
        }}});
        let created: Value =
            http.post(format!("{base}/session")).json(&capabilities).send().await.unwrap().json().await.unwrap();
        let session =
            created["value"]["sessionId"].as_str().unwrap_or_else(|| panic!("no session: {created}")).to_owned();
        Self { driver, base, session, http, _profile: profile }
    }

    async fn call(&self, method: reqwest::Method, path: &str, body: Option<Value>) -> Value {
        let url = format!("{}/session/{}{path}", self.base, self.session);
        let mut request = self.http.request(method, url);
        if let Some(body) = body {
            request = request.json(&body);
        }
        let reply: Value = request.send().await.unwrap().json().await.unwrap();
        reply["value"].clone()
    }

    pub async fn goto(&self, url: &str) {
        self.call(reqwest::Method::POST, "/url", Some(json!({"url": url}))).await;
    }

    /// Reloads the page (going to the same URL with a `#fragment` would not).
    pub async fn reload(&self) {
        self.call(reqwest::Method::POST, "/refresh", Some(json!({}))).await;
    }

    /// Makes the page's `confirm()` dialogs answer yes, as a person clicking OK.
    pub async fn accept_confirms(&self) {
        self.execute("window.confirm = () => true; return true").await;
    }

    pub async fn url(&self) -> String {
        self.call(reqwest::Method::GET, "/url", None).await.as_str().unwrap_or_default().to_owned()
    }

    async fn element(&self, css: &str) -> Option<String> {
        let found =
            self.call(reqwest::Method::POST, "/element", Some(json!({"using": "css selector", "value": css}))).await;
        found.as_object()?.values().next()?.as_str().map(str::to_owned)
    }

    /// The visible text of the first element matching `css`, or "" if there is none.
    pub async fn text(&self, css: &str) -> String {
        match self.element(css).await {
            Some(id) => self
                .call(reqwest::Method::GET, &format!("/element/{id}/text"), None)
                .await
                .as_str()
                .unwrap_or_default()
                .to_owned(),
            None => String::new(),
        }
    }

    /// Replaces the content of the input matching `css` with `text`.
    pub async fn fill(&self, css: &str, text: &str) {
        let id = self.element(css).await.unwrap_or_else(|| panic!("no {css}"));
        self.call(reqwest::Method::POST, &format!("/element/{id}/clear"), Some(json!({}))).await;
        self.call(reqwest::Method::POST, &format!("/element/{id}/value"), Some(json!({"text": text}))).await;
    }

    pub async fn click(&self, css: &str) {
        let id = self.element(css).await.unwrap_or_else(|| panic!("no {css}"));
        self.call(reqwest::Method::POST, &format!("/element/{id}/click"), Some(json!({}))).await;
    }

    /// On the hosted checkout: fills the card form with `number` (any name, a future expiry,
    /// a CVC) and presses Pay.
    pub async fn pay_at_checkout(&self, number: &str) {
        self.fill("#number", number).await;
        self.fill("#name", "Ada Lovelace").await;
        self.fill("#expiry", "12/34").await;
        self.fill("#cvc", "123").await;
        self.click("#submit").await;
    }

    /// How many elements match `css`.
    pub async fn count(&self, css: &str) -> usize {
        let found =
            self.call(reqwest::Method::POST, "/elements", Some(json!({"using": "css selector", "value": css}))).await;
        // An error from the driver is not "none found": a test of absence must not pass on it.
        found.as_array().map(Vec::len).unwrap_or_else(|| panic!("counting {css}: {found}"))
    }

    /// The value of attribute `name` of the first element matching `css`.
    pub async fn attribute(&self, css: &str, name: &str) -> Option<String> {
        let id = self.element(css).await?;
        let value = self.call(reqwest::Method::GET, &format!("/element/{id}/attribute/{name}"), None).await;
        value.as_str().map(str::to_owned)
    }

    /// Runs `script` (a function body) in the page; its return value.
    pub async fn execute(&self, script: &str) -> Value {
        self.call(reqwest::Method::POST, "/execute/sync", Some(json!({"script": script, "args": []}))).await
    }

    /// Resizes the window, e.g. to a phone's width.
    pub async fn resize(&self, width: u32, height: u32) {
        self.call(reqwest::Method::POST, "/window/rect", Some(json!({"width": width, "height": height}))).await;
    }

    /// Saves a PNG of the page as `target/screenshots/<name>.png`, the artifact a reviewer looks at.
    pub async fn screenshot(&self, name: &str) {
        use base64::Engine as _;
        let encoded = self.call(reqwest::Method::GET, "/screenshot", None).await;
        let png = base64::engine::general_purpose::STANDARD
            .decode(encoded.as_str().unwrap_or_default())
            .expect("a base64 screenshot");
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/screenshots");
        std::fs::create_dir_all(&dir).expect("the screenshot directory");
        std::fs::write(dir.join(format!("{name}.png")), png).expect("writing a screenshot");
    }

    /// Polls `probe` until it holds, for up to 10 seconds.
    pub async fn wait_for<F, Fut>(&self, what: &str, probe: F)
    where
        F: Fn() -> Fut,
        Fut: std::future::Future<Output = bool>,
    {
        let deadline = Instant::now() + Duration::from_secs(10);
        while !probe().await {
            if Instant::now() >= deadline {
                let name: String = what.chars().map(|c| if c.is_ascii_alphanumeric() { c } else { '-' }).collect();
                self.screenshot(&format!("timed-out-{name}")).await;
                panic!(
                    "timed out waiting for {what} (at {}; see target/screenshots/timed-out-{name}.png)",
                    self.url().await
                );
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}
