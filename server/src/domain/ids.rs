//! Prefixed identifiers (`key_…`, `evt_…`, `req_…`): a type prefix and 24 random base62
//! characters, as API.md's Conventions require. Users and merchants use UUIDs instead.

use rand::Rng;

use super::DomainError;

const BASE62: &[u8] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/// `len` characters drawn uniformly from base62 with the thread-local CSPRNG
/// (ChaCha, reseeded from the OS): each character carries log2(62) ≈ 5.95 bits.
pub fn random_base62(len: usize) -> String {
    let mut rng = rand::rng();
    (0..len).map(|_| BASE62[rng.random_range(0..BASE62.len())] as char).collect()
}

pub(super) fn is_base62(s: &str) -> bool {
    s.bytes().all(|b| b.is_ascii_alphanumeric())
}

macro_rules! prefixed_id {
    ($(#[$doc:meta])* $name:ident, $prefix:literal, $kind:literal) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        pub struct $name(String);

        impl $name {
            pub const PREFIX: &'static str = $prefix;
            /// What [`Self::parse`] accepts, as the contract states it.
            pub const PATTERN: &'static str = concat!("^", $prefix, "[0-9A-Za-z]{24,64}$");

            pub fn generate() -> Self {
                Self(format!("{}{}", $prefix, random_base62(24)))
            }

            /// The prefix and 24 to 64 base62 characters; anything else cannot name an object.
            pub fn parse(raw: &str) -> Result<Self, DomainError> {
                match raw.strip_prefix($prefix) {
                    Some(rest) if (24..=64).contains(&rest.len()) && is_base62(rest) => Ok(Self(raw.to_owned())),
                    _ => Err(DomainError::InvalidId { kind: $kind }),
                }
            }
        }

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(&self.0)
            }
        }
    };
}

prefixed_id!(
    /// An API key's public id, safe to show and log.
    ApiKeyId, "key_", "API key"
);
prefixed_id!(
    /// A payment intent's id.
    PaymentIntentId, "pi_", "payment intent"
);
prefixed_id!(
    /// A charge's id: one attempt to pay an intent.
    ChargeId, "ch_", "charge"
);
prefixed_id!(
    /// A refund's id.
    RefundId, "re_", "refund"
);
prefixed_id!(
    /// An event's id.
    EventId, "evt_", "event"
);
prefixed_id!(
    /// The id of one HTTP request, returned in `Request-Id` and in every error body.
    RequestId, "req_", "request"
);
prefixed_id!(
    /// An event's delivery to the merchant's webhook endpoint (internal).
    DeliveryId, "dlv_", "delivery"
);
prefixed_id!(
    /// One attempt to deliver an event.
    AttemptId, "att_", "delivery attempt"
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_ids_carry_their_prefix_and_parse_back() {
        let id = ApiKeyId::generate();
        assert!(id.as_ref().starts_with("key_") && id.as_ref().len() == 28);
        assert_eq!(ApiKeyId::parse(id.as_ref()), Ok(id));
    }

    #[test]
    fn ids_with_another_prefix_or_alphabet_are_refused() {
        let evt = EventId::generate();
        assert!(ApiKeyId::parse(evt.as_ref()).is_err());
        assert!(ApiKeyId::parse("key_short").is_err());
        assert!(ApiKeyId::parse("key_aaaaaaaaaaaaaaaaaaaaaaa-").is_err());
        assert!(EventId::parse(&format!("evt_{}", "a".repeat(65))).is_err());
    }

    #[test]
    fn the_contracts_pattern_accepts_what_parse_accepts() {
        let pattern = regex::Regex::new(PaymentIntentId::PATTERN).unwrap();
        let generated = PaymentIntentId::generate();
        let long = format!("pi_{}", "a".repeat(64));
        let too_long = format!("pi_{}", "a".repeat(65));
        let ids = [
            generated.as_ref(),
            &long,
            &too_long,
            "pi_short",
            "pi_aaaaaaaaaaaaaaaaaaaaaaa-",
            "ch_aaaaaaaaaaaaaaaaaaaaaaaa",
            "0",
            "",
        ];
        for id in ids {
            assert_eq!(pattern.is_match(id), PaymentIntentId::parse(id).is_ok(), "{id:?}");
        }
    }

    #[test]
    fn random_base62_draws_from_the_whole_alphabet() {
        let s = random_base62(4000);
        assert!(is_base62(&s));
        for c in ['0', '9', 'A', 'Z', 'a', 'z'] {
            assert!(s.contains(c), "4000 draws never produced {c}");
        }
    }
}
