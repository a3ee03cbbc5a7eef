//! `kassa-conformance --base-url URL [--filter TEXT] [--report text|json|junit] [--skip GROUP]
//! [--webhook-first-retry SECONDS]`
//! (run it as `cargo xtask conformance …`). Exits non-zero when a case fails.

use std::process::ExitCode;

use clap::{Parser, ValueEnum};
use kassa_conformance::{Config, run};

#[derive(Parser)]
#[command(name = "kassa-conformance", about = "Checks a server against openapi/kassa.json, from outside.")]
struct Cli {
    /// Base URL of the server under test.
    #[arg(long)]
    base_url: String,
    /// Run only the cases whose name contains this text.
    #[arg(long)]
    filter: Option<String>,
    #[arg(long, value_enum, default_value_t = Format::Text)]
    report: Format,
    /// Leave out a group of cases: `sandbox` (the test helpers and `Kassa-Simulate`, which a
    /// production implementation need not have). Repeatable.
    #[arg(long)]
    skip: Vec<String>,
    /// The first delay of the server's webhook retry schedule, in seconds, when it runs
    /// another than the documented default (10).
    #[arg(long)]
    webhook_first_retry: Option<u64>,
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    Text,
    Json,
    Junit,
}

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    let config = Config {
        base_url: cli.base_url,
        filter: cli.filter,
        skip: cli.skip,
        webhook_first_retry: cli.webhook_first_retry.map(std::time::Duration::from_secs),
    };
    let total = kassa_conformance::all_cases().len();
    let mut done = 0;
    let report = run(&config, |result| {
        done += 1;
        match cli.report {
            // Progress goes to stderr for the machine-readable formats.
            Format::Text => println!("{}", result.line()),
            Format::Json | Format::Junit => eprintln!("[{done}/{total}] {}", result.line()),
        }
    })
    .await;
    match cli.report {
        Format::Text => print!("{}", report.text_summary()),
        Format::Json => println!("{:#}", report.json()),
        Format::Junit => print!("{}", report.junit()),
    }
    if report.failed() == 0 && !report.results.is_empty() { ExitCode::SUCCESS } else { ExitCode::FAILURE }
}
