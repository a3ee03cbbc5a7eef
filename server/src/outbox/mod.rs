//! Webhook delivery (API.md "Events and webhooks"): the worker `kassa serve` runs to drain the
//! outbox, and the one attempt it and a manual redelivery both make. It uses the store and the
//! domain, never `http`: the event's wire bytes come from the renderer the app hands it.
//!
//! - Due deliveries are claimed in small batches with a lease (`store/deliveries.rs`); with
//!   several replicas each attempt is made once.
//! - Each is POSTed with the event's bytes, signed anew with the current time, with a 10 s
//!   timeout and no redirects (a 3xx is a failure); any 2xx delivers it.
//! - A failure is retried on the configured schedule, each delay ±20 %, a receiver's
//!   `Retry-After` honoured up to an hour; after the last retry the delivery has failed.
//! - For one endpoint the attempts of a batch go out one after another in event order; a
//!   failing event is rescheduled and does not hold up the ones after it.
//! - On shutdown the attempts in flight finish and the claims not yet attempted are released.

use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::{DateTime, TimeDelta, Utc};
use futures::StreamExt as _;
use tokio::sync::watch;

use crate::domain::random_base62;
use crate::domain::webhook::{self, ATTEMPT_TIMEOUT, DeliveryStatus, Outcome, RESPONSE_EXCERPT_BYTES, Trigger};
use crate::store::{DueDelivery, EventRow, NewAttempt, Settle, Store, StoreResult};

/// Renders an event as the bytes a receiver gets: the API's JSON of it.
pub type RenderEvent = Arc<dyn Fn(&EventRow) -> Vec<u8> + Send + Sync>;

/// How many deliveries one claim takes, and how many endpoints are served at once.
const BATCH: i64 = 100;
const ENDPOINTS_AT_ONCE: usize = 16;
/// How long a claim holds; a worker stops attempting a batch well before it runs out, so an
/// attempt is never made by two workers.
const LEASE: Duration = Duration::from_secs(30);
/// How often an idle worker looks for due deliveries (changes in this process wake it at once;
/// this is for deliveries another replica queued, or retries coming due).
const POLL: Duration = Duration::from_millis(250);

#[derive(Clone)]
pub struct Outbox(Arc<Inner>);

struct Inner {
    store: Store,
    http: reqwest::Client,
    public_only: bool,
    render: RenderEvent,
    schedule: Vec<Duration>,
}

/// One attempt, made and judged, to record.
struct Made {
    at: chrono::DateTime<chrono::Utc>,
    number: i64,
    trigger: Trigger,
    url: String,
    outcome: Outcome,
    excerpt: String,
    duration: Duration,
    status: DeliveryStatus,
    next_attempt_at: Option<chrono::DateTime<chrono::Utc>>,
}

/// What an attempt made of a delivery.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attempted {
    pub outcome: Outcome,
    pub status: DeliveryStatus,
}

impl Outbox {
    pub fn new(store: Store, schedule: Vec<Duration>, public_only: bool, render: RenderEvent) -> anyhow::Result<Self> {
        let http = reqwest::Client::builder()
            .dns_resolver(Arc::new(CheckedResolver { public_only }))
            .redirect(reqwest::redirect::Policy::none())
            .timeout(ATTEMPT_TIMEOUT)
            .user_agent(concat!("Kassa/", env!("CARGO_PKG_VERSION"), " (webhooks)"))
            .build()?;
        Ok(Self(Arc::new(Inner { store, http, public_only, render, schedule })))
    }

    /// The worker: claims due deliveries and attempts them until `stop` turns true.
    pub async fn run(self, mut stop: watch::Receiver<bool>) {
        while !*stop.borrow() {
            let token = random_base62(24);
            let lease = TimeDelta::from_std(LEASE).unwrap_or(TimeDelta::minutes(1));
            let due = match self.0.store.claim_due_deliveries(BATCH, lease, &token).await {
                Ok(due) => due,
                Err(err) => {
                    tracing::warn!(error = %err, "claiming due webhook deliveries failed");
                    Vec::new()
                }
            };
            if due.is_empty() {
                tokio::select! {
                    changed = stop.changed() => {
                        // A dropped sender means the app is gone: stop as well.
                        if changed.is_err() {
                            return;
                        }
                    }
                    () = self.0.store.outbox_changed() => {}
                    () = tokio::time::sleep(POLL) => {}
                }
                continue;
            }
            self.attempt_batch(due, &token, &stop).await;
            // Whatever was not attempted (shutting down, or the lease ran short) is due again.
            if let Err(err) = self.0.store.release_deliveries(&token).await {
                tracing::warn!(error = %err, "releasing webhook deliveries failed");
            }
        }
    }

