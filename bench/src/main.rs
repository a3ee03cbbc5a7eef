//! `cargo xtask bench`: Kassa's throughput and p50/p99 latency for two requests, each beside a
//! ceiling measured in the same run on the same machine, printed as ratios:
//!
//! - `GET /v1/payment-intents/{id}` beside an axum hello-world route (the HTTP stack's ceiling);
//! - `POST /v1/payment-intents` (durable: SQLite, WAL, `synchronous=FULL`) beside raw sqlx
//!   single-row insert transactions on the same settings (one fsync per commit).
//!
//! On PostgreSQL (`KASSA_BENCH_POSTGRES_URL`, which `cargo xtask bench` sets to a throwaway
//! cluster with durable commits when the server is installed): the same GET and POST with one
//! replica and with two on one database, beside PostgreSQL's own single-row insert ceiling.
//!
//! And webhook delivery, on SQLite and (with `KASSA_BENCH_POSTGRES_URL`, a server where the
//! bench may create databases) PostgreSQL: the time from a change's commit to its event's
//! arrival at a local receiver under a steady 200 events a second (targets: p99 under 100 ms),
//! and how fast a backlog of 10,000 due deliveries drains (target: 1,000 a second or more).
//!
//! Loopback only, 32 connections, each phase bounded in time (`KASSA_BENCH_SECONDS`, default 5)
//! after a one-second warm-up, with progress every second. Numbers, not assertions: targets
//! are printed beside the results, never checked in tests.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, ensure};
use serde_json::{Value, json};

const CONNECTIONS: usize = 32;

struct Outcome {
    requests: u64,
    seconds: f64,
    p50: Duration,
    p99: Duration,
    /// The process's CPU time (client and server alike, every thread) per measured request:
    /// unlike throughput, steal from a neighbour on a shared machine does not move it.
    cpu_per_request: Option<Duration>,
}

impl Outcome {
    fn per_second(&self) -> f64 {
        self.requests as f64 / self.seconds
    }
}

/// Runs `CONNECTIONS` loops of `op` for the warm-up plus `seconds`, measuring after the warm-up.
async fn drive<F, Fut>(label: &str, seconds: u64, op: F) -> Result<Outcome>
where
    F: Fn(usize) -> Fut + Send + Sync + 'static,
    Fut: std::future::Future<Output = Result<()>> + Send,
{
    let op = Arc::new(op);
    let measuring = Arc::new(AtomicBool::new(false));
    let stop = Arc::new(AtomicBool::new(false));
    let count = Arc::new(AtomicU64::new(0));
    let mut tasks = Vec::new();
    for worker in 0..CONNECTIONS {
        let (op, measuring, stop, count) = (op.clone(), measuring.clone(), stop.clone(), count.clone());
        tasks.push(tokio::spawn(async move {
            let mut latencies = Vec::new();
            while !stop.load(Ordering::Relaxed) {
                let started = Instant::now();
                op(worker).await?;
                if measuring.load(Ordering::Relaxed) {
                    latencies.push(started.elapsed());
                    count.fetch_add(1, Ordering::Relaxed);
                }
            }
            anyhow::Ok(latencies)
        }));
    }
    tokio::time::sleep(Duration::from_secs(1)).await;
    measuring.store(true, Ordering::Relaxed);
    let started = Instant::now();
    let cpu_started = cpu_time();
    for second in 1..=seconds {
        tokio::time::sleep(Duration::from_secs(1)).await;
        eprintln!("  {label}: {second}/{seconds} s, {} requests", count.load(Ordering::Relaxed));
    }
    measuring.store(false, Ordering::Relaxed);
    let elapsed = started.elapsed().as_secs_f64();
    let cpu = cpu_time().saturating_sub(cpu_started);
    stop.store(true, Ordering::Relaxed);
    let mut latencies = Vec::new();
    for task in tasks {
        latencies.extend(task.await??);
    }
    ensure!(!latencies.is_empty(), "{label}: no request completed");
    latencies.sort();
    let at = |q: f64| latencies[((latencies.len() - 1) as f64 * q) as usize];
    let measured = count.load(Ordering::Relaxed).max(1);
    let cpu_per_request = cpu / u32::try_from(measured).unwrap_or(u32::MAX);
    Ok(Outcome {
        requests: latencies.len() as u64,
        seconds: elapsed,
        p50: at(0.50),
        p99: at(0.99),
        cpu_per_request: Some(cpu_per_request),
    })
}

