//! `cargo xtask`: project automation, kept thin; it runs other crates through `$CARGO`.
//!
//! - `openapi`: regenerate `openapi/kassa.json` from the server code.
//! - `test`: run every test, with a throwaway PostgreSQL cluster when its binaries are installed.
//! - `conformance --base-url URL`: run the conformance suite against any server.
//! - `sdk python|typescript [--check]`: regenerate (or check) a client from the contract.
//! - `bench`: throughput and latency, each beside a ceiling measured in the same run.

mod node;
mod pinned;
mod postgres;
mod python;
mod sdk;

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

use anyhow::{Context, Result, bail};
use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(name = "cargo xtask")]
struct Cli {
    #[command(subcommand)]
    task: Task,
}

#[derive(Subcommand)]
enum Task {
    /// Rewrite openapi/kassa.json from the server code (the only way that file changes).
    Openapi,
    /// Regenerate a client from openapi/kassa.json with its pinned generator.
    Sdk {
        language: sdk::Language,
        /// Change nothing: fail if the checked-in client differs from what the contract generates.
        #[arg(long)]
        check: bool,
    },
    /// Run all tests: unit, API (SQLite and PostgreSQL), SDK, conformance, end to end.
    Test,
    /// Measure throughput and latency beside ceilings from the same run (release build).
    Bench,
    /// Run the conformance suite against a running implementation of the contract:
    /// `--base-url URL`, and the suite's other options (`cargo xtask conformance --help`).
    Conformance {
        /// Handed to `kassa-conformance` as they are.
        #[arg(trailing_var_arg = true, allow_hyphen_values = true)]
        args: Vec<String>,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.task {
        Task::Openapi => openapi(),
        Task::Sdk { language, check } => sdk::generate(&root(), language, check)
            .and_then(|tools| tools.map(drop).context("the generator could not be installed here")),
        Task::Test => test(),
        Task::Bench => bench(),
        Task::Conformance { args } => conformance(&args),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("xtask: {err:#}");
            ExitCode::FAILURE
        }
    }
}

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("xtask lives in the workspace root").to_owned()
}

fn cargo() -> Command {
    let mut command = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
    command.current_dir(root());
    command
}

fn run(mut command: Command) -> Result<()> {
    let status = command.status().with_context(|| format!("starting {command:?}"))?;
    if !status.success() {
        bail!("{command:?} failed ({status})");
    }
    Ok(())
}

fn openapi() -> Result<()> {
    let output = cargo()
        .args(["run", "--quiet", "--package", "kassa-server", "--bin", "kassa", "--", "openapi"])
        .stderr(std::process::Stdio::inherit())
        .output()
        .context("running `kassa openapi`")?;
    if !output.status.success() {
        bail!("`kassa openapi` failed");
    }
    let path = root().join("openapi/kassa.json");
    std::fs::write(&path, &output.stdout).with_context(|| format!("writing {}", path.display()))?;
    println!("wrote {} ({} bytes)", path.display(), output.stdout.len());
    Ok(())
}

/// The benchmark, with a PostgreSQL server: `KASSA_BENCH_POSTGRES_URL`, or a throwaway
/// cluster with durable commits when the server binaries are installed.
fn bench() -> Result<()> {
    let mut command = cargo();
    command.args(["run", "--release", "--quiet", "--package", "kassa-bench"]);
    let _cluster = match std::env::var("KASSA_BENCH_POSTGRES_URL") {
        Ok(_) => None,
        Err(_) => {
            let cluster = postgres::Cluster::start_durable()?;
            match &cluster {
                Some(cluster) => {
                    println!("xtask: PostgreSQL phases on a throwaway cluster (fsync on) at {}", cluster.url());
                    command.env("KASSA_BENCH_POSTGRES_URL", cluster.url());
                }
                None => eprintln!("xtask: no PostgreSQL server binaries: the PostgreSQL phases are skipped"),
            }
            cluster
        }
    };
    run(command)
}

