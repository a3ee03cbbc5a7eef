//! `kassa-conformance`: checks that a server implements `openapi/kassa.json`, from outside.
//!
//! It knows nothing but a base URL: it provisions its own users, merchants and keys through the
//! public API, drives the documented flows through the generated SDK (so the SDK is exercised
//! too) and the malformed requests through raw HTTP. Invariant: it never links the reference
//! server, so it judges an implementation in any language the same way.

mod cases;
mod ctx;
mod receiver;
pub mod report;
mod schema;
pub mod seen;

use std::future::Future;
use std::pin::Pin;

use futures::StreamExt;

pub use ctx::Ctx;
pub use report::{CaseResult, Report};

/// The contract the suite checks against, as built into it.
pub const CONTRACT: &str = include_str!("../../openapi/kassa.json");

/// [`CONTRACT`], parsed once for the whole suite.
pub static CONTRACT_JSON: std::sync::LazyLock<serde_json::Value> =
    std::sync::LazyLock::new(|| serde_json::from_str(CONTRACT).unwrap_or(serde_json::Value::Null));

/// What running a case yields.
pub type CaseFuture = Pin<Box<dyn Future<Output = anyhow::Result<()>> + Send>>;

/// One conformance case: a sentence of API.md, and the documented (operationId, status) pairs a
/// passing run of it has exercised.
pub struct Case {
    pub name: &'static str,
    pub covers: &'static [(&'static str, u16)],
    pub run: fn(Ctx) -> CaseFuture,
    /// It waits on the server's timers in real time (a webhook retry, a debit's settlement, an
    /// expiry): it starts first, so that its wait overlaps the other cases' work.
    pub waits: bool,
}

impl Case {
    /// The group a case belongs to: the word before the first `:` of its name.
    pub fn group(&self) -> &'static str {
        self.name.split(':').next().unwrap_or_default()
    }
}

/// The group of the sandbox controls (tag `test-helpers`): a production implementation of the
/// contract need not have them, so `--skip sandbox` leaves them out.
pub const SANDBOX: &str = "sandbox";

/// The contract's tag of the sandbox controls' operations.
pub const SANDBOX_TAG: &str = "test-helpers";

/// The error codes only the sandbox controls provoke: without them (`--skip sandbox`) no case
/// can see them, and an implementation need not answer them.
pub const SANDBOX_CODES: &[&str] = &["clock_advancing"];

#[derive(Debug, Clone, Default)]
pub struct Config {
    /// e.g. `http://127.0.0.1:4242`, without a trailing slash.
    pub base_url: String,
    /// Run only cases whose name contains this.
    pub filter: Option<String>,
    /// Groups to leave out (`sandbox`).
    pub skip: Vec<String>,
    /// The first delay of the server's webhook retry schedule, when it is not the documented
    /// default (`None`: [`DOCUMENTED_FIRST_RETRY`]). A server configured with a short schedule
    /// is checked quickly.
    pub webhook_first_retry: Option<std::time::Duration>,
}

/// API.md's default webhook retry schedule starts with 10 s.
pub const DOCUMENTED_FIRST_RETRY: std::time::Duration = std::time::Duration::from_secs(10);

/// How many cases run at once: enough to keep a 2-core server busy (most of a case's time is
/// round trips and password hashing), few enough not to starve it.
const PARALLEL_CASES: usize = 16;

/// Runs every case (or those matching the filter) and reports results and coverage.
/// `on_result` sees each result as it completes, for progress output.
pub async fn run(config: &Config, mut on_result: impl FnMut(&CaseResult)) -> Report {
    let base_url = config.base_url.trim_end_matches('/').to_owned();
    let skipped = |case: &&Case| config.skip.iter().any(|group| group == case.group());
    let selected: Vec<&Case> = cases::all()
        .iter()
        .filter(|case| config.filter.as_deref().is_none_or(|f| case.name.contains(f)))
        .filter(|case| !skipped(case))
        .collect();
    let skipped: Vec<(String, usize)> = config
        .skip
        .iter()
        .map(|group| (group.clone(), cases::all().iter().filter(|case| case.group() == group).count()))
        .collect();
    let mut results = Vec::with_capacity(selected.len());
    // Unordered, so that a slow case holds one slot and not the ones behind it; the report
    // keeps the cases' order.
    let mut queue: Vec<(usize, &Case)> = selected.into_iter().enumerate().collect();
    queue.sort_by_key(|(_, case)| !case.waits);
    let mut stream = futures::stream::iter(queue.into_iter().map(|(order, case)| {
        let cx = Ctx::new(&base_url, config);
        let seen = cx.seen.clone();
        async move {
            let outcome = tokio::spawn((case.run)(cx)).await;
            let (violations, seen) = (seen.violations(), seen.answers());
            let outcome = match outcome {
                Ok(Ok(())) => undeclared(case, &seen),
                Ok(Err(err)) => Err(format!("{err:#}")),
                Err(panic) => Err(format!("the case panicked: {panic}")),
            };
            // What the case asserted, then what every answer's schema says.
            let outcome = match (outcome, violations.is_empty()) {
                (outcome, true) => outcome,
                (Ok(()), false) => Err(violations.join("\n")),
                (Err(err), false) => Err(format!("{err}\n{}", violations.join("\n"))),
            };
            (order, CaseResult { name: case.name, covers: case.covers, seen, outcome })
        }
    }))
    .buffer_unordered(PARALLEL_CASES);
    while let Some((order, result)) = stream.next().await {
        on_result(&result);
        results.push((order, result));
    }
    results.sort_by_key(|(order, _)| *order);
    let results = results.into_iter().map(|(_, result)| result).collect();
    Report::new(results, skipped)
}

/// A passing case must have received every (operation, status) it declares: what it says it
/// covers is checked against what it saw.
fn undeclared(case: &Case, seen: &std::collections::BTreeSet<seen::Answer>) -> Result<(), String> {
    let missing: Vec<String> = case
        .covers
        .iter()
        .filter(|(op, status)| !seen.iter().any(|(o, s, _)| o == op && s == status))
        .map(|(op, status)| format!("{op} {status}"))
        .collect();
    if missing.is_empty() { Ok(()) } else { Err(format!("declares but never received: {}", missing.join(", "))) }
}

/// Every case the suite has, in report order.
pub fn all_cases() -> &'static [Case] {
    cases::all()
}
