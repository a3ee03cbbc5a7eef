//! `HttpUrl`: an absolute http(s) URL, as API.md requires of webhook and redirect URLs.

use super::DomainError;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpUrl(String);

impl HttpUrl {
    pub const MAX_LEN: usize = 2048;
    /// What [`Self::parse`] accepts, as the contract states it (with `maxLength`).
    pub const PATTERN: &'static str = r"^[Hh][Tt][Tt][Pp][Ss]?://([^\s\x00-\x1F\x7F-\x9F/?#]*@)?[^\s\x00-\x1F\x7F-\x9F/?#@:][^\s\x00-\x1F\x7F-\x9F/?#@]*([/?#][^\s\x00-\x1F\x7F-\x9F]*)?$";

    /// Absolute `http://` or `https://` with a non-empty host, no whitespace, at most 2,048
    /// characters. The scheme is matched case-insensitively, as RFC 3986 says.
    pub fn parse(raw: &str, field: &'static str) -> Result<Self, DomainError> {
        let lower = raw.to_ascii_lowercase();
        let rest = lower.strip_prefix("https://").or_else(|| lower.strip_prefix("http://"));
        let host = rest.map(|r| r.split(['/', '?', '#']).next().unwrap_or_default());
        let valid = raw.chars().count() <= Self::MAX_LEN
            && !raw.chars().any(|c| c.is_whitespace() || c.is_control())
            && host.is_some_and(|h| {
                let h = h.rsplit('@').next().unwrap_or_default();
                !h.is_empty() && !h.starts_with(':')
            });
        if valid { Ok(Self(raw.to_owned())) } else { Err(DomainError::InvalidUrl { field }) }
    }
}

impl AsRef<str> for HttpUrl {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_contracts_pattern_accepts_what_parse_accepts() {
        let pattern = regex::Regex::new(HttpUrl::PATTERN).unwrap();
        let urls = [
            "https://shop.example/thanks?order=1#top",
            "HTTP://localhost:8000",
            "http://user:pw@host/x",
            "http://a@b@c/",
            "http://@/x",
            "http://:80/",
            "https://",
            "ftp://x.example",
            "https://shop.example/a b",
            "https://shop.example/\u{85}",
            "shop.example",
            "",
        ];
        for url in urls {
            assert_eq!(pattern.is_match(url), HttpUrl::parse(url, "url").is_ok(), "{url:?}");
        }
    }

    #[test]
    fn absolute_http_and_https_urls_are_accepted() {
        for ok in ["https://example.com", "http://localhost:3000/hook?x=1", "HTTPS://Example.com/a#b"] {
            assert!(HttpUrl::parse(ok, "webhook_url").is_ok(), "{ok}");
        }
    }

    #[test]
    fn relative_other_scheme_and_hostless_urls_are_refused() {
        for bad in [
            "",
            "/hook",
            "example.com",
            "ftp://example.com",
            "https://",
            "https:///x",
            "https://:80/",
            "https://exa mple.com",
            "javascript:alert(1)",
        ] {
            assert_eq!(
                HttpUrl::parse(bad, "webhook_url"),
                Err(DomainError::InvalidUrl { field: "webhook_url" }),
                "{bad}"
            );
        }
    }
}
