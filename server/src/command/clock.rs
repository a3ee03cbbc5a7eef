//! `kassa clock show|freeze|advance 7d|advance --next|resume`: the merchant's test clock, through
//! `/v1/test-helpers/clock`, printing what happened.

use std::collections::BTreeMap;
use std::time::Duration;

use anyhow::bail;
use serde_json::{Value, json};

use super::{client, expect_ok};
use crate::cli::{ClientArgs, ClockCommand};

pub async fn run(command: ClockCommand) -> anyhow::Result<()> {
    let (client_args, action, body, label) = match command {
        ClockCommand::Show(client) => (client, None, Value::Null, String::new()),
        ClockCommand::Freeze { at, client } => {
            let body = match at {
                Some(at) => json!({"at": at}),
                None => json!({}),
            };
            (client, Some("freeze"), body, String::new())
        }
        ClockCommand::Advance { duration, next, client } => {
            let (body, label) = match (duration, next) {
                (_, true) => (json!({"next": true}), "to the next due work".to_owned()),
                (Some(duration), false) => {
                    let seconds = match crate::config::parse_schedule(&duration)?.as_slice() {
                        [one] => one.as_secs(),
                        _ => bail!("advance {duration:?}: give one duration, like 7d"),
                    };
                    (json!({"by": seconds}), duration)
                }
                (None, false) => bail!("advance needs a duration (like 7d) or --next"),
            };
            (client, Some("advance"), body, label)
        }
        ClockCommand::Resume(client) => (client, Some("resume"), json!({}), String::new()),
    };
    let ClientArgs { api_key, base_url } = client_args;
    // An advance runs everything that falls due: give it time.
    let api = client(&api_key, Duration::from_secs(600))?;
    let base = format!("{}/v1/test-helpers/clock", base_url.trim_end_matches('/'));
    let answer = match action {
        None => expect_ok(api.get(&base).send().await?, "the clock").await?,
        Some(action) => expect_ok(api.post(format!("{base}/{action}")).json(&body).send().await?, action).await?,
    };
    match action {
        Some("advance") => println!("{}", advanced(&label, &answer)),
        _ => println!("{}", shown(&answer)),
    }
    Ok(())
}

fn shown(clock: &Value) -> String {
    let next = match clock["next_due_at"].as_str() {
        Some(at) => format!("next due {at}"),
        None => "nothing pending".to_owned(),
    };
    format!("Clock: {} ({}); {next}", clock["now"].as_str().unwrap_or("?"), clock["mode"].as_str().unwrap_or("?"))
}

/// `Advanced 7d to …: 3 payment intents expired, 1 authorization lapsed`.
fn advanced(label: &str, answer: &Value) -> String {
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for step in answer["ran"].as_array().into_iter().flatten() {
        *counts.entry(step["kind"].as_str().unwrap_or("other")).or_default() += 1;
    }
    let said = |kind: &str, one: &str, many: &str| {
        counts.get(kind).map(|n| if *n == 1 { format!("1 {one}") } else { format!("{n} {many}") })
    };
    let parts: Vec<String> = [
        said("payment_intent_expiry", "payment intent expired", "payment intents expired"),
        said("authorization_expiry", "authorization lapsed", "authorizations lapsed"),
        said("debit_settlement", "debit settled", "debits settled"),
        said("webhook_attempt", "webhook attempt made", "webhook attempts made"),
    ]
    .into_iter()
    .flatten()
    .collect();
    let what = if parts.is_empty() { "nothing fell due".to_owned() } else { parts.join(", ") };
    let more = if answer["has_more"] == true { "; more is due: advance again" } else { "" };
    format!("Advanced {label} to {}: {what}{more}", answer["clock"]["now"].as_str().unwrap_or("?"))
}