/// User and system CPU time of this process so far.
fn cpu_time() -> Duration {
    // SAFETY: getrusage only writes the struct it is given, which is plain old data.
    let usage = unsafe {
        let mut usage: libc::rusage = std::mem::zeroed();
        libc::getrusage(libc::RUSAGE_SELF, &mut usage);
        usage
    };
    let micros = |t: libc::timeval| Duration::from_secs(t.tv_sec as u64) + Duration::from_micros(t.tv_usec as u64);
    micros(usage.ru_utime) + micros(usage.ru_stime)
}

/// One HTTP client per connection, so the load really uses `CONNECTIONS` sockets.
fn clients() -> Result<Arc<Vec<reqwest::Client>>> {
    let clients = (0..CONNECTIONS)
        .map(|_| reqwest::Client::builder().pool_max_idle_per_host(1).build())
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Arc::new(clients))
}

async fn serve(router: axum::Router) -> Result<String> {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let addr = listener.local_addr()?;
    tokio::spawn(async move { axum::serve(listener, router).await });
    Ok(format!("http://{addr}"))
}

async fn hello_world(seconds: u64) -> Result<Outcome> {
    let base = serve(axum::Router::new().route("/hello", axum::routing::get(|| async { "hello, world" }))).await?;
    let clients = clients()?;
    drive("hello-world GET", seconds, move |worker| {
        let (client, url) = (clients[worker].clone(), format!("{base}/hello"));
        async move {
            let response = client.get(url).send().await?;
            ensure!(response.status().is_success(), "hello-world answered {}", response.status());
            response.bytes().await?;
            Ok(())
        }
    })
    .await
}

/// Kassa's app on `database_url`, configured as `kassa serve` is by default but for a 10 s retry
/// schedule and no rate limits.
async fn app(database_url: &str) -> Result<kassa_server::app::AppState> {
    let args = kassa_server::cli::ServeArgs {
        listen: "127.0.0.1:0".into(),
        database_url: database_url.to_owned(),
        public_url: None,
        jwt_secret: None,
        webhook_retry_schedule: "10s".into(),
        request_timeout: "30s".into(),
        debit_settlement_delay: "3s".into(),
        webhook_public_only: false,
        // The load is one client with one key, far past what one merchant is allowed.
        auth_limit_per_email: 0,
        auth_limit_per_address: 0,
        api_key_limit: 0,
        client_ip_header: None,
        log_format: kassa_server::cli::LogFormat::Text,
    };
    kassa_server::app::AppState::build(kassa_server::config::Config::from_args(args)?).await
}

/// A Kassa server on `database_url`, and a merchant's API key and one payment intent.
async fn kassa(database_url: &str) -> Result<(String, String, String)> {
    let state = app(database_url).await?;
    let base = serve(kassa_server::app::router(state)).await?;
    let http = reqwest::Client::new();
    let post = |path: &str, token: Option<&str>, body: Value| {
        let mut request = http.post(format!("{base}{path}")).json(&body);
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        async move {
            let response = request.send().await?;
            let status = response.status();
            let body: Value = response.json().await?;
            ensure!(status.is_success(), "setup failed: {status} {body}");
            anyhow::Ok(body)
        }
    };
    let (email, password) = ("bench@example.com", "bench-password-1");
    post("/v1/auth/register", None, json!({"email": email, "password": password, "name": "Bench"})).await?;
    let token = post("/v1/auth/login", None, json!({"email": email, "password": password})).await?;
    let token = token["access_token"].as_str().context("a token")?.to_owned();
    let merchant = post("/v1/merchants", Some(&token), json!({"name": "Bench"})).await?;
    let merchant = merchant["id"].as_str().context("a merchant")?.to_owned();
    let key = post(&format!("/v1/merchants/{merchant}/api-keys"), Some(&token), json!({"name": "bench"})).await?;
    let key = key["key"].as_str().context("a key")?.to_owned();
    let intent = post("/v1/payment-intents", Some(&key), new_intent()).await?;
    Ok((base, key, intent["id"].as_str().context("an intent")?.to_owned()))
}

fn new_intent() -> Value {
    json!({"amount": 1000, "currency": "usd", "success_url": "https://shop.example/ok", "cancel_url": "https://shop.example/no"})
}

