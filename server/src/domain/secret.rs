//! Secrets handed to clients: API keys (`sk_test_…`) and webhook signing secrets (`whsec_…`).
//! Their `Debug` is redacted so a stray `{:?}` can never log one.

use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};

use super::ids::{is_base62, random_base62};

/// 43 base62 characters carry 43 × log2(62) ≈ 256 bits: the 32 random bytes the issue asks for.
const KEY_CHARS: usize = 43;

/// A secret API key. Kassa keeps only its SHA-256 (a fast hash is right here: the key is 256
/// random bits, so there is nothing to brute-force, and every API request has to look it up).
pub struct ApiKeySecret(String);

impl ApiKeySecret {
    pub const PREFIX: &'static str = "sk_test_";
    /// How much of the key is kept in clear, to tell keys apart in a list.
    const DISPLAY_CHARS: usize = Self::PREFIX.len() + 6;

    pub fn generate() -> Self {
        Self(format!("{}{}", Self::PREFIX, random_base62(KEY_CHARS)))
    }

    /// `None` for anything that is not shaped like a key Kassa issues; such a bearer token can
    /// be refused without a database round trip.
    pub fn parse(raw: &str) -> Option<Self> {
        let rest = raw.strip_prefix(Self::PREFIX)?;
        (rest.len() == KEY_CHARS && is_base62(rest)).then(|| Self(raw.to_owned()))
    }

    /// Hex SHA-256 of the whole key: what the store keeps and looks keys up by.
    pub fn hash(&self) -> String {
        hex::encode(Sha256::digest(self.0.as_bytes()))
    }

    pub fn display_prefix(&self) -> &str {
        &self.0[..Self::DISPLAY_CHARS]
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for ApiKeySecret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "ApiKeySecret({}…[redacted])", self.display_prefix())
    }
}

/// The secret a merchant's webhook receiver verifies deliveries with. Unlike an API key it must
/// be kept recoverable: Kassa itself signs every delivery with it. Its form, `whsec_` and the
/// base64 of 32 random bytes, is what Standard Webhooks asks for (24 to 64 bytes), so one secret
/// serves both signatures: Stripe's scheme keys its HMAC with the whole string, Standard
/// Webhooks with the decoded bytes.
pub struct WebhookSecret(String);

impl WebhookSecret {
    pub const PREFIX: &'static str = "whsec_";

    pub fn generate() -> Self {
        use base64::Engine as _;
        let bytes: [u8; 32] = rand::random();
        Self(format!("{}{}", Self::PREFIX, base64::engine::general_purpose::STANDARD.encode(bytes)))
    }

    /// A secret as stored (every one Kassa made, including the base62 ones of before, which are
    /// valid base64 too).
    pub fn from_stored(raw: String) -> Self {
        Self(raw)
    }

    /// The secret `kassa listen` signs with for API key `key_id`: derived from a server key, so
    /// it is the same for the same key every time, on every replica, and never stored.
    pub fn for_listener(server_key: &[u8], key_id: &str) -> Self {
        use base64::Engine as _;
        let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(server_key).expect("HMAC accepts keys of any length");
        mac.update(b"listen ");
        mac.update(key_id.as_bytes());
        let bytes = mac.finalize().into_bytes();
        Self(format!("{}{}", Self::PREFIX, base64::engine::general_purpose::STANDARD.encode(bytes)))
    }

    pub fn expose(&self) -> &str {
        &self.0
    }

    /// The key of the Standard Webhooks signature: the bytes the base64 after `whsec_` encodes.
    pub fn key_bytes(&self) -> Option<Vec<u8>> {
        use base64::Engine as _;
        let encoded = self.0.strip_prefix(Self::PREFIX)?;
        base64::engine::general_purpose::STANDARD.decode(encoded).ok()
    }
}

impl std::fmt::Debug for WebhookSecret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("WebhookSecret([redacted])")
    }
}

/// Derives and checks payment intents' client secrets (`pi_…_secret_…`). A client secret is
/// an HMAC of the intent's id under a server key, so it is never stored: replicas sharing the
/// key (kept in the database) all recognise it, and checking it is constant-time.
#[derive(Clone)]
pub struct ClientSecretKey(Vec<u8>);

impl ClientSecretKey {
    const TAG_BYTES: usize = 16;

    pub fn new(key: &[u8]) -> Self {
        Self(key.to_vec())
    }

    fn mac(&self, intent: &str) -> Hmac<Sha256> {
        let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(&self.0).expect("HMAC accepts keys of any length");
        mac.update(intent.as_bytes());
        mac
    }

    pub fn issue(&self, intent: &super::PaymentIntentId) -> String {
        let tag = self.mac(intent.as_ref()).finalize().into_bytes();
        format!("{intent}_secret_{}", hex::encode(&tag[..Self::TAG_BYTES]))
    }

    pub fn verify(&self, intent: &super::PaymentIntentId, presented: &str) -> bool {
        let Some(tag) = presented.strip_prefix(intent.as_ref()).and_then(|rest| rest.strip_prefix("_secret_")) else {
            return false;
        };
        match hex::decode(tag) {
            Ok(tag) if tag.len() == Self::TAG_BYTES => self.mac(intent.as_ref()).verify_truncated_left(&tag).is_ok(),
            _ => false,
        }
    }
}

impl std::fmt::Debug for ClientSecretKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ClientSecretKey([redacted])")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_generated_key_parses_back_and_hashes_stably() {
        let key = ApiKeySecret::generate();
        assert_eq!(key.expose().len(), 8 + 43);
        let again = ApiKeySecret::parse(key.expose()).unwrap();
        assert_eq!(key.hash(), again.hash());
        assert_eq!(key.hash().len(), 64);
        assert!(key.expose().starts_with(key.display_prefix()));
    }

    #[test]
    fn keys_of_another_shape_are_refused() {
        for bad in [
            "",
            "sk_test_",
            "sk_live_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
            "eyJhbGciOi.x.y",
            &format!("sk_test_{}", "a".repeat(42)),
            &format!("sk_test_{}-", "a".repeat(42)),
        ] {
            assert!(ApiKeySecret::parse(bad).is_none(), "{bad}");
        }
    }

    #[test]
    fn client_secrets_verify_only_for_their_intent_and_key() {
        let key = ClientSecretKey::new(b"server key");
        let (a, b) = (super::super::PaymentIntentId::generate(), super::super::PaymentIntentId::generate());
        let secret = key.issue(&a);
        assert!(secret.starts_with(&format!("{a}_secret_")));
        assert!(key.verify(&a, &secret));
        assert!(!key.verify(&b, &secret));
        assert!(!ClientSecretKey::new(b"other key").verify(&a, &secret));
        assert!(!key.verify(&a, &secret[..secret.len() - 2]));
        assert!(!key.verify(&a, ""));
    }

    #[test]
    fn debug_output_never_contains_the_secret() {
        let key = ApiKeySecret::generate();
        assert!(!format!("{key:?}").contains(key.expose()));
        let wh = WebhookSecret::generate();
        assert!(!format!("{wh:?}").contains(wh.expose()));
    }

    #[test]
    fn webhook_secrets_are_base64_of_32_random_bytes() {
        let secret = WebhookSecret::generate();
        assert!(secret.expose().starts_with("whsec_"));
        assert_eq!(secret.key_bytes().map(|b| b.len()), Some(32));
        assert_ne!(secret.expose(), WebhookSecret::generate().expose());
    }
}