fn test() -> Result<()> {
    // One cargo invocation for every target: building -p subsets would resolve other feature
    // sets and rebuild. It also builds the `kassa` binary the end-to-end tests drive.
    let mut command = cargo();
    command.args(["test", "--workspace", "--all-targets", "--no-fail-fast"]);
    let (_cluster, postgres) = match std::env::var("KASSA_TEST_POSTGRES_URL") {
        Ok(url) => {
            println!("xtask: PostgreSQL leg on KASSA_TEST_POSTGRES_URL={url}");
            command.env("KASSA_REQUIRE_POSTGRES", "1");
            (None, true)
        }
        Err(_) => match postgres::Cluster::start()? {
            Some(cluster) => {
                println!("xtask: PostgreSQL leg on a throwaway cluster at {}", cluster.url());
                command.env("KASSA_TEST_POSTGRES_URL", cluster.url()).env("KASSA_REQUIRE_POSTGRES", "1");
                (Some(cluster), true)
            }
            None => (None, false),
        },
    };
    let skipped_banner = || {
        let banner = "=".repeat(78);
        eprintln!(
            "{banner}\nxtask: PostgreSQL leg SKIPPED: no PostgreSQL server binaries found \
             (/usr/lib/postgresql/*/bin).\n       Install them (Debian: apt-get install postgresql) \
             or set KASSA_TEST_POSTGRES_URL.\n{banner}"
        );
    };
    if !postgres {
        skipped_banner();
    }
    // The webhook libraries receivers use (Stripe's, Standard Webhooks'), pinned, for the test
    // that proves they verify Kassa's deliveries.
    // Schemathesis and OpenAPI Generator's `validate` too, for the contract's own tests.
    if let Some(python) = python::venv(&root())? {
        command.env("KASSA_TEST_PYTHON", python);
    }
    // Redocly's linter, for the same.
    if let Some(bin) = node::tools(&root())? {
        command.env("KASSA_TEST_NODE_BIN", bin);
    }
    // The Python and TypeScript clients: regenerating them from the contract must change
    // nothing (checked here, before any test runs), and their tests need their packages.
    sdk::generate(&root(), sdk::Language::Python, true)?;
    if let Some(bin) = sdk::generate(&root(), sdk::Language::Typescript, true)? {
        command.env("KASSA_TEST_TYPESCRIPT_BIN", bin);
    }
    // `cargo test` builds examples under hashed names only; the end-to-end tests run the SDK's
    // examples as a user would, from `target/debug/examples/<name>`. Same flags, same features,
    // so this shares every artifact with the test run.
    let mut build = cargo();
    build.args(["build", "--workspace", "--all-targets"]);
    run(build)?;
    let mut totals = Totals::default();
    let all = run_tests(command, &mut totals);
    // Doc tests are not part of --all-targets.
    let mut doc = cargo();
    doc.args(["test", "--workspace", "--doc"]);
    let docs = run_tests(doc, &mut totals);
    if !postgres {
        skipped_banner();
    }
    // The closing line CI reads, summed over every test binary.
    println!("{} passed, {} failed", totals.passed, totals.failed);
    all.and(docs)
}

#[derive(Default)]
struct Totals {
    passed: u64,
    failed: u64,
}

/// Runs a `cargo test`, echoing its output and adding up its `test result:` lines.
fn run_tests(mut command: Command, totals: &mut Totals) -> Result<()> {
    use std::io::{BufRead, BufReader};
    let mut child =
        command.stdout(std::process::Stdio::piped()).spawn().with_context(|| format!("starting {command:?}"))?;
    let stdout = child.stdout.take().context("cargo's stdout")?;
    for line in BufReader::new(stdout).lines() {
        let line = line?;
        println!("{line}");
        if let Some(result) = line.strip_prefix("test result: ") {
            for part in result.split(['.', ';']).map(str::trim) {
                let mut words = part.split_whitespace();
                if let (Some(n), Some(what)) = (words.next().and_then(|n| n.parse::<u64>().ok()), words.next()) {
                    match what {
                        "passed" => totals.passed += n,
                        "failed" => totals.failed += n,
                        _ => {}
                    }
                }
            }
        }
    }
    let status = child.wait()?;
    if !status.success() {
        bail!("{command:?} failed ({status})");
    }
    Ok(())
}

fn conformance(args: &[String]) -> Result<()> {
    let mut command = cargo();
    command.args(["run", "--quiet", "--package", "kassa-conformance", "--"]).args(args);
    run(command)
}
