//! Intentionally empty: this crate is its `e2e` test binary (see `e2e/main.rs`).
