//! The commands that talk to a running Kassa over its public API, as any client would:
//! `kassa listen` and `kassa trigger`. They use nothing of the server but the contract.

pub mod listen;
pub mod trigger;

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
