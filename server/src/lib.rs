//! Kassa's reference server: the payments API, defined by `openapi/kassa.json`.
//!
//! Dependencies point one way, `domain ← store ← http`; `app` wires them together.

/// Application state, router, middleware and `serve`.
pub mod app;
/// Credential extractors (user token, API key, member role) and password hashing.
pub mod auth;
/// The `kassa` command line.
pub mod cli;
/// `kassa listen` and `kassa trigger`: clients of a running server's public API.
pub mod command;
/// The command line parsed into typed configuration.
pub mod config;
/// Validated domain types; no HTTP, no SQL.
pub mod domain;
/// `ApiError` and the one mapping to the documented error shape.
pub mod error;
/// Routes, handlers and wire types, one module per resource.
pub mod http;
/// Idempotency keys: claim, replay, save — for every POST.
pub mod idempotency;
/// Request counters for `GET /metrics`.
pub mod metrics;
/// The OpenAPI document: its root, shared rules and rendering.
pub mod openapi;
/// Webhook delivery: the outbox worker and the one attempt it and a redelivery make.
pub mod outbox;
/// Rate limits on login, register and API keys, counted where replicas share them.
pub mod rate_limit;
/// Request logs: the middleware that records API-key requests, and their writer.
pub mod request_logs;
/// `Request-Id` and the middleware that finishes every error response.
pub mod respond;
/// Advancing a merchant's virtual clock, and running what falls due.
pub mod sandbox;
/// `Kassa-Simulate`: errors and delays a client asks for, to test its retries.
pub mod simulate;
/// All SQL, for SQLite and PostgreSQL alike.
pub mod store;
