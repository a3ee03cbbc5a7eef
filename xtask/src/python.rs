//! A Python with the pinned tools of `tests/python/requirements.lock`, in `target/python`:
//! made (or remade, when the lock file changes) by `cargo xtask test`, never by hand.

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, Result};

/// The venv's interpreter, or `None` (after saying so loudly) when it cannot be made here.
pub fn venv(root: &Path) -> Result<Option<PathBuf>> {
    let lock = root.join("tests/python/requirements.lock");
    let wanted = std::fs::read_to_string(&lock).with_context(|| format!("reading {}", lock.display()))?;
    let dir = root.join("target/python");
    let python = dir.join("bin/python");
    let stamp = dir.join("installed.lock");
    if python.exists() && std::fs::read_to_string(&stamp).ok().as_deref() == Some(wanted.as_str()) {
        return Ok(Some(python));
    }
    println!("xtask: installing the pinned Python packages of tests/python/requirements.lock into target/python");
    let made = Command::new("python3").args(["-m", "venv", "--clear"]).arg(&dir).status();
    let installed = made.is_ok_and(|s| s.success())
        && Command::new(&python)
            .args(["-m", "pip", "install", "--quiet", "--disable-pip-version-check", "-r"])
            .arg(&lock)
            .status()
            .is_ok_and(|s| s.success());
    if !installed {
        let banner = "=".repeat(78);
        eprintln!(
            "{banner}\nxtask: could not install tests/python/requirements.lock (python3 -m venv, pip): the checks\n       \
             with Stripe's and Standard Webhooks' libraries, Schemathesis and OpenAPI Generator will be SKIPPED.\n{banner}"
        );
        return Ok(None);
    }
    std::fs::write(&stamp, wanted).with_context(|| format!("writing {}", stamp.display()))?;
    Ok(Some(python))
}
