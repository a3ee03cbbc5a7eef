//! A Python with the pinned tools of `tests/python/requirements.lock`, in `target/python`.

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::Result;

const LOCK: &str = "tests/python/requirements.lock";

/// The venv's interpreter, or `None` (after saying so loudly) when it cannot be made here.
pub fn venv(root: &Path) -> Result<Option<PathBuf>> {
    let dir = root.join("target/python");
    let python = dir.join("bin/python");
    let install = || {
        Command::new("python3").args(["-m", "venv", "--clear"]).arg(&dir).status().is_ok_and(|s| s.success())
            && Command::new(&python)
                .args(["-m", "pip", "install", "--quiet", "--disable-pip-version-check", "-r"])
                .arg(root.join(LOCK))
                .status()
                .is_ok_and(|s| s.success())
    };
    let skipped = "(python3 -m venv, pip) the checks with Stripe's and Standard Webhooks' libraries, \
                   Schemathesis and OpenAPI Generator";
    crate::pinned::install(root, LOCK, &dir, python.clone(), install, skipped)
}
