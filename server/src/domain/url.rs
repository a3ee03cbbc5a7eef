//! `HttpUrl`: an absolute http(s) URL, as API.md requires of webhook and redirect URLs.

use super::DomainError;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpUrl(String);

impl HttpUrl {
    /// Absolute `http://` or `https://` with a non-empty host, no whitespace, at most 2,048
    /// characters. The scheme is matched case-insensitively, as RFC 3986 says.
    pub fn parse(raw: &str, field: &'static str) -> Result<Self, DomainError> {
        let lower = raw.to_ascii_lowercase();
        let rest = lower.strip_prefix("https://").or_else(|| lower.strip_prefix("http://"));
        let host = rest.map(|r| r.split(['/', '?', '#']).next().unwrap_or_default());
        let valid = raw.len() <= 2048
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
