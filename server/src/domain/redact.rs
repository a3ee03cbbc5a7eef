//! What a request log may keep of a body (API.md "request logs"): card numbers reduced to brand
//! and last four digits, bank account numbers (an IBAN, a BECS account number) to their last
//! four, the CVC dropped, and every secret masked — API keys, client secrets,
//! passwords, access tokens, webhook secrets — wherever in the JSON it appears, by field name
//! or by the shape of the value. Pure, so the rules are tested here.

use serde_json::Value;

use super::{CardNumber, Iban};

/// What a masked secret reads as.
pub const MASK: &str = "[redacted]";

/// Fields that hold a payment method as an object: any other value there is masked whole.
const METHOD_FIELDS: [&str; 3] = ["card", "sepa_debit", "au_becs_debit"];

/// Fields whose value is a secret whatever it looks like.
const SECRET_FIELDS: [&str; 6] = ["password", "client_secret", "webhook_secret", "access_token", "key", "secret"];

/// `body` as a log may keep it. JSON is redacted field by field; anything else is kept only as
/// its length, since it cannot be read for secrets.
pub fn redact_body(body: &[u8]) -> String {
    if body.is_empty() {
        return String::new();
    }
    match serde_json::from_slice::<Value>(body) {
        Ok(mut json) => {
            redact(&mut json, None);
            json.to_string()
        }
        Err(_) => format!("[{} bytes, not JSON]", body.len()),
    }
}

