//! Verifying Kassa's webhook deliveries (API.md "Events and webhooks"), as a receiver does
//! before it trusts one: the `Kassa-Signature` header is `t=<unix>,v1=<hex>`, the HMAC-SHA256
//! of `"<t>.<raw body>"` keyed with the endpoint's `whsec_…` secret (Stripe's scheme). A
//! delivery is accepted only if one `v1` matches and `t` is within `tolerance` of now, which
//! refuses replays of old deliveries.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use hmac::{Hmac, Mac};
use sha2::Sha256;

use crate::types::Event;

/// The tolerance receivers use by default: five minutes, as Stripe's libraries do.
pub const DEFAULT_TOLERANCE: Duration = Duration::from_secs(300);

/// Why a delivery was not accepted.
#[derive(Debug)]
pub enum WebhookError {
    /// The header is not `t=<unix>,v1=<hex>[,v1=…]`.
    MalformedHeader,
    /// No `v1` signature matches the body and the secret.
    BadSignature,
    /// The signature is valid but was made too long ago (or too far ahead): `age` seconds.
    TooOld { age: i64 },
    /// The body verified but is not an event.
    InvalidPayload(serde_json::Error),
}

impl std::fmt::Display for WebhookError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::MalformedHeader => f.write_str("the Kassa-Signature header is malformed"),
            Self::BadSignature => f.write_str("no signature in Kassa-Signature matches the body"),
            Self::TooOld { age } => write!(f, "the delivery was signed {age} s ago, outside the tolerance"),
            Self::InvalidPayload(err) => write!(f, "the body is not an event: {err}"),
        }
    }
}

impl std::error::Error for WebhookError {}

/// Verifies a delivery and returns its event: `payload` is the raw body as received,
/// `signature_header` the `Kassa-Signature` header's value, `secret` the endpoint's `whsec_…`.
pub fn construct_event(
    payload: &[u8],
    signature_header: &str,
    secret: &str,
    tolerance: Duration,
) -> Result<Event, WebhookError> {
    let now = SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs() as i64);
    construct_event_at(payload, signature_header, secret, tolerance, now)
}

/// [`construct_event`] as of `now` (unix seconds).
pub fn construct_event_at(
    payload: &[u8],
    signature_header: &str,
    secret: &str,
    tolerance: Duration,
    now: i64,
) -> Result<Event, WebhookError> {
    let mut timestamp = None;
    let mut signatures = Vec::new();
    for part in signature_header.split(',') {
        match part.trim().split_once('=') {
            Some(("t", t)) => timestamp = Some(t.parse::<i64>().map_err(|_| WebhookError::MalformedHeader)?),
            Some(("v1", v1)) => signatures.push(hex::decode(v1).map_err(|_| WebhookError::MalformedHeader)?),
            Some(_) => {}
            None => return Err(WebhookError::MalformedHeader),
        }
    }
    let t = timestamp.ok_or(WebhookError::MalformedHeader)?;
    if signatures.is_empty() {
        return Err(WebhookError::MalformedHeader);
    }
    let matches = signatures.iter().any(|signature| {
        let Ok(mut mac) = <Hmac<Sha256> as Mac>::new_from_slice(secret.as_bytes()) else { return false };
        mac.update(format!("{t}.").as_bytes());
        mac.update(payload);
        // Constant-time, so a receiver leaks nothing about the expected signature.
        mac.verify_slice(signature).is_ok()
    });
    if !matches {
        return Err(WebhookError::BadSignature);
    }
    let age = now - t;
    if age.unsigned_abs() > tolerance.as_secs() {
        return Err(WebhookError::TooOld { age });
    }
    serde_json::from_slice(payload).map_err(WebhookError::InvalidPayload)
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECRET: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    const T: i64 = 1764590400;
    const BODY: &[u8] = br#"{"id":"evt_1NirD82eZvKYlo2CIvbtLWuY","type":"refund.created","created_at":"2026-12-01T12:00:00Z","data":{"object":{"id":"re_3MtwBwLkdIwHu7ix0Ntfl6tP","object":"refund","payment_intent":"pi_3MtwBwLkdIwHu7ix28a3tqPa","amount":500,"reason":null,"status":"succeeded","created_at":"2026-12-01T12:00:00Z"}},"pending_webhooks":1}"#;
    /// HMAC-SHA256(SECRET, "1764590400." + BODY), computed with Python's hmac module.
    const V1: &str = "9b9d0384b53d5c3302d22098e994cb4e2512a8b5952abd1b4a2a4ae9ff0dae56";

    fn header() -> String {
        format!("t={T},v1={V1}")
    }

    #[test]
    fn a_signed_delivery_yields_its_typed_event() {
        let event = construct_event_at(BODY, &header(), SECRET, DEFAULT_TOLERANCE, T + 10).unwrap();
        assert_eq!(event.id, "evt_1NirD82eZvKYlo2CIvbtLWuY");
        assert_eq!(serde_json::to_value(event.type_).unwrap(), "refund.created");
        match event.data.object {
            crate::types::EventDataObject::Refund(refund) => assert_eq!(refund.amount, 500),
            other => panic!("a refund event about {other:?}"),
        }
        // Several v1 signatures (a rolled secret) verify if any one does.
        let two = format!("t={T},v1={},v1={V1}", "00".repeat(32));
        assert!(construct_event_at(BODY, &two, SECRET, DEFAULT_TOLERANCE, T).is_ok());
    }

    #[test]
    fn a_changed_byte_or_secret_is_a_bad_signature() {
        let mut body = BODY.to_vec();
        body[10] ^= 1;
        assert!(matches!(
            construct_event_at(&body, &header(), SECRET, DEFAULT_TOLERANCE, T),
            Err(WebhookError::BadSignature)
        ));
        let other = "whsec_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
        assert!(matches!(
            construct_event_at(BODY, &header(), other, DEFAULT_TOLERANCE, T),
            Err(WebhookError::BadSignature)
        ));
    }

    #[test]
    fn an_old_delivery_is_refused() {
        let late = construct_event_at(BODY, &header(), SECRET, DEFAULT_TOLERANCE, T + 301);
        assert!(matches!(late, Err(WebhookError::TooOld { age: 301 })), "{late:?}");
    }

    #[test]
    fn malformed_headers_are_named() {
        for bad in ["", "t=1", "v1=00", "t=x,v1=00", "t=1,v1=zz", "garbage"] {
            let result = construct_event_at(BODY, bad, SECRET, DEFAULT_TOLERANCE, T);
            assert!(matches!(result, Err(WebhookError::MalformedHeader)), "{bad:?}: {result:?}");
        }
    }
}