    async fn attempt_batch(&self, due: Vec<DueDelivery>, token: &str, stop: &watch::Receiver<bool>) {
        let claimed = Instant::now();
        // One queue per endpoint, in event order (the claim returns them so).
        let mut endpoints: Vec<(uuid::Uuid, Vec<DueDelivery>)> = Vec::new();
        for delivery in due {
            let merchant = delivery.merchant_id;
            match endpoints.iter_mut().find(|(m, _)| *m == merchant) {
                Some((_, queue)) => queue.push(delivery),
                None => endpoints.push((merchant, vec![delivery])),
            }
        }
        futures::stream::iter(endpoints)
            .for_each_concurrent(ENDPOINTS_AT_ONCE, |(_, queue)| async move {
                // The attempts of one endpoint go out one after another, in event order; their
                // records are written meanwhile (and share commits), all before the batch ends.
                let mut records = Vec::new();
                for delivery in &queue {
                    // Stop before an attempt could outlive the claim, or when shutting down.
                    if *stop.borrow() || claimed.elapsed() + ATTEMPT_TIMEOUT * 2 > LEASE {
                        break;
                    }
                    let made = self.make_attempt(delivery, Trigger::Scheduled).await;
                    records.push(async move {
                        let settle = Settle::Scheduled { token, status: made.status };
                        if let Err(err) = self.record(delivery, &made, settle).await {
                            tracing::warn!(error = %err, delivery = %delivery.id, "recording a webhook attempt failed");
                        }
                    });
                }
                futures::future::join_all(records).await;
            })
            .await;
    }

    /// The scheduled attempt of delivery `id`, due by `at`: a step of an advance of its
    /// merchant's clock, which stands at `at`. `None` when another worker holds the delivery,
    /// it is settled, or the attempt due was made already.
    pub async fn attempt_delivery(&self, id: &str, at: DateTime<Utc>) -> StoreResult<Option<Attempted>> {
        let token = random_base62(24);
        let lease = TimeDelta::from_std(LEASE).unwrap_or(TimeDelta::minutes(1));
        let Some(delivery) = self.0.store.claim_delivery(id, at, lease, &token).await? else { return Ok(None) };
        let made = self.make_attempt(&delivery, Trigger::Scheduled).await;
        let recorded = self.record(&delivery, &made, Settle::Scheduled { token: &token, status: made.status }).await;
        if recorded.is_err() {
            // Due again for whoever comes next.
            self.0.store.release_deliveries(&token).await?;
        }
        recorded.map(|()| Some(Attempted { outcome: made.outcome, status: made.status }))
    }

    /// A manual attempt of the event's delivery now (`POST /v1/events/{id}/redeliver`).
    pub async fn redeliver(&self, delivery: &DueDelivery) -> StoreResult<Attempted> {
        let made = self.make_attempt(delivery, Trigger::Manual).await;
        let settle = Settle::Manual { delivered: made.status == DeliveryStatus::Delivered };
        self.record(delivery, &made, settle).await?;
        Ok(Attempted { outcome: made.outcome, status: made.status })
    }

    /// Makes one attempt of `delivery`, and judges what it does to the delivery. Its time, and
    /// the next attempt's, are by the merchant's clock; the signature's `t=` is the real time.
    async fn make_attempt(&self, delivery: &DueDelivery, trigger: Trigger) -> Made {
        let number = delivery.attempts + 1;
        let merchant_now = || async {
            match self.0.store.now_for(delivery.merchant_id).await {
                Ok(now) => now,
                Err(err) => {
                    tracing::warn!(error = %err, "reading the merchant's clock failed; using the real time");
                    self.0.store.clock().now()
                }
            }
        };
        let at = merchant_now().await;
        let started = Instant::now();
        let (url, outcome, excerpt) = match &delivery.url {
            Some(url) => {
                let (outcome, excerpt) = self.post(url, delivery).await;
                (url.clone(), outcome, excerpt)
            }
            None => (String::new(), Outcome::NetworkError("no_endpoint"), String::new()),
        };
        let duration = started.elapsed();
        let now = merchant_now().await;
        let (status, next_attempt_at) = if outcome.delivered() {
            (DeliveryStatus::Delivered, None)
        } else if delivery.url.is_none() {
            (DeliveryStatus::Failed, None)
        } else {
            let jitter = rand::random::<f64>() * 2.0 - 1.0;
            let attempt = u32::try_from(number).unwrap_or(u32::MAX);
            match webhook::next_delay(&self.0.schedule, attempt, jitter, &outcome) {
                Some(delay) => {
                    // At the precision both backends store: an advance may stop the clock there.
                    let next = now + TimeDelta::from_std(delay).unwrap_or(TimeDelta::days(1));
                    (DeliveryStatus::Pending, Some(crate::domain::clock::to_micros(next)))
                }
                None => (DeliveryStatus::Failed, None),
            }
        };
        // A manual attempt leaves the schedule as it is.
        let next_attempt_at = if trigger == Trigger::Manual { None } else { next_attempt_at };
        Made { at, number, trigger, url, outcome, excerpt, duration, status, next_attempt_at }
    }