async fn get_path(seconds: u64, url: &str) -> Result<Outcome> {
    let clients = clients()?;
    let url = url.to_owned();
    drive("GET", seconds, move |worker| {
        let request = clients[worker].get(&url);
        async move {
            let response = request.send().await?;
            ensure!(response.status().is_success(), "GET answered {}", response.status());
            response.bytes().await?;
            Ok(())
        }
    })
    .await
}

/// `GET` of one intent, each connection on one of `bases` in turn (replicas of one service).
async fn get_intent(seconds: u64, bases: &[String], key: &str, id: &str) -> Result<Outcome> {
    let clients = clients()?;
    let urls: Vec<String> = bases.iter().map(|base| format!("{base}/v1/payment-intents/{id}")).collect();
    let key = key.to_owned();
    drive("Kassa GET intent", seconds, move |worker| {
        let request = clients[worker].get(&urls[worker % urls.len()]).bearer_auth(&key);
        async move {
            let response = request.send().await?;
            ensure!(response.status().is_success(), "GET intent answered {}", response.status());
            response.bytes().await?;
            Ok(())
        }
    })
    .await
}

/// `POST` of new intents, each connection on one of `bases` in turn.
async fn create_intent(seconds: u64, bases: &[String], key: &str) -> Result<Outcome> {
    let clients = clients()?;
    let urls: Vec<String> = bases.iter().map(|base| format!("{base}/v1/payment-intents")).collect();
    let (key, body) = (key.to_owned(), new_intent());
    drive("Kassa POST intent", seconds, move |worker| {
        let request = clients[worker].post(&urls[worker % urls.len()]).bearer_auth(&key).json(&body);
        async move {
            let response = request.send().await?;
            ensure!(response.status().is_success(), "POST intent answered {}", response.status());
            response.bytes().await?;
            Ok(())
        }
    })
    .await
}

/// One single-row insert transaction on `$pool` (a SQLite or a PostgreSQL pool: the same
/// statements, sqlx's types differ): the unit of both write ceilings.
macro_rules! insert_one_row {
    ($pool:expr) => {{
        let mut tx = $pool.begin().await?;
        sqlx::query("INSERT INTO rows (body, created_at) VALUES ($1, $2)")
            .bind("a payment intent's worth of text, more or less, for the row")
            .bind(chrono::Utc::now())
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }};
}

/// The durable-write ceiling: one row per transaction, one writer connection, WAL with
/// `synchronous=FULL` — the settings Kassa runs with.
async fn raw_inserts(seconds: u64, dir: &std::path::Path) -> Result<Outcome> {
    use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
    let options = SqliteConnectOptions::new()
        .filename(dir.join("raw.db"))
        .create_if_missing(true)
        .journal_mode(SqliteJournalMode::Wal)
        .synchronous(SqliteSynchronous::Full)
        .busy_timeout(Duration::from_secs(10));
    let pool = SqlitePoolOptions::new().max_connections(1).connect_with(options).await?;
    sqlx::query("CREATE TABLE rows (id INTEGER PRIMARY KEY, body TEXT NOT NULL, created_at TEXT NOT NULL)")
        .execute(&pool)
        .await?;
    drive("raw sqlx insert", seconds, move |_| {
        let pool = pool.clone();
        async move { insert_one_row!(pool) }
    })
    .await
}

fn sqlite(dir: &std::path::Path, file: &str) -> String {
    format!("sqlite://{}", dir.join(file).display())
}

/// PostgreSQL's own ceiling for what a payment write is at bottom: single-row insert
/// transactions from `CONNECTIONS` clients at once, each commit durable as the server is set.
async fn raw_postgres_inserts(seconds: u64, database_url: &str) -> Result<Outcome> {
    let pool = sqlx::postgres::PgPoolOptions::new().max_connections(CONNECTIONS as u32).connect(database_url).await?;
    sqlx::query("CREATE TABLE rows (id BIGSERIAL PRIMARY KEY, body TEXT NOT NULL, created_at TIMESTAMPTZ NOT NULL)")
        .execute(&pool)
        .await?;
    drive("raw PostgreSQL insert", seconds, move |_| {
        let pool = pool.clone();
        async move { insert_one_row!(pool) }
    })
    .await
}

