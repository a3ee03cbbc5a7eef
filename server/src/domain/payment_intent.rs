//! The payment intent's rules (API.md "Payment intents"): its statuses, which transition is
//! allowed from where, and the values a create request carries. Pure: the store applies these
//! as conditional updates, so the rules live here once.

use std::collections::BTreeMap;

use chrono::TimeDelta;
use serde_json::Value;

use super::DomainError;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    RequiresPaymentMethod,
    Authorized,
    Succeeded,
    Canceled,
    Expired,
    Failed,
}

impl Status {
    pub const ALL: [Status; 6] =
        [Self::RequiresPaymentMethod, Self::Authorized, Self::Succeeded, Self::Canceled, Self::Expired, Self::Failed];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::RequiresPaymentMethod => "requires_payment_method",
            Self::Authorized => "authorized",
            Self::Succeeded => "succeeded",
            Self::Canceled => "canceled",
            Self::Expired => "expired",
            Self::Failed => "failed",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == raw)
    }

    /// Statuses with a deadline: past `expires_at` they are `expired`.
    pub fn can_expire(self) -> bool {
        matches!(self, Self::RequiresPaymentMethod | Self::Authorized)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CaptureMethod {
    /// An approved card is charged at once: `succeeded`.
    Automatic,
    /// An approved card is only authorized; the merchant captures within 7 days.
    Manual,
}

impl CaptureMethod {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Automatic => "automatic",
            Self::Manual => "manual",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        match raw {
            "automatic" => Some(Self::Automatic),
            "manual" => Some(Self::Manual),
            _ => None,
        }
    }
}

/// The fifth declined attempt fails the intent.
pub const MAX_ATTEMPTS: i64 = 5;

/// An authorization not captured within this expires (API.md), as card networks release holds.
pub const AUTHORIZATION_VALIDITY: TimeDelta = TimeDelta::days(7);

/// How long a new intent waits for payment: 1 to 86,400 seconds, 3,600 by default.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ExpiresIn(i64);

impl ExpiresIn {
    pub fn parse(raw: Option<i64>) -> Result<Self, DomainError> {
        match raw {
            None => Ok(Self(3600)),
            Some(s @ 1..=86_400) => Ok(Self(s)),
            Some(_) => Err(DomainError::InvalidExpiresIn),
        }
    }

    pub fn duration(self) -> TimeDelta {
        TimeDelta::seconds(self.0)
    }
}

/// Up to 20 string keys (≤ 40 characters) with string values (≤ 500 characters), as Stripe allows.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Metadata(BTreeMap<String, String>);

impl Metadata {
    pub fn parse(raw: Option<&Value>) -> Result<Self, DomainError> {
        let Some(raw) = raw.filter(|v| !v.is_null()) else { return Ok(Self::default()) };
        let object = raw.as_object().ok_or(DomainError::InvalidMetadata("must be an object of strings"))?;
        if object.len() > 20 {
            return Err(DomainError::InvalidMetadata("has more than 20 keys"));
        }
        let mut map = BTreeMap::new();
        for (key, value) in object {
            if key.is_empty() || key.chars().count() > 40 {
                return Err(DomainError::InvalidMetadata("keys must have 1 to 40 characters"));
            }
            let value = value.as_str().ok_or(DomainError::InvalidMetadata("values must be strings"))?;
            if value.chars().count() > 500 {
                return Err(DomainError::InvalidMetadata("values must have at most 500 characters"));
            }
            map.insert(key.clone(), value.to_owned());
        }
        Ok(Self(map))
    }

    pub fn as_map(&self) -> &BTreeMap<String, String> {
        &self.0
    }
}

/// Where the browser goes after an approved payment: `success_url` with `{PAYMENT_INTENT_ID}`
/// and `{CHECKOUT_SESSION_ID}` replaced and `payment_intent=<id>` added to the query.
pub fn redirect_url(success_url: &str, id: &str) -> String {
    let url = success_url.replace("{PAYMENT_INTENT_ID}", id).replace("{CHECKOUT_SESSION_ID}", id);
    let (base, fragment) = match url.split_once('#') {
        Some((base, fragment)) => (base, Some(fragment)),
        None => (url.as_str(), None),
    };
    let separator = if !base.contains('?') {
        "?"
    } else if base.ends_with('?') || base.ends_with('&') {
        ""
    } else {
        "&"
    };
    let mut out = format!("{base}{separator}payment_intent={id}");
    if let Some(fragment) = fragment {
        out.push('#');
        out.push_str(fragment);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn redirect_urls_carry_the_intent() {
        let id = "pi_123";
        assert_eq!(redirect_url("https://shop.example/done", id), "https://shop.example/done?payment_intent=pi_123");
        assert_eq!(
            redirect_url("https://shop.example/done?x=1", id),
            "https://shop.example/done?x=1&payment_intent=pi_123"
        );
        assert_eq!(
            redirect_url("https://shop.example/o/{PAYMENT_INTENT_ID}?s={CHECKOUT_SESSION_ID}#top", id),
            "https://shop.example/o/pi_123?s=pi_123&payment_intent=pi_123#top"
        );
    }

    #[test]
    fn expires_in_defaults_to_an_hour_and_is_bounded() {
        assert_eq!(ExpiresIn::parse(None), Ok(ExpiresIn(3600)));
        assert_eq!(ExpiresIn::parse(Some(86_400)), Ok(ExpiresIn(86_400)));
        assert!(ExpiresIn::parse(Some(0)).is_err() && ExpiresIn::parse(Some(86_401)).is_err());
    }

    #[test]
    fn metadata_is_at_most_twenty_string_pairs() {
        assert_eq!(Metadata::parse(Some(&json!({"order": "42"}))).unwrap().as_map()["order"], "42");
        assert!(Metadata::parse(None).unwrap().as_map().is_empty());
        let many: serde_json::Map<String, Value> = (0..21).map(|i| (format!("k{i}"), json!("v"))).collect();
        for bad in [json!({"n": 1}), json!([1]), Value::Object(many), json!({"": "x"}), json!({"k": "x".repeat(501)})] {
            assert!(Metadata::parse(Some(&bad)).is_err(), "{bad}");
        }
    }

    #[test]
    fn statuses_round_trip() {
        for s in Status::ALL {
            assert_eq!(Status::parse(s.as_str()), Some(s));
        }
        assert!(Status::RequiresPaymentMethod.can_expire() && !Status::Succeeded.can_expire());
    }
}