    /// Records an attempt with what it does to its delivery.
    async fn record(&self, delivery: &DueDelivery, made: &Made, settle: Settle<'_>) -> StoreResult<()> {
        let (status_code, error) = match &made.outcome {
            Outcome::Answered { status, .. } => (Some(*status), None),
            Outcome::NetworkError(name) => (None, Some(*name)),
        };
        let attempt = NewAttempt {
            at: made.at,
            number: made.number,
            trigger: made.trigger,
            url: &made.url,
            status_code,
            error,
            duration_ms: i64::try_from(made.duration.as_millis()).unwrap_or(i64::MAX),
            response_body: &made.excerpt,
            next_attempt_at: made.next_attempt_at,
        };
        self.0.store.record_attempt(&delivery.id, &attempt, settle).await?;
        crate::metrics::webhook_attempt(match &made.outcome {
            outcome if outcome.delivered() => "delivered",
            Outcome::Answered { .. } => "rejected",
            Outcome::NetworkError(_) => "network_error",
        });
        tracing::info!(
            event = %delivery.event.id,
            attempt = made.number,
            trigger = made.trigger.as_str(),
            status_code,
            error,
            "webhook attempt"
        );
        Ok(())
    }

    /// POSTs the event to `url`, signed now; the outcome and the start of the answer.
    async fn post(&self, url: &str, delivery: &DueDelivery) -> (Outcome, String) {
        // A host given as an address is never resolved, so it is checked here; a name is checked
        // on each address it resolves to, as the connection is made (`CheckedResolver`).
        let literal = reqwest::Url::parse(url).ok().and_then(|u| {
            u.host_str().and_then(|h| h.trim_start_matches('[').trim_end_matches(']').parse::<std::net::IpAddr>().ok())
        });
        if literal.is_some_and(|ip| !webhook::address_allowed(ip, self.0.public_only)) {
            return (Outcome::NetworkError(REFUSED_ADDRESS), String::new());
        }
        let body = (self.0.render)(&delivery.event);
        let unix = self.0.store.clock().wall_now().timestamp();
        let signed = webhook::sign(&delivery.secret, delivery.event.id.as_ref(), unix, &body);
        let request = self
            .0
            .http
            .post(url)
            .header(reqwest::header::CONTENT_TYPE, "application/json")
            .header("kassa-signature", signed.kassa_signature)
            .header("webhook-id", signed.webhook_id)
            .header("webhook-timestamp", signed.webhook_timestamp)
            .header("webhook-signature", signed.webhook_signature)
            .body(body);
        let mut response = match request.send().await {
            Ok(response) => response,
            Err(err) => return (Outcome::NetworkError(network_error(&err)), String::new()),
        };
        let status = response.status().as_u16();
        let retry_after = response
            .headers()
            .get(reqwest::header::RETRY_AFTER)
            .and_then(|v| v.to_str().ok())
            .and_then(webhook::parse_retry_after);
        let mut excerpt = Vec::new();
        while excerpt.len() < RESPONSE_EXCERPT_BYTES {
            match response.chunk().await {
                Ok(Some(chunk)) => excerpt.extend_from_slice(&chunk),
                Ok(None) | Err(_) => break,
            }
        }
        excerpt.truncate(RESPONSE_EXCERPT_BYTES);
        (Outcome::Answered { status, retry_after }, String::from_utf8_lossy(&excerpt).into_owned())
    }
}

/// The attempt log's name for an address an attempt may not connect to.
const REFUSED_ADDRESS: &str = "refused_address";

/// Resolves webhook hosts, keeping only the addresses an attempt may connect to: the check is
/// on the address the connection uses, so a later DNS answer cannot slip past it.
struct CheckedResolver {
    public_only: bool,
}

impl reqwest::dns::Resolve for CheckedResolver {
    fn resolve(&self, name: reqwest::dns::Name) -> reqwest::dns::Resolving {
        let public_only = self.public_only;
        Box::pin(async move {
            let found = tokio::net::lookup_host((name.as_str(), 0)).await?;
            let allowed: Vec<std::net::SocketAddr> =
                found.filter(|addr| webhook::address_allowed(addr.ip(), public_only)).collect();
            if allowed.is_empty() {
                return Err(REFUSED_ADDRESS.into());
            }
            let addrs: reqwest::dns::Addrs = Box::new(allowed.into_iter());
            Ok(addrs)
        })
    }
}

/// Names a failure to get an answer, as the attempt log shows it.
fn network_error(err: &reqwest::Error) -> &'static str {
    if err.is_timeout() {
        return "timeout";
    }
    if format!("{err:?}").contains(REFUSED_ADDRESS) {
        return REFUSED_ADDRESS;
    }
    let mut source = std::error::Error::source(err);
    while let Some(cause) = source {
        if let Some(io) = cause.downcast_ref::<std::io::Error>()
            && io.kind() == std::io::ErrorKind::ConnectionRefused
        {
            return "connection_refused";
        }
        let text = cause.to_string().to_ascii_lowercase();
        if text.contains("dns error") || text.contains("failed to lookup address") {
            return "dns";
        }
        if ["tls", "certificate", "handshake", "corrupt message"].iter().any(|word| text.contains(word)) {
            return "tls_error";
        }
        source = cause.source();
    }
    if err.is_connect() { "connection_failed" } else { "network_error" }
}