/// Kassa on PostgreSQL with one replica and with two (two apps, each with its own pool, on one
/// database, the load split between them), beside PostgreSQL's insert ceiling.
async fn postgres_phases(seconds: u64, server: &str) -> Result<()> {
    let raw = raw_postgres_inserts(seconds, &fresh_postgres(server).await?).await?;
    let url = fresh_postgres(server).await?;
    let (one, key, id) = kassa(&url).await?;
    let two = serve(kassa_server::app::router(app(&url).await?)).await?;
    let replicas = [one.clone(), two];
    let get_one = get_intent(seconds, &replicas[..1], &key, &id).await?;
    let get_two = get_intent(seconds, &replicas, &key, &id).await?;
    let post_one = create_intent(seconds, &replicas[..1], &key).await?;
    let post_two = create_intent(seconds, &replicas, &key).await?;
    println!();
    line("raw PostgreSQL insert tx", &raw);
    line("Kassa GET intent, 1 replica", &get_one);
    line("Kassa GET intent, 2 replicas", &get_two);
    line("Kassa POST intent, 1 replica", &post_one);
    line("Kassa POST intent, 2 replicas", &post_two);
    println!(
        "PostgreSQL POST ratio {:.2} (1 replica) and {:.2} (2 replicas) of its raw insert ceiling",
        post_one.per_second() / raw.per_second(),
        post_two.per_second() / raw.per_second()
    );
    Ok(())
}

fn line(label: &str, outcome: &Outcome) {
    println!(
        "{label:<30} {:>9.0} req/s   p50 {:>7.2} ms   p99 {:>7.2} ms{}",
        outcome.per_second(),
        outcome.p50.as_secs_f64() * 1e3,
        outcome.p99.as_secs_f64() * 1e3,
        outcome
            .cpu_per_request
            .map(|cpu| format!("   CPU {:>6.1} µs/req", cpu.as_secs_f64() * 1e6))
            .unwrap_or_default()
    );
}

#[tokio::main]
async fn main() -> Result<()> {
    let seconds: u64 = std::env::var("KASSA_BENCH_SECONDS").ok().and_then(|s| s.parse().ok()).unwrap_or(5);
    let dir = tempfile::tempdir()?;
    eprintln!("kassa bench: {CONNECTIONS} connections on loopback, {seconds} s a phase after 1 s of warm-up");
    if std::env::var("KASSA_BENCH_ONLY").as_deref() == Ok("get") {
        // For profiling the read path alone, beside its ceiling and the middleware's cost.
        let hello = hello_world(seconds).await?;
        let (base, key, id) = kassa(&sqlite(dir.path(), "kassa.db")).await?;
        let health = get_path(seconds, &format!("{base}/healthz")).await?;
        let get = get_intent(seconds, std::slice::from_ref(&base), &key, &id).await?;
        line("axum hello-world GET", &hello);
        line("Kassa GET /healthz", &health);
        line("Kassa GET intent", &get);
        println!("GET  ratio {:.2} of hello-world        (target >= 0.5)", get.per_second() / hello.per_second());
        return Ok(());
    }
    if std::env::var("KASSA_BENCH_ONLY").as_deref() == Ok("post") {
        // For profiling the write path alone, beside its ceiling.
        let raw = raw_inserts(seconds, dir.path()).await?;
        let (base, key, _) = kassa(&sqlite(dir.path(), "kassa.db")).await?;
        let post = create_intent(seconds, std::slice::from_ref(&base), &key).await?;
        line("raw sqlx insert tx (FULL)", &raw);
        line("Kassa POST intent (FULL)", &post);
        println!("POST ratio {:.2} of raw insert ceiling (target >= 1.0)", post.per_second() / raw.per_second());
        return Ok(());
    }
    let hello = hello_world(seconds).await?;
    let (base, key, id) = kassa(&sqlite(dir.path(), "kassa.db")).await?;
    let get = get_intent(seconds, std::slice::from_ref(&base), &key, &id).await?;
    let raw = raw_inserts(seconds, dir.path()).await?;
    let post = create_intent(seconds, std::slice::from_ref(&base), &key).await?;

    println!();
    line("axum hello-world GET", &hello);
    line("Kassa GET intent", &get);
    line("raw sqlx insert tx (FULL)", &raw);
    line("Kassa POST intent (FULL)", &post);
    println!();
    println!("GET  ratio {:.2} of hello-world        (target >= 0.5)", get.per_second() / hello.per_second());
    println!("POST ratio {:.2} of raw insert ceiling (target >= 1.0)", post.per_second() / raw.per_second());
    match std::env::var("KASSA_BENCH_POSTGRES_URL") {
        Ok(server) => postgres_phases(seconds, &server).await?,
        Err(_) => eprintln!("kassa bench: PostgreSQL phases skipped (set KASSA_BENCH_POSTGRES_URL)"),
    }

    println!();
    let mut backends = vec![("SQLite", format!("sqlite://{}", dir.path().join("hooks.db").display()))];
    match std::env::var("KASSA_BENCH_POSTGRES_URL") {
        Ok(base) => backends.push(("PostgreSQL", fresh_postgres(&base).await?)),
        Err(_) => eprintln!("kassa bench: webhook phase on PostgreSQL skipped (set KASSA_BENCH_POSTGRES_URL)"),
    }
    for (name, url) in backends {
        let latency = webhook_latency(seconds, &url).await?;
        let drain_url = if name == "SQLite" {
            format!("sqlite://{}", dir.path().join("drain.db").display())
        } else {
            fresh_postgres(&std::env::var("KASSA_BENCH_POSTGRES_URL")?).await?
        };
        let drained = webhook_drain(&drain_url, 10_000).await?;
        println!(
            "webhooks on {name:<10} commit to receipt at {:.0} events/s: p50 {:.2} ms, p99 {:.2} ms (target p99 < 100 ms); \
             backlog of 10,000 drained at {:.0}/s (target >= 1,000/s)",
            latency.per_second(),
            latency.p50.as_secs_f64() * 1e3,
            latency.p99.as_secs_f64() * 1e3,
            drained
        );
    }
    Ok(())
}

