//! `kassa listen --forward-to URL --api-key sk_test_…`: forwards the merchant's events to a
//! local URL, signed as its webhook endpoint would receive them, printing a line per event and
//! per answer. The server keeps the cursor (per API key), so a restart of either side loses
//! and repeats nothing; the signing secret is the same for the same key every time.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering::SeqCst};
use std::time::{Duration, Instant};

use anyhow::Context as _;
use serde_json::{Value, json};

use super::{client, expect_ok};
use crate::cli::ListenArgs;

/// How long a poll may take: the server waits up to 25 s for an event.
const POLL_TIMEOUT: Duration = Duration::from_secs(40);
/// How long the local URL has to answer, as a webhook endpoint has.
const FORWARD_TIMEOUT: Duration = Duration::from_secs(10);

/// Whether ctrl-c was pressed, and whether an event is being forwarded right now.
#[derive(Default)]
struct Interrupt {
    interrupted: AtomicBool,
    busy: AtomicBool,
}

fn now() -> String {
    chrono::Local::now().format("%Y-%m-%d %H:%M:%S").to_string()
}

pub async fn run(args: ListenArgs) -> anyhow::Result<()> {
    // Ctrl-C ends the command at once while it waits, and right after the event in hand has been
    // forwarded and its answer recorded, so that event is not handed over again next time. The
    // handler is installed here, before anything else happens, so no ctrl-c is missed.
    #[cfg(unix)]
    let mut interrupt = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::interrupt())?;
    let state = Arc::new(Interrupt::default());
    let watcher = state.clone();
    tokio::spawn(async move {
        #[cfg(unix)]
        interrupt.recv().await;
        #[cfg(not(unix))]
        let _ = tokio::signal::ctrl_c().await;
        watcher.interrupted.store(true, SeqCst);
        if !watcher.busy.load(SeqCst) {
            std::process::exit(0);
        }
    });
    let base = args.client.base_url.trim_end_matches('/').to_owned();
    let api = client(&args.client.api_key, POLL_TIMEOUT)?;
    let local =
        reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).timeout(FORWARD_TIMEOUT).build()?;
    let session = loop {
        match api.get(format!("{base}/v1/listen")).send().await {
            Ok(response) => break expect_ok(response, "starting to listen").await?,
            Err(err) => {
                eprintln!("{}  cannot reach {base} ({err}); retrying", now());
                pause(Duration::from_secs(1)).await?;
            }
        }
    };
    let secret = session["webhook_secret"].as_str().context("the server sent no webhook_secret")?;
    println!("Ready! Your webhook signing secret is {secret} (^C to quit)");
    let mut query = vec![("wait", "25".to_owned())];
    if let Some(events) = &args.events {
        query.push(("types", events.clone()));
    }
    let mut connected = true;
    loop {
        let batch = api.get(format!("{base}/v1/listen/events")).query(&query).send().await;
        let batch = match batch {
            Ok(response) => match expect_ok(response, "waiting for events").await {
                Ok(batch) => batch,
                Err(err) => {
                    eprintln!("{}  {err:#}; retrying", now());
                    pause(Duration::from_secs(1)).await?;
                    continue;
                }
            },
            Err(err) => {
                if connected {
                    eprintln!("{}  lost the connection to {base} ({err}); reconnecting", now());
                    connected = false;
                }
                pause(Duration::from_millis(500)).await?;
                continue;
            }
        };
        if !connected {
            eprintln!("{}  reconnected", now());
            connected = true;
        }
        for delivery in batch["data"].as_array().into_iter().flatten() {
            state.busy.store(true, SeqCst);
            forward(&api, &local, &base, &args.forward_to, delivery, &state).await?;
            state.busy.store(false, SeqCst);
            if state.interrupted.load(SeqCst) {
                std::process::exit(0);
            }
        }
    }
}

/// Pauses before a retry.
async fn pause(length: Duration) -> anyhow::Result<()> {
    tokio::time::sleep(length).await;
    Ok(())
}

/// Forwards one event, prints both lines, and reports the answer (which moves the cursor).
async fn forward(
    api: &reqwest::Client,
    local: &reqwest::Client,
    base: &str,
    url: &str,
    delivery: &Value,
    state: &Interrupt,
) -> anyhow::Result<()> {
    let field = |name: &str| delivery[name].as_str().unwrap_or_default().to_owned();
    let (id, kind) = (field("event_id"), field("type"));
    println!("{}  --> {kind} [{id}]", now());
    let started = Instant::now();
    let answer = local
        .post(url)
        .header(reqwest::header::CONTENT_TYPE, "application/json")
        .header("kassa-signature", field("kassa_signature"))
        .header("webhook-id", field("webhook_id"))
        .header("webhook-timestamp", field("webhook_timestamp"))
        .header("webhook-signature", field("webhook_signature"))
        .body(field("body"))
        .send()
        .await;
    let duration_ms = started.elapsed().as_millis() as i64;
    let report = match answer {
        Ok(response) => {
            let status = response.status().as_u16();
            println!("{}  <-- [{status}] POST {url} [{id}]", now());
            let body = response.text().await.unwrap_or_default();
            json!({"event_id": id, "url": url, "status_code": status, "duration_ms": duration_ms,
                   "response_body": body.chars().take(2048).collect::<String>()})
        }
        Err(err) => {
            let error = if err.is_timeout() {
                "timeout"
            } else if err.is_connect() {
                "connection_refused"
            } else {
                "network_error"
            };
            println!("{}  <-- [{error}] POST {url} [{id}]", now());
            json!({"event_id": id, "url": url, "error": error, "duration_ms": duration_ms})
        }
    };
    // Until the server has it, the event is not forwarded as far as the cursor knows.
    loop {
        match api.post(format!("{base}/v1/listen/attempts")).json(&report).send().await {
            Ok(response) if response.status().is_success() => return Ok(()),
            Ok(response) => {
                let status = response.status();
                eprintln!("{}  recording the answer failed: {status}", now());
                if status.is_client_error() {
                    return Ok(());
                }
            }
            Err(_) => {}
        }
        // The server is not taking it; ctrl-c gives up (the event comes again next time).
        if state.interrupted.load(SeqCst) {
            std::process::exit(0);
        }
        pause(Duration::from_millis(500)).await?;
    }
}
