//! Webhook deliveries (API.md "Events and webhooks"): how an attempt is signed, when a failed
//! one is tried again, and the words a delivery and an attempt are described with. Pure: the
//! outbox worker supplies the time, the jitter and the receiver's answer.
//!
//! Two signatures on every attempt, both HMAC-SHA256, so that receivers verify with the
//! libraries they already have:
//! - `Kassa-Signature: t=<unix>,v1=<hex>` over `"<t>.<body>"`, keyed with the whole secret
//!   string: Stripe's scheme, which `stripe.Webhook.construct_event` accepts.
//! - Standard Webhooks: `webhook-id`, `webhook-timestamp` and `webhook-signature: v1,<base64>`
//!   over `"<id>.<t>.<body>"`, keyed with the secret's decoded bytes.

use std::time::Duration;

use base64::Engine as _;
use hmac::{Hmac, Mac};
use sha2::Sha256;

use super::WebhookSecret;

/// How long a receiver has to answer an attempt.
pub const ATTEMPT_TIMEOUT: Duration = Duration::from_secs(10);

/// How much of a receiver's answer an attempt keeps.
pub const RESPONSE_EXCERPT_BYTES: usize = 2048;

/// The longest wait a receiver's `Retry-After` can ask for; longer asks are cut to this.
pub const RETRY_AFTER_CAP: Duration = Duration::from_secs(3600);

/// The headers an attempt carries, besides `Content-Type`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Signed {
    pub kassa_signature: String,
    pub webhook_id: String,
    pub webhook_timestamp: String,
    pub webhook_signature: String,
}

fn mac(key: &[u8]) -> Hmac<Sha256> {
    <Hmac<Sha256> as Mac>::new_from_slice(key).expect("HMAC accepts keys of any length")
}

/// Signs `body`, the event with id `event_id`, at `unix` seconds (each attempt anew, so a retry
/// days later still passes a receiver's tolerance).
pub fn sign(secret: &WebhookSecret, event_id: &str, unix: i64, body: &[u8]) -> Signed {
    let mut kassa = mac(secret.expose().as_bytes());
    kassa.update(format!("{unix}.").as_bytes());
    kassa.update(body);
    let kassa_signature = format!("t={unix},v1={}", hex::encode(kassa.finalize().into_bytes()));
    // A secret that is not base64 (none Kassa makes) signs with its bytes as they are.
    let key = secret.key_bytes().unwrap_or_else(|| secret.expose().as_bytes().to_vec());
    let mut standard = mac(&key);
    standard.update(format!("{event_id}.{unix}.").as_bytes());
    standard.update(body);
    let webhook_signature =
        format!("v1,{}", base64::engine::general_purpose::STANDARD.encode(standard.finalize().into_bytes()));
    Signed { kassa_signature, webhook_id: event_id.to_owned(), webhook_timestamp: unix.to_string(), webhook_signature }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DeliveryStatus {
    /// Waiting for its next attempt.
    Pending,
    /// A receiver answered 2xx.
    Delivered,
    /// Every attempt of the schedule failed.
    Failed,
}

impl DeliveryStatus {
    pub const ALL: [DeliveryStatus; 3] = [Self::Pending, Self::Delivered, Self::Failed];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Delivered => "delivered",
            Self::Failed => "failed",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == raw)
    }
}

/// What made an attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Trigger {
    /// The retry schedule.
    Scheduled,
    /// `POST /v1/events/{id}/redeliver`.
    Manual,
    /// Forwarded by `kassa listen` to its local URL.
    Listen,
}

impl Trigger {
    pub const ALL: [Trigger; 3] = [Self::Scheduled, Self::Manual, Self::Listen];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Scheduled => "scheduled",
            Self::Manual => "manual",
            Self::Listen => "listen",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|t| t.as_str() == raw)
    }
}

