//! Results and coverage: one line per case, `N passed, N failed`, and the documented
//! (operation, status) pairs of the contract that no passing case exercised.

use std::collections::BTreeSet;

use serde_json::{Value, json};

use crate::seen::Answer;

#[derive(Debug, Clone)]
pub struct CaseResult {
    pub name: &'static str,
    pub covers: &'static [(&'static str, u16)],
    /// Every answer the case received.
    pub seen: BTreeSet<Answer>,
    pub outcome: Result<(), String>,
}

impl CaseResult {
    pub fn line(&self) -> String {
        match &self.outcome {
            Ok(()) => format!("PASS  {}", self.name),
            Err(why) => format!("FAIL  {}\n      {}", self.name, why.replace('\n', "\n      ")),
        }
    }
}

#[derive(Debug)]
pub struct Report {
    pub results: Vec<CaseResult>,
    /// Documented (operationId, status) pairs no passing case exercised, 500s aside (and the
    /// sandbox's, when it was skipped).
    pub not_exercised: Vec<(String, u16)>,
    /// Groups left out, with how many cases each has.
    pub skipped: Vec<(String, usize)>,
    /// Documented answers (operation, status, error code) no passing case received.
    pub never_seen: Vec<Answer>,
}

/// Every (operationId, status) pair `openapi/kassa.json` documents. A 500 cannot be provoked
/// from outside a correct server, so those are listed apart, not as gaps.
pub fn documented_pairs() -> BTreeSet<(String, u16)> {
    documented_pairs_but(&[])
}

/// The documented pairs of the operations not tagged with one of `tags`.
fn documented_pairs_but(tags: &[&str]) -> BTreeSet<(String, u16)> {
    crate::seen::documented_responses(tags).into_iter().map(|(id, status, _)| (id, status)).collect()
}

impl Report {
    pub fn new(results: Vec<CaseResult>, skipped: Vec<(String, usize)>) -> Self {
        let seen: BTreeSet<Answer> =
            results.iter().filter(|r| r.outcome.is_ok()).flat_map(|r| r.seen.iter().cloned()).collect();
        let exercised: BTreeSet<(String, u16)> = seen.iter().map(|(op, status, _)| (op.clone(), *status)).collect();
        // A production implementation need not have the sandbox's operations.
        let sandbox_skipped = skipped.iter().any(|(group, _)| group == crate::SANDBOX);
        let skip_tags: &[&str] = if sandbox_skipped { &[crate::SANDBOX_TAG] } else { &[] };
        let not_exercised = documented_pairs_but(skip_tags).difference(&exercised).cloned().collect();
        let never_seen = crate::seen::documented(skip_tags)
            .difference(&seen)
            .filter(|(_, _, code)| {
                !sandbox_skipped || !code.as_deref().is_some_and(|c| crate::SANDBOX_CODES.contains(&c))
            })
            .cloned()
            .collect();
        Self { results, not_exercised, skipped, never_seen }
    }

    pub fn passed(&self) -> usize {
        self.results.iter().filter(|r| r.outcome.is_ok()).count()
    }

    pub fn failed(&self) -> usize {
        self.results.len() - self.passed()
    }

    pub fn failed_names(&self) -> Vec<&'static str> {
        self.results.iter().filter(|r| r.outcome.is_err()).map(|r| r.name).collect()
    }

    /// The closing lines of the text report (the per-case lines are printed as they finish).
    pub fn text_summary(&self) -> String {
        let mut out = String::new();
        for (group, cases) in &self.skipped {
            out.push_str(&format!("Skipped: the {group} group ({cases} cases), as --skip {group} asked.\n"));
        }
        if self.not_exercised.is_empty() {
            out.push_str("Every documented response was exercised (500s aside).\n");
        } else {
            out.push_str(&format!("Not exercised ({} documented responses):\n", self.not_exercised.len()));
            for (op, status) in &self.not_exercised {
                out.push_str(&format!("  {op} {status}\n"));
            }
        }
        if self.never_seen.is_empty() {
            out.push_str("Every documented error code was received.\n");
        } else {
            out.push_str(&format!(
                "Never seen ({} documented answers, operation status code):\n",
                self.never_seen.len()
            ));
            for (op, status, code) in &self.never_seen {
                out.push_str(&format!("  {op} {status} {}\n", code.as_deref().unwrap_or("-")));
            }
        }
        out.push_str("(500 internal_error is documented on every operation and cannot be provoked from outside.)\n");
        out.push_str(&format!("{} passed, {} failed\n", self.passed(), self.failed()));
        out
    }

    pub fn json(&self) -> Value {
        json!({
            "passed": self.passed(),
            "failed": self.failed(),
            "cases": self.results.iter().map(|r| json!({
                "name": r.name,
                "passed": r.outcome.is_ok(),
                "error": r.outcome.as_ref().err(),
                "covers": r.covers.iter().map(|(op, status)| json!({"operation": op, "status": status})).collect::<Vec<_>>(),
            })).collect::<Vec<_>>(),
            "skipped": self.skipped.iter().map(|(group, cases)| json!({"group": group, "cases": cases})).collect::<Vec<_>>(),
            "not_exercised": self.not_exercised.iter().map(|(op, status)| json!({"operation": op, "status": status})).collect::<Vec<_>>(),
            "never_seen": self.never_seen.iter().map(|(op, status, code)| json!({"operation": op, "status": status, "code": code})).collect::<Vec<_>>(),
        })
    }

    pub fn junit(&self) -> String {
        let escape = |s: &str| s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;");
        let mut out = format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuite name=\"kassa-conformance\" tests=\"{}\" failures=\"{}\">\n",
            self.results.len(),
            self.failed()
        );
        for r in &self.results {
            match &r.outcome {
                Ok(()) => out.push_str(&format!("  <testcase name=\"{}\"/>\n", escape(r.name))),
                Err(why) => out.push_str(&format!(
                    "  <testcase name=\"{}\"><failure message=\"{}\"/></testcase>\n",
                    escape(r.name),
                    escape(why)
                )),
            }
        }
        out.push_str("</testsuite>\n");
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_skipped_sandbox_is_said_and_its_operations_are_not_gaps() {
        let full = Report::new(Vec::new(), Vec::new());
        assert!(full.not_exercised.iter().any(|(op, _)| op == "reset_sandbox"), "the sandbox is documented");
        let skipped = Report::new(Vec::new(), vec![(crate::SANDBOX.to_owned(), 4)]);
        assert!(skipped.not_exercised.iter().all(|(op, _)| op != "reset_sandbox"));
        assert!(skipped.not_exercised.iter().any(|(op, _)| op == "create_payment_intent"));
        // Nor are the codes only the sandbox provokes, on any operation.
        let clock =
            |report: &Report| report.never_seen.iter().any(|(_, _, code)| code.as_deref() == Some("clock_advancing"));
        assert!(clock(&full) && !clock(&skipped));
        assert!(
            skipped
                .never_seen
                .iter()
                .any(|(op, _, code)| op == "create_payment_intent" && code.as_deref() == Some("invalid_email"))
        );
        assert!(skipped.text_summary().contains("Skipped: the sandbox group (4 cases), as --skip sandbox asked."));
        assert_eq!(skipped.json()["skipped"], json!([{"group": "sandbox", "cases": 4}]));
    }
}
