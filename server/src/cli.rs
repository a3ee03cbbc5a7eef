//! The command line (API.md "Running it"): `kassa serve` and its flags. Each flag also reads a
//! `KASSA_*` environment variable; a flag given on the command line wins.

use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(name = "kassa", version, about = "Kassa: a payments API sandbox and its reference server.")]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand)]
pub enum Command {
    /// Serve the API, the hosted checkout and the docs.
    Serve(ServeArgs),
    /// Print the OpenAPI contract this binary implements (what `cargo xtask openapi` writes).
    Openapi,
    /// Forward the merchant's events to a local URL, signed, as its webhook endpoint would
    /// receive them (like `stripe listen`).
    Listen(ListenArgs),
    /// Make the API calls that cause an event, e.g. `payment_intent.succeeded`.
    Trigger(TriggerArgs),
    /// Clear the merchant's payment intents, charges, refunds, events, deliveries, request logs
    /// and idempotency keys (its members, API keys and webhook settings stay).
    Reset(ClientArgs),
    /// Show or move the merchant's test clock: `show`, `freeze`, `advance 7d`, `advance --next`,
    /// `resume`.
    #[command(subcommand)]
    Clock(ClockCommand),
}

#[derive(Subcommand)]
pub enum ClockCommand {
    /// The clock's now, whether it is frozen, and when the next pending work falls due.
    Show(ClientArgs),
    /// Stop the clock, now or at a later `--at` (RFC 3339).
    Freeze {
        #[arg(long)]
        at: Option<String>,
        #[command(flatten)]
        client: ClientArgs,
    },
    /// Move the clock forward by a duration (`90m`, `7d`), or `--next` to the next pending
    /// work, running everything that falls due on the way.
    Advance {
        /// How far, e.g. `30s`, `90m`, `7d`.
        #[arg(required_unless_present = "next", conflicts_with = "next")]
        duration: Option<String>,
        #[arg(long)]
        next: bool,
        #[command(flatten)]
        client: ClientArgs,
    },
    /// Let the clock run again at real speed from where it stands.
    Resume(ClientArgs),
}

/// Where a command finds the server, and as whom it acts.
#[derive(Clone, clap::Args)]
pub struct ClientArgs {
    /// A secret API key of the merchant, `sk_test_…`.
    #[arg(long, env = "KASSA_API_KEY", hide_env_values = true)]
    pub api_key: String,
    /// The server's base URL.
    #[arg(long, env = "KASSA_BASE_URL", default_value = "http://127.0.0.1:4242")]
    pub base_url: String,
}

#[derive(Clone, clap::Args)]
pub struct ListenArgs {
    /// The local URL to POST each event to, e.g. `http://127.0.0.1:8000/webhook`.
    #[arg(long)]
    pub forward_to: String,
    /// Only these event types, comma-separated.
    #[arg(long)]
    pub events: Option<String>,
    #[command(flatten)]
    pub client: ClientArgs,
}

#[derive(Clone, clap::Args)]
pub struct TriggerArgs {
    /// The event to cause: payment_intent.created, .requires_action, .processing, .authorized,
    /// .succeeded, .payment_failed, .canceled, .expired, or refund.created.
    pub event_type: String,
    #[command(flatten)]
    pub client: ClientArgs,
}

#[derive(Clone, clap::Args)]
pub struct ServeArgs {
    /// Address to listen on.
    #[arg(long, env = "KASSA_LISTEN", default_value = "127.0.0.1:4242")]
    pub listen: String,
    /// Database: `sqlite://PATH` (created if missing) or `postgres://…`, which any number of
    /// `kassa serve` processes may share.
    #[arg(long, env = "KASSA_DATABASE_URL", default_value = "sqlite://kassa.db")]
    pub database_url: String,
    /// Public base URL of this server, used in `checkout_url` [default: http://<listen>].
    #[arg(long, env = "KASSA_PUBLIC_URL")]
    pub public_url: Option<String>,
    /// Secret that signs user access tokens (at least 32 characters). If unset, one is generated
    /// once and kept in the database, so replicas agree.
    #[arg(long, env = "KASSA_JWT_SECRET", hide_env_values = true)]
    pub jwt_secret: Option<String>,
    /// Delays between webhook delivery attempts, e.g. `10s,1m,5m`: one retry per delay, each
    /// ±20 %, then the delivery has failed. The default spans about three days, as Stripe's
    /// retries do.
    #[arg(long, env = "KASSA_WEBHOOK_RETRY_SCHEDULE", default_value = "10s,1m,5m,30m,2h,5h,10h,10h,14h,14h,16h")]
    pub webhook_retry_schedule: String,
    /// Deliver webhooks to public internet addresses only: refuse loopback, private,
    /// link-local and other local addresses, checked on the address each connection resolves
    /// to. Off by default, for a sandbox on a laptop; 169.254.169.254 is refused either way.
    #[arg(long, env = "KASSA_WEBHOOK_PUBLIC_ONLY")]
    pub webhook_public_only: bool,
    /// How long a request may run before it is answered with an error, e.g. `30s`. It is also
    /// how long a request holds its Idempotency-Key before a retry may take an unanswered key
    /// over.
    #[arg(long, env = "KASSA_REQUEST_TIMEOUT", default_value = "30s")]
    pub request_timeout: String,
    /// How long a debit (sepa_debit, au_becs_debit) stays `processing` before it settles,
    /// e.g. `3s`. A real bank takes days; the sandbox takes seconds.
    #[arg(long, env = "KASSA_DEBIT_SETTLEMENT_DELAY", default_value = "3s")]
    pub debit_settlement_delay: String,
    /// Login and register attempts naming one email, per minute; past it, `429` until the
    /// minute ends. 0 turns the limit off.
    #[arg(long, env = "KASSA_AUTH_LIMIT_PER_EMAIL", default_value_t = 10)]
    pub auth_limit_per_email: u32,
    /// Login and register attempts from one client address, per minute. 0 turns it off.
    #[arg(long, env = "KASSA_AUTH_LIMIT_PER_ADDRESS", default_value_t = 1000)]
    pub auth_limit_per_address: u32,
    /// Requests with one API key, per minute (6000: 100 a second). 0 turns it off.
    #[arg(long, env = "KASSA_API_KEY_LIMIT", default_value_t = 6000)]
    pub api_key_limit: u32,
    /// Behind a proxy: the header it puts the client's address in (e.g. `x-forwarded-for`);
    /// the last address in it is the one the proxy saw. Without it, the peer address is the
    /// client's. Set it only when every request comes through that proxy.
    #[arg(long, env = "KASSA_CLIENT_IP_HEADER")]
    pub client_ip_header: Option<String>,
    /// `text` for people, `json` for log collectors: one JSON object per line, with the
    /// request's id, method and route on every line logged while it runs.
    #[arg(long, env = "KASSA_LOG_FORMAT", value_enum, default_value_t = LogFormat::Text)]
    pub log_format: LogFormat,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum LogFormat {
    Text,
    Json,
}
