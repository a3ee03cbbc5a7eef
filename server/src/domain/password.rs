//! `Password`: a candidate password that meets API.md's strength rule. Its `Debug` is redacted.

use super::DomainError;

pub struct Password(String);

impl Password {
    /// API.md: at least 10 characters, at least one letter and one digit. The 1,024 upper bound
    /// keeps a hostile client from making argon2 hash megabytes.
    pub fn parse(raw: String) -> Result<Self, DomainError> {
        let chars = raw.chars().count();
        let strong = (10..=1024).contains(&chars)
            && raw.chars().any(char::is_alphabetic)
            && raw.chars().any(|c| c.is_ascii_digit());
        if strong { Ok(Self(raw)) } else { Err(DomainError::WeakPassword) }
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Password {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Password([redacted])")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ten_characters_with_a_letter_and_a_digit_is_strong_enough() {
        assert!(Password::parse("abcdefghi1".into()).is_ok());
        assert!(Password::parse("ünïcödé123".into()).is_ok());
    }

    #[test]
    fn short_letterless_or_digitless_passwords_are_weak() {
        for weak in ["abcdefgh1", "1234567890", "abcdefghijk", "", &"a1".repeat(513)] {
            assert!(matches!(Password::parse(weak.to_string()), Err(DomainError::WeakPassword)), "{weak:?}");
        }
    }

    #[test]
    fn debug_never_shows_the_password() {
        let p = Password::parse("secret-password-1".into()).unwrap();
        assert!(!format!("{p:?}").contains("secret"));
    }
}
