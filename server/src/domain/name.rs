//! `Name`: a display name (user, merchant, API key): trimmed, 1 to 200 characters.

use super::DomainError;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Name(String);

impl Name {
    pub const MAX_CHARS: usize = 200;

    /// `field` names the request field in the error, so the client sees which one was wrong.
    pub fn parse(raw: &str, field: &'static str) -> Result<Self, DomainError> {
        let name = raw.trim();
        if name.is_empty() {
            return Err(DomainError::InvalidName { field, reason: "must not be empty" });
        }
        if name.chars().count() > Self::MAX_CHARS {
            return Err(DomainError::InvalidName { field, reason: "must be at most 200 characters" });
        }
        if name.chars().any(char::is_control) {
            return Err(DomainError::InvalidName { field, reason: "must not contain control characters" });
        }
        Ok(Self(name.to_owned()))
    }
}

impl AsRef<str> for Name {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_trimmed() {
        assert_eq!(Name::parse("  Acme Inc. ", "name").unwrap().as_ref(), "Acme Inc.");
    }

    #[test]
    fn empty_overlong_and_control_names_are_refused() {
        for bad in ["", "   ", "a\nb"] {
            assert!(Name::parse(bad, "name").is_err(), "{bad:?}");
        }
        assert!(Name::parse(&"x".repeat(201), "name").is_err());
        assert!(Name::parse(&"x".repeat(200), "name").is_ok());
    }
}
