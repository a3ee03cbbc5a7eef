//! A webhook receiver the suite runs itself, on loopback: it keeps what each delivery carried
//! and answers as a case scripts it. The server under test must be able to reach it, so the
//! suite's webhook cases assume the server runs on the same machine (as a sandbox does).

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use anyhow::{Context as _, Result, bail};
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};

/// What one delivery carried.
#[derive(Debug, Clone)]
pub struct Received {
    pub headers: HeaderMap,
    pub body: Bytes,
}

impl Received {
    pub fn header(&self, name: &str) -> &str {
        self.headers.get(name).and_then(|v| v.to_str().ok()).unwrap_or_default()
    }
}

#[derive(Default)]
struct Shared {
    seen: Mutex<Vec<Received>>,
    /// Answers for the next deliveries, in order: status, and how long to take; 200 at once
    /// after they run out.
    script: Mutex<VecDeque<(u16, Duration)>>,
}

pub struct Receiver {
    pub url: String,
    shared: Arc<Shared>,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for Receiver {
    fn drop(&mut self) {
        self.task.abort();
    }
}

async fn receive(State(shared): State<Arc<Shared>>, headers: HeaderMap, body: Bytes) -> StatusCode {
    let (status, delay) = shared.script.lock().ok().and_then(|mut s| s.pop_front()).unwrap_or((200, Duration::ZERO));
    tokio::time::sleep(delay).await;
    if let Ok(mut seen) = shared.seen.lock() {
        seen.push(Received { headers, body });
    }
    StatusCode::from_u16(status).unwrap_or(StatusCode::OK)
}

impl Receiver {
    pub async fn start() -> Result<Self> {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.context("binding a webhook receiver")?;
        let url = format!("http://{}/webhooks", listener.local_addr()?);
        let shared = Arc::new(Shared::default());
        let app = axum::Router::new().route("/webhooks", axum::routing::post(receive)).with_state(shared.clone());
        let task = tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        Ok(Self { url, shared, task })
    }

    /// The next delivery is answered with `status`, after `delay`.
    pub fn answer_next(&self, status: u16, delay: Duration) {
        if let Ok(mut script) = self.shared.script.lock() {
            script.push_back((status, delay));
        }
    }

    /// The deliveries so far, once there are at least `n` (or an error after `within`).
    pub async fn wait_for(&self, n: usize, within: Duration) -> Result<Vec<Received>> {
        let deadline = Instant::now() + within;
        loop {
            let seen = self.shared.seen.lock().map(|s| s.clone()).unwrap_or_default();
            if seen.len() >= n {
                return Ok(seen);
            }
            if Instant::now() > deadline {
                bail!("the webhook receiver got {} of {n} deliveries within {within:?}", seen.len());
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
}
