//! The cases, one module per resource, each named by the API.md sentence it checks.

mod api_keys;
mod authentication;
mod charges;
mod checkout_page;
mod conventions;
mod dashboard;
mod debits;
mod events;
mod members;
mod merchants;
mod payments;
mod sandbox;
mod users;
mod webhooks;

use std::sync::LazyLock;

use crate::Case;

/// `case!(name, [(operationId, status), …], async_fn)`; `case!(waits name, …)` for a case that
/// waits on the server's timers in real time.
macro_rules! case {
    ($name:literal, [$(($op:literal, $status:literal)),* $(,)?], $run:path) => {
        $crate::Case { name: $name, covers: &[$(($op, $status)),*], run: |cx| Box::pin($run(cx)), waits: false }
    };
    (waits $name:literal, [$(($op:literal, $status:literal)),* $(,)?], $run:path) => {
        $crate::Case { name: $name, covers: &[$(($op, $status)),*], run: |cx| Box::pin($run(cx)), waits: true }
    };
}
pub(crate) use case;

static CASES: LazyLock<Vec<Case>> = LazyLock::new(|| {
    [
        users::cases(),
        merchants::cases(),
        members::cases(),
        api_keys::cases(),
        events::cases(),
        payments::cases(),
        dashboard::cases(),
        charges::cases(),
        authentication::cases(),
        checkout_page::cases(),
        debits::cases(),
        webhooks::cases(),
        webhooks::request_log_cases(),
        webhooks::listen_cases(),
        conventions::cases(),
        sandbox::cases(),
    ]
    .into_iter()
    .flatten()
    .collect()
});

pub fn all() -> &'static [Case] {
    &CASES
}
