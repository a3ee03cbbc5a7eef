//! `Config`: the command line parsed into typed values. It builds nothing and does no I/O.

use std::net::SocketAddr;
use std::time::Duration;

use anyhow::{Context, bail};

use crate::cli::ServeArgs;

#[derive(Clone)]
pub struct Config {
    pub listen: SocketAddr,
    pub database_url: String,
    /// Without a trailing slash.
    pub public_url: String,
    pub jwt_secret: Option<String>,
    pub webhook_retry_schedule: Vec<Duration>,
    pub webhook_public_only: bool,
    pub request_timeout: Duration,
    /// How long a debit stays `processing`.
    pub debit_settlement_delay: Duration,
    pub rate_limits: RateLimits,
    /// The header a trusted proxy puts the client's address in.
    pub client_ip_header: Option<axum::http::HeaderName>,
}

/// Requests per minute; 0 is no limit.
#[derive(Clone, Copy, Debug)]
pub struct RateLimits {
    /// Login and register attempts naming one email.
    pub per_email: u32,
    /// Login and register attempts from one client address.
    pub per_address: u32,
    /// Requests with one API key.
    pub per_api_key: u32,
}

impl Default for RateLimits {
    /// The defaults of `kassa serve`.
    fn default() -> Self {
        Self { per_email: 10, per_address: 1000, per_api_key: 6000 }
    }
}

impl std::fmt::Debug for Config {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Config")
            .field("listen", &self.listen)
            .field("public_url", &self.public_url)
            .field("jwt_secret", &self.jwt_secret.as_ref().map(|_| "[redacted]"))
            .finish_non_exhaustive()
    }
}

impl Config {
    pub fn from_args(args: ServeArgs) -> anyhow::Result<Self> {
        let listen: SocketAddr = args
            .listen
            .parse()
            .with_context(|| format!("--listen {:?} is not an address like 127.0.0.1:4242", args.listen))?;
        let public_url = match args.public_url {
            Some(url) if url.starts_with("http://") || url.starts_with("https://") => {
                url.trim_end_matches('/').to_owned()
            }
            Some(url) => bail!("--public-url {url:?} must be an absolute http(s) URL"),
            None => format!("http://{listen}"),
        };
        if args.jwt_secret.as_ref().is_some_and(|secret| secret.len() < 32) {
            bail!("KASSA_JWT_SECRET must be at least 32 characters");
        }
        let database_url = match args.database_url.as_str() {
            url if url.contains(":memory:") || url.contains("mode=memory") => {
                bail!(
                    "--database-url {url:?}: an in-memory database cannot be shared by the server's connections; use a file"
                )
            }
            url if url.starts_with("sqlite:") || url.starts_with("postgres://") || url.starts_with("postgresql://") => {
                args.database_url
            }
            other => bail!("--database-url {other:?} must start with sqlite:// or postgres://"),
        };
        let client_ip_header = match args.client_ip_header.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(name) => Some(
                axum::http::HeaderName::try_from(name.to_ascii_lowercase())
                    .with_context(|| format!("--client-ip-header {name:?} is not a header name"))?,
            ),
        };
        Ok(Self {
            rate_limits: RateLimits {
                per_email: args.auth_limit_per_email,
                per_address: args.auth_limit_per_address,
                per_api_key: args.api_key_limit,
            },
            client_ip_header,
            listen,
            database_url,
            public_url,
            jwt_secret: args.jwt_secret,
            webhook_retry_schedule: parse_schedule(&args.webhook_retry_schedule)?,
            webhook_public_only: args.webhook_public_only,
            request_timeout: match parse_schedule(&args.request_timeout)?.as_slice() {
                [timeout] => *timeout,
                _ => bail!("--request-timeout {:?} must be one duration, like 30s", args.request_timeout),
            },
            debit_settlement_delay: match parse_schedule(&args.debit_settlement_delay)?.as_slice() {
                [delay] if *delay <= MAX_SETTLEMENT_DELAY => *delay,
                [_] => bail!("--debit-settlement-delay {:?} must be at most 30d", args.debit_settlement_delay),
                _ => bail!("--debit-settlement-delay {:?} must be one duration, like 3s", args.debit_settlement_delay),
            },
        })
    }
}

/// A debit settles within this: longer than any real bank takes, and far from any date limit.
const MAX_SETTLEMENT_DELAY: Duration = Duration::from_secs(30 * 86_400);

/// `10s,1m,5m,2h,1d` → durations; each item is a positive integer and a unit (s, m, h, d).
pub fn parse_schedule(raw: &str) -> anyhow::Result<Vec<Duration>> {
    raw.split(',')
        .map(|item| {
            let item = item.trim();
            let split = item.find(|c: char| !c.is_ascii_digit()).unwrap_or(item.len());
            let (number, unit) = item.split_at(split);
            let n: u64 = number
                .parse()
                .ok()
                .filter(|n| *n > 0)
                .with_context(|| format!("retry delay {item:?} needs a positive number"))?;
            let unit_seconds: u64 = match unit {
                "s" => 1,
                "m" => 60,
                "h" => 3600,
                "d" => 86_400,
                _ => bail!("retry delay {item:?} needs a unit: s, m, h or d"),
            };
            let seconds = n.checked_mul(unit_seconds).with_context(|| format!("retry delay {item:?} is too long"))?;
            Ok(Duration::from_secs(seconds))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retry_schedules_parse_with_units() {
        let schedule = parse_schedule("10s, 1m,2h,1d").unwrap();
        assert_eq!(schedule, [10, 60, 7200, 86_400].map(Duration::from_secs));
    }

    #[test]
    fn malformed_retry_schedules_are_refused() {
        for bad in ["", "10", "0s", "5w", "s", "1m,,2m", "99999999999999999d"] {
            assert!(parse_schedule(bad).is_err(), "{bad:?}");
        }
    }
}
