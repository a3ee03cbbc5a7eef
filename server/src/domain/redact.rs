//! What a request log may keep of a body (API.md "request logs"): card numbers reduced to brand
//! and last four digits, bank account numbers (an IBAN, a BECS account number) to their last
//! four, the CVC dropped, and every secret masked — API keys, client secrets,
//! passwords, access tokens, webhook secrets — wherever in the JSON it appears, by field name
//! or by the shape of the value. Pure, so the rules are tested here.

use serde::de::DeserializeSeed;
use serde_json::Value;

use super::{CardNumber, Iban};

/// What a masked secret reads as.
pub const MASK: &str = "[redacted]";

/// Fields that hold a payment method as an object: any other value there is masked whole.
const METHOD_FIELDS: [&str; 3] = ["card", "sepa_debit", "au_becs_debit"];

/// Fields whose value is a secret whatever it looks like.
const SECRET_FIELDS: [&str; 6] = ["password", "client_secret", "webhook_secret", "access_token", "key", "secret"];

/// `body` as a log may keep it. JSON is redacted field by field as it is read, never built as
/// a tree (a log entry is made for every API request, so this runs on every answer), keeping
/// the fields in the order they came; anything else is kept only as its length, since it
/// cannot be read for secrets.
pub fn redact_body(body: &[u8]) -> String {
    if body.is_empty() {
        return String::new();
    }
    let mut out = Vec::with_capacity(body.len());
    let mut json = serde_json::Deserializer::from_slice(body);
    let read = Redactor { out: &mut out, field: None, rule: Rule::Walk }.deserialize(&mut json);
    match read.and_then(|()| json.end()) {
        // Only serde_json's writer and whole UTF-8 strings were written.
        Ok(()) => String::from_utf8(out).unwrap_or_else(|_| MASK.into()),
        Err(_) => format!("[{} bytes, not JSON]", body.len()),
    }
}

/// What becomes of the value under a field, by the field's name.
#[derive(Clone, Copy, PartialEq)]
enum Rule {
    /// Kept, redacted within.
    Walk,
    /// A payment method: an object is walked, null kept, anything else masked whole.
    Method,
    /// A secret: a string is masked, anything else walked.
    Secret,
}

/// Reads one JSON value and writes it redacted to `out`; `field` is the name it was under.
struct Redactor<'a> {
    out: &'a mut Vec<u8>,
    field: Option<&'a str>,
    rule: Rule,
}

impl Redactor<'_> {
    fn write<T: serde::Serialize + ?Sized>(&mut self, value: &T) -> Result<(), std::fmt::Error> {
        serde_json::to_writer(&mut *self.out, value).map_err(|_| std::fmt::Error)
    }

    /// Writes `value`, or the mask in place of a payment method that is not an object.
    fn scalar<T: serde::Serialize + ?Sized, E: serde::de::Error>(mut self, value: &T) -> Result<(), E> {
        let written = if self.rule == Rule::Method { self.write(MASK) } else { self.write(value) };
        written.map_err(|_| E::custom("unwritable"))
    }
}