/// How an attempt went.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// The receiver answered with this status (2xx is delivered; anything else, 3xx included,
    /// is a failure: redirects are never followed).
    Answered { status: u16, retry_after: Option<Duration> },
    /// No answer: `timeout`, `connection_refused`, `dns`, `connection_failed`, `refused_address`.
    NetworkError(&'static str),
}

impl Outcome {
    pub fn delivered(&self) -> bool {
        matches!(self, Self::Answered { status: 200..=299, .. })
    }
}

/// After attempt number `attempt` (1-based) failed: how long until the next one, or `None`
/// when the schedule is spent and the delivery has failed. `jitter` is in [-1, 1] and moves the
/// delay by up to 20 %; a receiver's `Retry-After` is honoured as the least wait, up to
/// [`RETRY_AFTER_CAP`].
pub fn next_delay(schedule: &[Duration], attempt: u32, jitter: f64, outcome: &Outcome) -> Option<Duration> {
    let base = *schedule.get(usize::try_from(attempt).ok()?.checked_sub(1)?)?;
    let jittered = base.mul_f64(1.0 + 0.2 * jitter.clamp(-1.0, 1.0));
    let asked = match outcome {
        Outcome::Answered { retry_after: Some(after), .. } => (*after).min(RETRY_AFTER_CAP),
        _ => Duration::ZERO,
    };
    Some(jittered.max(asked))
}

/// Whether an attempt may connect to `ip`. The cloud metadata addresses are never allowed (a
/// webhook must not be a way to read a server's credentials); with `public_only`, neither is
/// anything that is not on the public internet: loopback, private, link-local, unique-local,
/// shared (CGNAT), unspecified, multicast and broadcast addresses.
pub fn address_allowed(ip: std::net::IpAddr, public_only: bool) -> bool {
    use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
    const METADATA_V4: Ipv4Addr = Ipv4Addr::new(169, 254, 169, 254);
    const METADATA_V6: Ipv6Addr = Ipv6Addr::new(0xfd00, 0xec2, 0, 0, 0, 0, 0, 0x254);
    let ip = match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(IpAddr::V6(v6), IpAddr::V4),
        v4 => v4,
    };
    match ip {
        IpAddr::V4(v4) if v4 == METADATA_V4 => false,
        IpAddr::V6(v6) if v6 == METADATA_V6 => false,
        _ if !public_only => true,
        IpAddr::V4(v4) => {
            let shared = v4.octets()[0] == 100 && (64..128).contains(&v4.octets()[1]);
            !(v4.is_loopback()
                || v4.is_private()
                || v4.is_link_local()
                || v4.is_unspecified()
                || v4.is_multicast()
                || v4.is_broadcast()
                || shared)
        }
        IpAddr::V6(v6) => {
            let unique_local = (v6.segments()[0] & 0xfe00) == 0xfc00;
            let link_local = (v6.segments()[0] & 0xffc0) == 0xfe80;
            !(v6.is_loopback() || v6.is_unspecified() || v6.is_multicast() || unique_local || link_local)
        }
    }
}

