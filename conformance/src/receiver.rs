//! A webhook receiver the suite runs itself, on loopback: it keeps what each delivery carried
//! and answers as a case scripts it. The server under test must be able to reach it, so the
//! suite's webhook cases assume the server runs on the same machine (as a sandbox does).

use std::collections::VecDeque;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use anyhow::{Context as _, Result, bail};
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use tokio::sync::oneshot;

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

/// How the receiver answers one delivery.
enum Reply {
    /// This status, after this long.
    After(u16, Duration),
    /// This status, once the case lets it go.
    Held(u16, oneshot::Receiver<()>),
}

#[derive(Default)]
struct Shared {
    /// The deliveries answered.
    seen: Mutex<Vec<Received>>,
    /// The deliveries that have arrived, answered or not.
    arrived: AtomicUsize,
    /// Answers for the next deliveries, in order; 200 at once after they run out.
    script: Mutex<VecDeque<Reply>>,
}

/// Lets a held delivery be answered (also when dropped).
pub struct Release(oneshot::Sender<()>);

impl Release {
    pub fn release(self) {
        let _ = self.0.send(());
    }
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
    shared.arrived.fetch_add(1, Ordering::SeqCst);
    let reply = shared.script.lock().ok().and_then(|mut s| s.pop_front());
    let status = match reply.unwrap_or(Reply::After(200, Duration::ZERO)) {
        Reply::After(status, delay) => {
            tokio::time::sleep(delay).await;
            status
        }
        Reply::Held(status, release) => {
            let _ = release.await;
            status
        }
    };
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
            script.push_back(Reply::After(status, delay));
        }
    }

    /// The next delivery is answered with `status` once the [`Release`] is used or dropped.
    pub fn hold_next(&self, status: u16) -> Release {
        let (release, held) = oneshot::channel();
        if let Ok(mut script) = self.shared.script.lock() {
            script.push_back(Reply::Held(status, held));
        }
        Release(release)
    }

    /// Returns once `n` deliveries have arrived, answered or not (or an error after `within`).
    pub async fn wait_arrived(&self, n: usize, within: Duration) -> Result<()> {
        poll(within, || match self.shared.arrived.load(Ordering::SeqCst) {
            arrived if arrived >= n => Ok(()),
            arrived => Err(format!("{arrived} of {n} deliveries arrived")),
        })
        .await
    }

    /// The deliveries so far, once there are at least `n` (or an error after `within`).
    pub async fn wait_for(&self, n: usize, within: Duration) -> Result<Vec<Received>> {
        poll(within, || match self.shared.seen.lock().map(|s| s.clone()).unwrap_or_default() {
            seen if seen.len() >= n => Ok(seen),
            seen => Err(format!("the webhook receiver got {} of {n} deliveries", seen.len())),
        })
        .await
    }
}

/// Polls `ready` until it yields, or fails with what it last said once `within` has passed.
async fn poll<T>(within: Duration, ready: impl Fn() -> Result<T, String>) -> Result<T> {
    let deadline = Instant::now() + within;
    loop {
        match ready() {
            Ok(value) => return Ok(value),
            Err(short) if Instant::now() > deadline => bail!("{short} within {within:?}"),
            Err(_) => tokio::time::sleep(Duration::from_millis(20)).await,
        }
    }
}
