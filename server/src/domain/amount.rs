//! `Amount`: a positive integer number of the currency's minor unit (cents).

use serde_json::Value;

use super::DomainError;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Amount(i64);

impl Amount {
    /// API.md: at most 99,999,999 minor units ($999,999.99).
    pub const MAX: i64 = 99_999_999;

    /// Takes the raw JSON value so that `99.99`, `"9999"`, `0` and negatives are all
    /// `invalid_amount`, not a generic type error. `field` names the parameter in the error.
    pub fn parse(raw: &Value, field: &'static str) -> Result<Self, DomainError> {
        match raw.as_i64() {
            Some(n) if (1..=Self::MAX).contains(&n) => Ok(Self(n)),
            _ => Err(DomainError::InvalidAmount { field }),
        }
    }

    pub fn get(self) -> i64 {
        self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn whole_positive_minor_units_up_to_the_maximum_are_amounts() {
        assert_eq!(Amount::parse(&json!(1), "amount").unwrap().get(), 1);
        assert_eq!(Amount::parse(&json!(99_999_999), "amount").unwrap().get(), 99_999_999);
    }

    #[test]
    fn decimals_strings_zero_negatives_and_too_much_are_invalid() {
        for bad in [json!(99.99), json!("9999"), json!(0), json!(-5), json!(100_000_000), json!(null), json!(1.0)] {
            assert_eq!(Amount::parse(&bad, "amount"), Err(DomainError::InvalidAmount { field: "amount" }), "{bad}");
        }
    }
}