/// `Retry-After` in seconds (the HTTP-date form is not honoured).
pub fn parse_retry_after(raw: &str) -> Option<Duration> {
    raw.trim().parse::<u64>().ok().map(Duration::from_secs)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn secret() -> WebhookSecret {
        // Standard Webhooks' own example secret.
        WebhookSecret::from_stored("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw".into())
    }

    #[test]
    fn both_signatures_match_fixed_vectors() {
        // Vector from the Standard Webhooks specification's reference libraries.
        let body = br#"{"test": 2432232314}"#;
        let signed = sign(&secret(), "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, body);
        assert_eq!(signed.webhook_signature, "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
        assert_eq!(
            (signed.webhook_id.as_str(), signed.webhook_timestamp.as_str()),
            ("msg_p5jXN8AQM9LWM0D4loKWxJek", "1614265330")
        );
        // Stripe's scheme, computed independently: HMAC-SHA256("whsec_…", "1614265330.{body}").
        let mut mac = mac(secret().expose().as_bytes());
        mac.update(b"1614265330.");
        mac.update(body);
        assert_eq!(signed.kassa_signature, format!("t=1614265330,v1={}", hex::encode(mac.finalize().into_bytes())));
    }

    #[test]
    fn each_second_signs_differently() {
        let a = sign(&secret(), "evt_1", 100, b"{}");
        let b = sign(&secret(), "evt_1", 101, b"{}");
        assert_ne!(a.kassa_signature, b.kassa_signature);
        assert_ne!(a.webhook_signature, b.webhook_signature);
    }

    #[test]
    fn only_2xx_is_delivered() {
        for (status, delivered) in
            [(200, true), (204, true), (299, true), (301, false), (302, false), (404, false), (500, false)]
        {
            assert_eq!(Outcome::Answered { status, retry_after: None }.delivered(), delivered, "{status}");
        }
        assert!(!Outcome::NetworkError("timeout").delivered());
    }

    #[test]
    fn retries_follow_the_schedule_with_jitter_and_end() {
        let schedule = [Duration::from_secs(10), Duration::from_secs(60)];
        let failed = Outcome::Answered { status: 500, retry_after: None };
        assert_eq!(next_delay(&schedule, 1, 0.0, &failed), Some(Duration::from_secs(10)));
        assert_eq!(next_delay(&schedule, 1, 1.0, &failed), Some(Duration::from_secs(12)));
        assert_eq!(next_delay(&schedule, 2, -1.0, &failed), Some(Duration::from_secs(48)));
        assert_eq!(next_delay(&schedule, 3, 0.0, &failed), None, "after the last retry the delivery has failed");
        assert_eq!(next_delay(&schedule, 0, 0.0, &failed), None);
    }

    #[test]
    fn retry_after_is_the_least_wait_up_to_a_cap() {
        let schedule = [Duration::from_secs(10)];
        let asks = |secs| Outcome::Answered { status: 429, retry_after: Some(Duration::from_secs(secs)) };
        assert_eq!(next_delay(&schedule, 1, 0.0, &asks(120)), Some(Duration::from_secs(120)));
        assert_eq!(next_delay(&schedule, 1, 0.0, &asks(1)), Some(Duration::from_secs(10)));
        assert_eq!(next_delay(&schedule, 1, 0.0, &asks(1_000_000)), Some(RETRY_AFTER_CAP));
        assert_eq!(parse_retry_after(" 30 "), Some(Duration::from_secs(30)));
        assert_eq!(parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT"), None);
    }

    #[test]
    fn the_metadata_address_is_always_refused_and_public_only_refuses_the_rest() {
        let ip = |s: &str| s.parse::<std::net::IpAddr>().unwrap();
        for metadata in ["169.254.169.254", "fd00:ec2::254", "::ffff:169.254.169.254"] {
            assert!(!address_allowed(ip(metadata), false), "{metadata}");
        }
        for local in [
            "127.0.0.1",
            "10.1.2.3",
            "172.16.0.1",
            "192.168.1.1",
            "169.254.1.1",
            "100.64.0.1",
            "0.0.0.0",
            "::1",
            "fe80::1",
            "fd12::1",
            "::ffff:127.0.0.1",
        ] {
            assert!(address_allowed(ip(local), false), "a sandbox on a laptop delivers to {local}");
            assert!(!address_allowed(ip(local), true), "{local} is not public");
        }
        for public in ["93.184.216.34", "2606:2800:220:1::1", "8.8.8.8"] {
            assert!(address_allowed(ip(public), true), "{public}");
        }
    }

    #[test]
    fn words_round_trip() {
        for s in DeliveryStatus::ALL {
            assert_eq!(DeliveryStatus::parse(s.as_str()), Some(s));
        }
        for t in Trigger::ALL {
            assert_eq!(Trigger::parse(t.as_str()), Some(t));
        }
    }
}