impl<'de> serde::de::DeserializeSeed<'de> for Redactor<'_> {
    type Value = ();

    fn deserialize<D: serde::Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> serde::de::Visitor<'de> for Redactor<'_> {
    type Value = ();

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("JSON")
    }

    fn visit_bool<E: serde::de::Error>(self, v: bool) -> Result<(), E> {
        self.scalar(&v)
    }

    fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<(), E> {
        self.scalar(&v)
    }

    fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<(), E> {
        self.scalar(&v)
    }

    fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<(), E> {
        // As `serde_json::Value` keeps it: a number JSON cannot hold is null.
        match serde_json::Number::from_f64(v) {
            Some(number) => self.scalar(&number),
            None => self.scalar(&()),
        }
    }

    fn visit_unit<E: serde::de::Error>(mut self) -> Result<(), E> {
        self.write(&()).map_err(|_| E::custom("unwritable"))
    }

    fn visit_str<E: serde::de::Error>(self, text: &str) -> Result<(), E> {
        if self.rule != Rule::Walk {
            return self.scalar(MASK);
        }
        // An IBAN is known by its shape wherever it is.
        if let Ok(iban) = Iban::parse(text) {
            return self.scalar(&iban_summary(&iban));
        }
        match mask_secrets_in(text) {
            Some(masked) => self.scalar(&masked),
            None => self.scalar(text),
        }
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut items: A) -> Result<(), A::Error> {
        if self.rule == Rule::Method {
            while items.next_element::<serde::de::IgnoredAny>()?.is_some() {}
            return self.scalar(MASK);
        }
        let Self { out, field, .. } = self;
        out.push(b'[');
        let mut first = true;
        loop {
            if !first {
                out.push(b',');
            }
            let item = Redactor { out: &mut *out, field, rule: Rule::Walk };
            if items.next_element_seed(item)?.is_none() {
                if !first {
                    out.pop();
                }
                break;
            }
            first = false;
        }
        out.push(b']');
        Ok(())
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let Self { out, field, .. } = self;
        out.push(b'{');
        let mut first = true;
        while let Some(name) = map.next_key_seed(Name)? {
            let name: &str = &name;
            if name == "cvc" {
                map.next_value::<serde::de::IgnoredAny>()?;
                continue;
            }
            if !first {
                out.push(b',');
            }
            first = false;
            serde_json::to_writer(&mut *out, name).map_err(serde::de::Error::custom)?;
            out.push(b':');
            // A field whose value is summarised whole is read whole (it is small).
            let summary = if name == "number" && field == Some("card") {
                Some(card_summary(map.next_value::<Value>()?.as_str().unwrap_or_default()))
            } else if name.eq_ignore_ascii_case("iban") {
                // Anything in an IBAN field that is not one is masked whole.
                let iban = Iban::parse(map.next_value::<Value>()?.as_str().unwrap_or_default());
                Some(iban.map_or_else(|_| MASK.into(), |iban| iban_summary(&iban)))
            } else if name.eq_ignore_ascii_case("account_number") {
                Some(last4_summary(map.next_value::<Value>()?.as_str().unwrap_or_default()))
            } else {
                None
            };
            match summary {
                Some(summary) => serde_json::to_writer(&mut *out, &summary).map_err(serde::de::Error::custom)?,
                None => {
                    let rule = if METHOD_FIELDS.contains(&name) {
                        Rule::Method
                    } else if SECRET_FIELDS.contains(&name) {
                        Rule::Secret
                    } else {
                        Rule::Walk
                    };
                    map.next_value_seed(Redactor { out: &mut *out, field: Some(name), rule })?;
                }
            }
        }
        out.push(b'}');
        Ok(())
    }
}

/// A field name, borrowed from the body unless it holds an escape.
struct Name;

impl<'de> serde::de::DeserializeSeed<'de> for Name {
    type Value = std::borrow::Cow<'de, str>;

    fn deserialize<D: serde::Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_str(self)
    }
}

impl<'de> serde::de::Visitor<'de> for Name {
    type Value = std::borrow::Cow<'de, str>;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a field name")
    }

    fn visit_borrowed_str<E: serde::de::Error>(self, name: &'de str) -> Result<Self::Value, E> {
        Ok(std::borrow::Cow::Borrowed(name))
    }

    fn visit_str<E: serde::de::Error>(self, name: &str) -> Result<Self::Value, E> {
        Ok(std::borrow::Cow::Owned(name.to_owned()))
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
    // A plain scan: `str::contains` sets up a substring searcher on every call, and this runs
    // on every string of every logged body.
    let holds = |marker: &str| text.as_bytes().windows(marker.len()).any(|w| w == marker.as_bytes());
    if !markers.iter().any(|(marker, _)| holds(marker)) {
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
    fn the_rest_is_kept_as_sent_in_its_order_compacted() {
        let body = br#" { "z": [1, -2, 3.5, 1e3, [], {}, [true, false, null]], "a": {"b\"c": "caf\u00e9 \n"},
            "card": null, "sepa_debit": {"iban": null}, "cvc": "123", "m": [{"cvc": 1, "k": "v"}] } "#;
        assert_eq!(
            redact_body(body),
            r#"{"z":[1,-2,3.5,1000.0,[],{},[true,false,null]],"a":{"b\"c":"café \n"},"card":null,"sepa_debit":{"iban":"[redacted]"},"m":[{"k":"v"}]}"#
        );
        // A method sent as a list is masked whole, and what follows it is still read.
        assert_eq!(
            redact_body(br#"{"card": [1, {"number": "4242424242424242"}], "n": 1}"#),
            r#"{"card":"[redacted]","n":1}"#
        );
        assert_eq!(redact_body(b"[]"), "[]");
        assert_eq!(redact_body(br#"{"a": 1} trailing"#), "[17 bytes, not JSON]");
    }

    #[test]
    fn what_is_not_json_is_kept_as_its_length() {
        assert_eq!(redact_body(b"number=4242424242424242"), "[23 bytes, not JSON]");
        assert_eq!(redact_body(b""), "");
    }
}
