//! `Name`: a display name (user, merchant, API key): trimmed, 1 to 200 characters.

use super::DomainError;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Name(String);

impl Name {
    pub const MAX_CHARS: usize = 200;
    /// What [`Self::parse`] accepts, as the contract states it (with `maxLength` 200): no
    /// control characters but the white space trimmed around it, and something besides spaces.
    pub const PATTERN: &'static str = concat!(
        r"^[\t-\r \x85\xA0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]*",
        r"[^\x00-\x1F\x7F-\x9F]*[^\s\x00-\x1F\x7F-\x9F][^\x00-\x1F\x7F-\x9F]*",
        r"[\t-\r \x85\xA0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]*$"
    );

    /// `field` names the request field in the error, so the client sees which one was wrong.
    pub fn parse(raw: &str, field: &'static str) -> Result<Self, DomainError> {
        let name = raw.trim();
        if name.is_empty() {
            return Err(DomainError::InvalidName { field, reason: "must not be empty" });
        }
        // Counted as sent, spaces included, as the contract's `maxLength` counts it.
        if raw.chars().count() > Self::MAX_CHARS {
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
    fn the_contracts_pattern_accepts_what_parse_accepts() {
        let pattern = regex::Regex::new(Name::PATTERN).unwrap();
        let longest = "x".repeat(200);
        // `maxLength` counts the value as sent, its spaces too.
        let padded = format!("\u{2003}{longest}");
        for raw in [
            "Acme",
            "  Acme Inc. ",
            "Zoë",
            "",
            "   ",
            "a\nb",
            "\u{85}a",
            "\ta\n",
            "\u{1}a",
            "\u{7f}",
            &longest,
            &padded,
        ] {
            let schema_accepts = pattern.is_match(raw) && raw.chars().count() <= Name::MAX_CHARS;
            assert_eq!(schema_accepts, Name::parse(raw, "name").is_ok(), "{raw:?}");
        }
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
