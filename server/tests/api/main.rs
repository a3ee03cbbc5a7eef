//! The server's API tests: one binary (faster to link), a module per resource. Each test runs a
//! real server on an ephemeral port, once on SQLite and once on PostgreSQL.

mod helpers;
mod idempotency;

mod api_keys;
mod authentication;
mod charges;
mod dashboard_access;
mod debits;
mod errors;
mod events;
mod members;
mod merchants;
mod openapi_drift;
mod ops;
mod payment_methods;
mod payments;
mod rate_limits;
mod reports;
mod request_logs;
mod sandbox;
mod users;
mod webhooks;
