//! Secrets handed to clients: API keys (`sk_test_…`) and webhook signing secrets (`whsec_…`).
//! Their `Debug` is redacted so a stray `{:?}` can never log one.

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

/// The secret a merchant's webhook receiver verifies `Kassa-Signature` with. Unlike an API key
/// it must be kept recoverable: Kassa itself signs every delivery with it.
pub struct WebhookSecret(String);

impl WebhookSecret {
    pub fn generate() -> Self {
        Self(format!("whsec_{}", random_base62(32)))
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for WebhookSecret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("WebhookSecret([redacted])")
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
    fn debug_output_never_contains_the_secret() {
        let key = ApiKeySecret::generate();
        assert!(!format!("{key:?}").contains(key.expose()));
        let wh = WebhookSecret::generate();
        assert!(!format!("{wh:?}").contains(wh.expose()));
    }
}