/// A fresh database on the PostgreSQL server whose URL (ending in `/<database>`) is `base`.
async fn fresh_postgres(base: &str) -> Result<String> {
    use sqlx::Connection;
    let name = format!("bench_{}", uuid::Uuid::new_v4().simple());
    let mut admin = sqlx::PgConnection::connect(base).await?;
    sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}"))).execute(&mut admin).await?;
    let (server, _) = base.rsplit_once('/').context("KASSA_BENCH_POSTGRES_URL ends in /<database>")?;
    Ok(format!("{server}/{name}"))
}

type Arrivals = Arc<std::sync::Mutex<std::collections::HashMap<String, Instant>>>;

/// A webhook receiver on loopback that notes when each intent's `payment_intent.created`
/// arrived, and counts every delivery.
async fn receiver() -> Result<(String, Arrivals, Arc<AtomicU64>)> {
    let arrivals: Arrivals = Arc::default();
    let count = Arc::new(AtomicU64::new(0));
    let (seen, counted) = (arrivals.clone(), count.clone());
    let app = axum::Router::new().route(
        "/hook",
        axum::routing::post(move |body: axum::body::Bytes| {
            let (seen, counted) = (seen.clone(), counted.clone());
            async move {
                let at = Instant::now();
                counted.fetch_add(1, Ordering::Relaxed);
                if let Ok(event) = serde_json::from_slice::<Value>(&body)
                    && event["type"] == "payment_intent.created"
                    && let (Some(id), Ok(mut seen)) = (event["data"]["object"]["id"].as_str(), seen.lock())
                {
                    seen.insert(id.to_owned(), at);
                }
                "ok"
            }
        }),
    );
    let base = serve(app).await?;
    Ok((format!("{base}/hook"), arrivals, count))
}

/// Kassa on `database_url`, its webhook worker running or not, with a merchant whose endpoint
/// is `hook`: (base URL, API key, the app).
async fn hooked_kassa(
    database_url: &str,
    hook: &str,
    workers: bool,
) -> Result<(String, String, kassa_server::app::AppState)> {
    let state = app(database_url).await?;
    if workers {
        let (stop, stopped) = tokio::sync::watch::channel(false);
        kassa_server::app::start_workers(&state, stopped);
        // The worker runs for the rest of this bench process.
        std::mem::forget(stop);
    }
    let base = serve(kassa_server::app::router(state.clone())).await?;
    let http = reqwest::Client::new();
    let post = |path: &str, token: Option<&str>, body: Value| {
        let mut request = http.post(format!("{base}{path}")).json(&body);
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        async move { anyhow::Ok(request.send().await?.json::<Value>().await?) }
    };
    let email = format!("hooks-{}@example.com", uuid::Uuid::new_v4().simple());
    post("/v1/auth/register", None, json!({"email": email, "password": "bench-password-1", "name": "Bench"})).await?;
    let token = post("/v1/auth/login", None, json!({"email": email, "password": "bench-password-1"})).await?;
    let token = token["access_token"].as_str().context("a token")?.to_owned();
    let merchant = post("/v1/merchants", Some(&token), json!({"name": "Hooks", "webhook_url": hook})).await?;
    let merchant = merchant["id"].as_str().context("a merchant")?.to_owned();
    let key = post(&format!("/v1/merchants/{merchant}/api-keys"), Some(&token), json!({"name": "bench"})).await?;
    Ok((base, key["key"].as_str().context("a key")?.to_owned(), state))
}

