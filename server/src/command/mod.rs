//! The commands that talk to a running Kassa over its public API, as any client would:
//! `kassa listen`, `kassa trigger` and `kassa reset`. They use nothing of the server but the
//! contract.

pub mod clock;
pub mod listen;
pub mod trigger;

/// `kassa reset`: `POST /v1/test-helpers/reset`, and what it cleared.
pub async fn reset(args: crate::cli::ClientArgs) -> anyhow::Result<()> {
    let api = client(&args.api_key, std::time::Duration::from_secs(60))?;
    let url = format!("{}/v1/test-helpers/reset", args.base_url.trim_end_matches('/'));
    let cleared = expect_ok(api.post(url).json(&serde_json::json!({})).send().await?, "the reset").await?;
    let count = |field: &str| cleared[field].as_u64().unwrap_or_default();
    println!(
        "Reset: {} payment intents, {} events, {} request logs and {} idempotency keys cleared",
        count("payment_intents"),
        count("events"),
        count("request_logs"),
        count("idempotency_keys")
    );
    Ok(())
}

/// An HTTP client that sends the API key on every request.
fn client(api_key: &str, timeout: std::time::Duration) -> anyhow::Result<reqwest::Client> {
    let mut headers = reqwest::header::HeaderMap::new();
    let mut value = reqwest::header::HeaderValue::from_str(&format!("Bearer {api_key}"))?;
    value.set_sensitive(true);
    headers.insert(reqwest::header::AUTHORIZATION, value);
    Ok(reqwest::Client::builder().default_headers(headers).timeout(timeout).build()?)
}

/// The body of an answer, or its error body as one line.
async fn expect_ok(response: reqwest::Response, what: &str) -> anyhow::Result<serde_json::Value> {
    let status = response.status();
    let text = response.text().await?;
    if !status.is_success() {
        anyhow::bail!("{what}: {status}: {text}");
    }
    Ok(serde_json::from_str(&text)?)
}
