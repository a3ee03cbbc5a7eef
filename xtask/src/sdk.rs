//! `cargo xtask sdk python|typescript [--check]`: the clients generated from
//! `openapi/kassa.json` by pinned generators, written into `sdk-python/kassa_client/` and
//! `sdk-typescript/src/schema.d.ts`. With `--check`, the generator writes into a scratch folder
//! instead and any difference from the checked-in files is an error: regenerating from an
//! unchanged contract must change nothing.

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, Result, bail};

#[derive(Clone, Copy, clap::ValueEnum)]
pub enum Language {
    /// openapi-python-client, into sdk-python/kassa_client/.
    Python,
    /// openapi-typescript, into sdk-typescript/src/schema.d.ts.
    Typescript,
}

impl Language {
    /// As `cargo xtask sdk` names it.
    fn name(self) -> &'static str {
        match self {
            Self::Python => "python",
            Self::Typescript => "typescript",
        }
    }

    /// What the generator writes, relative to the repository's root.
    fn output(self) -> &'static str {
        match self {
            Self::Python => "sdk-python/kassa_client",
            Self::Typescript => "sdk-typescript/src/schema.d.ts",
        }
    }
}

/// Generates `language`'s client (or checks it, with `check`); the folder of its pinned tools'
/// executables, or `None` when they cannot be installed here (said loudly by the installer).
pub fn generate(root: &Path, language: Language, check: bool) -> Result<Option<PathBuf>> {
    let scratch = root.join("target/sdk-check");
    let output = if check {
        // A fresh scratch folder each time, so nothing of an earlier run can hide a difference.
        let _ = std::fs::remove_dir_all(&scratch);
        std::fs::create_dir_all(&scratch)?;
        scratch.join(Path::new(language.output()).file_name().context("an output name")?)
    } else {
        root.join(language.output())
    };
    let bin = match language {
        Language::Python => crate::python::venv(root)?
            .map(|python| python.parent().map(Path::to_owned).context("the venv's bin folder"))
            .transpose()?,
        Language::Typescript => crate::node::typescript_client(root)?,
    };
    let Some(bin) = bin else { return Ok(None) };
    let mut generator = match language {
        Language::Python => {
            // The generator runs `ruff format` (its post-hook) from the same venv.
            let path = std::env::join_paths(
                std::iter::once(bin.clone())
                    .chain(std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default())),
            )?;
            let mut command = Command::new(bin.join("openapi-python-client"));
            command
                .args(["generate", "--meta", "none", "--overwrite", "--path", "openapi/kassa.json"])
                .args(["--config", "sdk-python/openapi-python-client.yaml", "--output-path"])
                .arg(&output)
                .env("PATH", path);
            command
        }
        Language::Typescript => {
            let mut command = Command::new(bin.join("openapi-typescript"));
            command.args(["openapi/kassa.json", "--output"]).arg(&output);
            command
        }
    };
    generator.current_dir(root);
    let run = generator.output().with_context(|| format!("starting {generator:?}"))?;
    if !run.status.success() {
        bail!(
            "{generator:?} failed:\n{}{}",
            String::from_utf8_lossy(&run.stdout),
            String::from_utf8_lossy(&run.stderr)
        );
    }
    if !check {
        println!("xtask: wrote {} from openapi/kassa.json", language.output());
        return Ok(Some(bin));
    }
    let differences = differences(&root.join(language.output()), &output)?;
    if !differences.is_empty() {
        // A single generated file differs as a whole (an empty relative path).
        let shown: Vec<String> = differences
            .iter()
            .map(|path| {
                if path.as_os_str().is_empty() {
                    language.output().to_owned()
                } else {
                    Path::new(language.output()).join(path).display().to_string()
                }
            })
            .collect();
        bail!(
            "{} is not what the contract generates; run `cargo xtask sdk {}`. Different: {}",
            language.output(),
            language.name(),
            shown.join(", ")
        );
    }
    println!("xtask: {} is what openapi/kassa.json generates", language.output());
    Ok(Some(bin))
}

/// The paths (relative to `a` and `b`) of the files that are in only one of the two trees, or
/// in both with other bytes. `__pycache__` folders are an interpreter's, not the generator's.
fn differences(a: &Path, b: &Path) -> Result<Vec<PathBuf>> {
    if a.is_file() {
        let same = std::fs::read(a).ok() == std::fs::read(b).ok();
        return Ok(if same { vec![] } else { vec![PathBuf::new()] });
    }
    let (left, right) = (files(a)?, files(b)?);
    let mut differ: Vec<PathBuf> = left.iter().chain(&right).cloned().collect();
    differ.sort();
    differ.dedup();
    differ.retain(|path| {
        let (x, y) = (a.join(path), b.join(path));
        match (std::fs::read(&x), std::fs::read(&y)) {
            (Ok(x), Ok(y)) => x != y,
            _ => true,
        }
    });
    Ok(differ)
}

fn files(root: &Path) -> Result<Vec<PathBuf>> {
    let mut found = Vec::new();
    let mut folders = vec![PathBuf::new()];
    while let Some(folder) = folders.pop() {
        for entry in std::fs::read_dir(root.join(&folder)).with_context(|| format!("reading {}", root.display()))? {
            let entry = entry?;
            let path = folder.join(entry.file_name());
            if entry.file_type()?.is_dir() {
                if entry.file_name() != "__pycache__" {
                    folders.push(path);
                }
            } else {
                found.push(path);
            }
        }
    }
    Ok(found)
}
