//! The npm tools of `tests/node/package-lock.json`, in `target/node`: installed (again, when
//! the lock file changes) by `cargo xtask test` with `npm ci`, never by hand.

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, Result};

/// The folder of the tools' executables (`node_modules/.bin`), or `None` (after saying so
/// loudly) when they cannot be installed here.
pub fn tools(root: &Path) -> Result<Option<PathBuf>> {
    let source = root.join("tests/node");
    let lock =
        std::fs::read_to_string(source.join("package-lock.json")).context("reading tests/node/package-lock.json")?;
    let dir = root.join("target/node");
    let bin = dir.join("node_modules/.bin");
    let stamp = dir.join("installed.lock");
    if bin.exists() && std::fs::read_to_string(&stamp).ok().as_deref() == Some(lock.as_str()) {
        return Ok(Some(bin));
    }
    println!("xtask: installing the npm tools of tests/node/package-lock.json into target/node");
    std::fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
    for file in ["package.json", "package-lock.json"] {
        std::fs::copy(source.join(file), dir.join(file)).with_context(|| format!("copying tests/node/{file}"))?;
    }
    let installed = Command::new("npm")
        .args(["ci", "--no-audit", "--no-fund", "--loglevel=error"])
        .current_dir(&dir)
        .status()
        .is_ok_and(|s| s.success());
    if !installed {
        let banner = "=".repeat(78);
        eprintln!(
            "{banner}\nxtask: could not install tests/node/package-lock.json (npm ci): the Redocly lint of the\n       \
             contract will be SKIPPED.\n{banner}"
        );
        return Ok(None);
    }
    std::fs::write(&stamp, lock).with_context(|| format!("writing {}", stamp.display()))?;
    Ok(Some(bin))
}
