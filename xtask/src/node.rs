//! The npm tools of `tests/node/package-lock.json`, in `target/node`, installed with `npm ci`.

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::Result;

const LOCK: &str = "tests/node/package-lock.json";

/// The folder of the tools' executables (`node_modules/.bin`), or `None` (after saying so
/// loudly) when they cannot be installed here.
pub fn tools(root: &Path) -> Result<Option<PathBuf>> {
    let dir = root.join("target/node");
    let install = || {
        std::fs::create_dir_all(&dir).is_ok()
            && ["package.json", "package-lock.json"]
                .iter()
                .all(|file| std::fs::copy(root.join("tests/node").join(file), dir.join(file)).is_ok())
            && Command::new("npm")
                .args(["ci", "--no-audit", "--no-fund", "--loglevel=error"])
                .current_dir(&dir)
                .status()
                .is_ok_and(|s| s.success())
    };
    crate::pinned::install(
        root,
        LOCK,
        &dir,
        dir.join("node_modules/.bin"),
        install,
        "(npm ci) Redocly's lint of the contract",
    )
}