fn redact(value: &mut Value, field: Option<&str>) {
    match value {
        Value::Object(map) => {
            map.remove("cvc");
            for (name, inner) in map.iter_mut() {
                if name == "number" && field == Some("card") {
                    *inner = Value::String(card_summary(inner.as_str().unwrap_or_default()));
                } else if name.eq_ignore_ascii_case("iban") {
                    // Anything in an IBAN field that is not one is masked whole.
                    let iban = Iban::parse(inner.as_str().unwrap_or_default());
                    *inner = Value::String(iban.map_or_else(|_| MASK.into(), |iban| iban_summary(&iban)));
                } else if name.eq_ignore_ascii_case("account_number") {
                    *inner = Value::String(last4_summary(inner.as_str().unwrap_or_default()));
                } else if (METHOD_FIELDS.contains(&name.as_str()) && !inner.is_object() && !inner.is_null())
                    || (SECRET_FIELDS.contains(&name.as_str()) && inner.is_string())
                {
                    *inner = Value::String(MASK.into());
                } else {
                    redact(inner, Some(name));
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|item| redact(item, field)),
        // An IBAN is known by its shape wherever it is.
        Value::String(text) => {
            if let Ok(iban) = Iban::parse(text) {
                *text = iban_summary(&iban);
            } else if let Some(masked) = mask_secrets_in(text) {
                *text = masked;
            }
        }
        _ => {}
    }
}

/// `visa …4242` for a card number, or the mask for anything that is not one.
fn card_summary(raw: &str) -> String {
    match CardNumber::parse(raw) {
        Ok(card) => format!("{} …{}", card.brand().as_str(), card.last4()),
        Err(_) => MASK.into(),
    }
}

/// `DE …3000`.
fn iban_summary(iban: &Iban) -> String {
    format!("{} …{}", iban.country(), iban.last4())
}

/// `…3456` for an account number of digits, or the mask.
fn last4_summary(raw: &str) -> String {
    let digits: Vec<char> = raw.chars().filter(char::is_ascii_digit).collect();
    if digits.len() >= 5 && digits.len() == raw.chars().filter(|c| *c != ' ').count() {
        format!("…{}", digits[digits.len() - 4..].iter().collect::<String>())
    } else {
        MASK.into()
    }
}

/// Masks the secrets a string can carry by their shape: `sk_test_…`, `whsec_…`, a client secret
/// (`pi_…_secret_…`, also inside a `checkout_url`), a JWT (`eyJ…`). `None` when it carries none.
fn mask_secrets_in(text: &str) -> Option<String> {
    let base64ish = |c: char| c.is_ascii_alphanumeric() || matches!(c, '+' | '/' | '=');
    let jwtish = |c: char| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.');
    let markers: [(&str, &dyn Fn(char) -> bool); 4] =
        [("sk_test_", &base64ish), ("whsec_", &base64ish), ("_secret_", &base64ish), ("eyJ", &jwtish)];
    if !markers.iter().any(|(marker, _)| text.contains(marker)) {
        return None;
    }
    let mut out = text.to_owned();
    for (marker, continues) in markers {
        let mut from = 0;
        while let Some(found) = out[from..].find(marker) {
            let at = from + found;
            let start = if marker == "_secret_" { out[..at].rfind("pi_").unwrap_or(at) } else { at };
            let rest = &out[at + marker.len()..];
            let end = at + marker.len() + rest.find(|c: char| !continues(c)).unwrap_or(rest.len());
            out.replace_range(start..end, MASK);
            from = start + MASK.len();
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn redacted(value: Value) -> Value {
        serde_json::from_str(&redact_body(value.to_string().as_bytes())).unwrap()
    }

    #[test]
    fn cards_keep_brand_and_last_four_and_lose_the_cvc() {
        let body = json!({"client_secret": "pi_abc_secret_0f0f", "card": {"number": "4242 4242 4242 4242", "cvc": "123", "exp_month": 12, "name": "Ada"}});
        assert_eq!(
            redacted(body),
            json!({"client_secret": MASK, "card": {"number": "visa …4242", "exp_month": 12, "name": "Ada"}})
        );
        assert_eq!(redacted(json!({"card": {"number": "1234"}}))["card"]["number"], MASK);
    }

    #[test]
    fn bank_accounts_keep_their_last_four() {
        let sepa =
            json!({"client_secret": "pi_abc_secret_0f0f", "sepa_debit": {"iban": "DE89 3704 0044 0532 0130 00"}});
        assert_eq!(redacted(sepa)["sepa_debit"]["iban"], "DE …3000");
        let becs = json!({"au_becs_debit": {"bsb_number": "000-000", "account_number": "000123456"}});
        assert_eq!(redacted(becs), json!({"au_becs_debit": {"bsb_number": "000-000", "account_number": "…3456"}}));
        assert_eq!(redacted(json!({"sepa_debit": {"iban": "DE00 1234"}}))["sepa_debit"]["iban"], MASK);
        assert_eq!(
            redacted(json!({"au_becs_debit": {"account_number": "12-34"}}))["au_becs_debit"]["account_number"],
            MASK
        );
        // Wherever an account number hides: a method sent as a string, another case, a note.
        let odd = json!({"sepa_debit": "DE89370400440532013000", "card": "4242424242424242",
            "x": {"IBAN": "DE89370400440532013000", "note": "DE89 3704 0044 0532 0130 00"}});
        let out = redacted(odd);
        assert_eq!((&out["sepa_debit"], &out["card"]), (&json!(MASK), &json!(MASK)));
        assert_eq!((&out["x"]["IBAN"], &out["x"]["note"]), (&json!("DE …3000"), &json!("DE …3000")));
    }

    #[test]
    fn secrets_are_masked_by_name_and_by_shape() {
        let body = json!({
            "password": "correct-horse-42",
            "access_token": "eyJhbGciOiJIUzI1NiJ9.e30.sig",
            "key": "sk_test_abc",
            "webhook_secret": "whsec_AAAA+/==",
            "checkout_url": "http://127.0.0.1/checkout/pi_1?client_secret=pi_1_secret_0f0f",
            "nested": [{"note": "token eyJhbGciOiJIUzI1NiJ9.e30.sig"}, "sk_test_Zz9 and whsec_Q+="],
            "amount": 1000
        });
        let out = redacted(body);
        for field in ["password", "access_token", "key", "webhook_secret"] {
            assert_eq!(out[field], MASK, "{field}");
        }
        assert_eq!(out["checkout_url"], format!("http://127.0.0.1/checkout/pi_1?client_secret={MASK}"));
        assert_eq!(out["nested"][1], format!("{MASK} and {MASK}"));
        assert_eq!(out["amount"], 1000);
        let text = out.to_string();
        for secret in ["correct-horse", "sk_test_", "whsec_", "_secret_0f", "eyJhbGciOiJIUzI1NiJ9.e30.sig\""] {
            assert!(!text.contains(secret), "{secret} in {text}");
        }
    }

    #[test]
    fn what_is_not_json_is_kept_as_its_length() {
        assert_eq!(redact_body(b"number=4242424242424242"), "[23 bytes, not JSON]");
        assert_eq!(redact_body(b""), "");
    }
}
