//! The npm tools of `tests/node/package-lock.json`, in `target/node`, and the TypeScript
//! client's own packages of `sdk-typescript/package-lock.json`, each installed with `npm ci`.

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::Result;

const LOCK: &str = "tests/node/package-lock.json";
const CLIENT_LOCK: &str = "sdk-typescript/package-lock.json";

fn npm_ci(dir: &Path) -> bool {
    Command::new("npm")
        .args(["ci", "--no-audit", "--no-fund", "--loglevel=error"])
        .current_dir(dir)
        .status()
        .is_ok_and(|s| s.success())
}

/// The folder of the tools' executables (`node_modules/.bin`), or `None` (after saying so
/// loudly) when they cannot be installed here.
pub fn tools(root: &Path) -> Result<Option<PathBuf>> {
    let dir = root.join("target/node");
    let install = || {
        std::fs::create_dir_all(&dir).is_ok()
            && ["package.json", "package-lock.json"]
                .iter()
                .all(|file| std::fs::copy(root.join("tests/node").join(file), dir.join(file)).is_ok())
            && npm_ci(&dir)
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

/// The executables of the TypeScript client's packages (openapi-typescript, tsc), installed
/// where its sources resolve them, `sdk-typescript/node_modules`; `None` (said loudly) when
/// they cannot be installed here.
pub fn typescript_client(root: &Path) -> Result<Option<PathBuf>> {
    let client = root.join("sdk-typescript");
    let modules = client.join("node_modules");
    crate::pinned::install(
        root,
        CLIENT_LOCK,
        &modules,
        modules.join(".bin"),
        || npm_ci(&client),
        "(npm ci) the TypeScript client's generation, type check and examples",
    )
}