/// Creates payment intents at 200 a second for `seconds`, and measures, for each, the time from
/// its creation's answer (after the commit) to its `payment_intent.created` at the receiver.
async fn webhook_latency(seconds: u64, database_url: &str) -> Result<Outcome> {
    let (hook, arrivals, _) = receiver().await?;
    let (base, key, _state) = hooked_kassa(database_url, &hook, true).await?;
    let http = reqwest::Client::new();
    let committed: Arrivals = Arc::default();
    let mut pacing = tokio::time::interval(Duration::from_millis(5));
    let started = Instant::now();
    let mut sends = Vec::new();
    while started.elapsed() < Duration::from_secs(seconds) {
        pacing.tick().await;
        let (http, url, key, committed) =
            (http.clone(), format!("{base}/v1/payment-intents"), key.clone(), committed.clone());
        sends.push(tokio::spawn(async move {
            let intent: Value = http.post(url).bearer_auth(key).json(&new_intent()).send().await?.json().await?;
            let at = Instant::now();
            if let (Some(id), Ok(mut committed)) = (intent["id"].as_str(), committed.lock()) {
                committed.insert(id.to_owned(), at);
            }
            anyhow::Ok(())
        }));
    }
    for send in sends {
        send.await??;
    }
    let elapsed = started.elapsed().as_secs_f64();
    let total = committed.lock().map(|c| c.len()).unwrap_or(0);
    let deadline = Instant::now() + Duration::from_secs(10);
    while arrivals.lock().map(|a| a.len()).unwrap_or(0) < total && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let (committed, arrivals) = (
        committed.lock().map_err(|_| anyhow::anyhow!("poisoned"))?.clone(),
        arrivals.lock().map_err(|_| anyhow::anyhow!("poisoned"))?.clone(),
    );
    let mut latencies: Vec<Duration> = committed
        .iter()
        .filter_map(|(id, at)| arrivals.get(id).map(|got| got.saturating_duration_since(*at)))
        .collect();
    ensure!(latencies.len() == committed.len(), "{} of {} events arrived", latencies.len(), committed.len());
    latencies.sort();
    let at = |q: f64| latencies[((latencies.len() - 1) as f64 * q) as usize];
    Ok(Outcome {
        requests: latencies.len() as u64,
        seconds: elapsed,
        p50: at(0.5),
        p99: at(0.99),
        cpu_per_request: None,
    })
}

/// Queues `n` deliveries with the worker stopped, starts it, and measures deliveries a second.
async fn webhook_drain(database_url: &str, n: u64) -> Result<f64> {
    let (hook, _, count) = receiver().await?;
    let (base, key, state) = hooked_kassa(database_url, &hook, false).await?;
    eprintln!("  webhook backlog: queueing {n} deliveries");
    let clients = clients()?;
    let made = Arc::new(AtomicU64::new(0));
    let creators: Vec<_> = (0..CONNECTIONS)
        .map(|worker| {
            let (client, url, key, made) =
                (clients[worker].clone(), format!("{base}/v1/payment-intents"), key.clone(), made.clone());
            tokio::spawn(async move {
                while made.fetch_add(1, Ordering::Relaxed) < n {
                    let response = client.post(&url).bearer_auth(&key).json(&new_intent()).send().await?;
                    ensure!(response.status().is_success(), "POST intent answered {}", response.status());
                }
                anyhow::Ok(())
            })
        })
        .collect();
    for creator in creators {
        creator.await??;
    }
    eprintln!("  webhook backlog: draining");
    let started = Instant::now();
    let (stop, stopped) = tokio::sync::watch::channel(false);
    kassa_server::app::start_workers(&state, stopped);
    while count.load(Ordering::Relaxed) < n {
        ensure!(started.elapsed() < Duration::from_secs(120), "the backlog did not drain in 2 minutes");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    let rate = n as f64 / started.elapsed().as_secs_f64();
    let _ = stop.send(true);
    Ok(rate)
}
