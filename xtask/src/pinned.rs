//! Tools pinned by a lock file and installed under `target/` by `cargo xtask test`, never by
//! hand: installed again only when the lock file changes (a stamp keeps the one installed).

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

/// `ready`, a path inside `dir`, once `install` has set up the tools of `lock` (relative to
/// `root`) there, or `None` (after saying so loudly, and that `skipped` will be skipped) when
/// that fails here.
pub fn install(
    root: &Path,
    lock: &str,
    dir: &Path,
    ready: PathBuf,
    install: impl FnOnce() -> bool,
    skipped: &str,
) -> Result<Option<PathBuf>> {
    let wanted = std::fs::read_to_string(root.join(lock)).with_context(|| format!("reading {lock}"))?;
    let stamp = dir.join("installed.lock");
    if ready.exists() && std::fs::read_to_string(&stamp).ok().as_deref() == Some(wanted.as_str()) {
        return Ok(Some(ready));
    }
    println!("xtask: installing the pinned tools of {lock} into {}", dir.display());
    if !install() {
        let banner = "=".repeat(78);
        eprintln!("{banner}\nxtask: could not install {lock}: {skipped} will be SKIPPED.\n{banner}");
        return Ok(None);
    }
    std::fs::write(&stamp, wanted).with_context(|| format!("writing {}", stamp.display()))?;
    Ok(Some(ready))
}
