//! `Email`: a normalised (trimmed, lower-cased) address, the identity users log in with.

use super::DomainError;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Email(String);

impl Email {
    pub const MAX_LEN: usize = 254;
    /// What [`Self::parse`] accepts, as the contract states it (with `maxLength`).
    pub const PATTERN: &'static str =
        r"^\s*[^\s\x00-\x1F\x7F-\x9F@]{1,64}@[^\s\x00-\x1F\x7F-\x9F@.]+(\.[^\s\x00-\x1F\x7F-\x9F@.]+)+\s*$";

    /// Accepts `local@domain.tld` without whitespace, at most 254 characters (RFC 5321's path
    /// limit). Deliberately not a full RFC 5322 parser: registration only needs an address a
    /// person can receive mail at, and the case-folded form keeps `A@x.io` and `a@x.io` one user.
    pub fn parse(raw: &str) -> Result<Self, DomainError> {
        let email = raw.trim().to_lowercase();
        // Counted as sent, spaces included, as the contract's `maxLength` counts it.
        let valid = raw.chars().count() <= Self::MAX_LEN
            && !email.chars().any(|c| c.is_whitespace() || c.is_control())
            && match email.split_once('@') {
                Some((local, domain)) => {
                    !local.is_empty()
                        && local.chars().count() <= 64
                        && !domain.contains('@')
                        && domain.contains('.')
                        && domain.split('.').all(|label| !label.is_empty())
                }
                None => false,
            };
        if valid { Ok(Self(email)) } else { Err(DomainError::InvalidEmail) }
    }
}

impl AsRef<str> for Email {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_contracts_pattern_accepts_what_parse_accepts() {
        let pattern = regex::Regex::new(Email::PATTERN).unwrap();
        let long_local = format!("{}@x.io", "a".repeat(65));
        // `maxLength` counts the value as sent, its spaces too: 254 characters and one space.
        let padded = format!(" {}@{}.io", "a".repeat(64), "b".repeat(186));
        let emails = [
            "ada@example.com",
            " Ada@Example.COM ",
            "zoë@bücher.de",
            "a@b",
            "a@b.",
            "a@.b",
            "@b.c",
            "a b@c.d",
            "a@b@c.d",
            "a\n@b.c",
            &long_local,
            "",
            &padded,
        ];
        for email in emails {
            let schema_accepts = pattern.is_match(email) && email.chars().count() <= Email::MAX_LEN;
            assert_eq!(schema_accepts, Email::parse(email).is_ok(), "{email:?}");
        }
    }

    #[test]
    fn addresses_are_trimmed_and_lower_cased() {
        assert_eq!(Email::parse("  Ada@Example.COM ").unwrap().as_ref(), "ada@example.com");
    }

    #[test]
    fn malformed_addresses_are_refused() {
        for bad in [
            "",
            "ada",
            "ada@",
            "@example.com",
            "ada@example",
            "a b@example.com",
            "ada@@example.com",
            "ada@example..com",
            "ada@.com",
        ] {
            assert_eq!(Email::parse(bad), Err(DomainError::InvalidEmail), "{bad:?}");
        }
        let long = format!("{}@example.com", "a".repeat(250));
        assert_eq!(Email::parse(&long), Err(DomainError::InvalidEmail));
    }
}
