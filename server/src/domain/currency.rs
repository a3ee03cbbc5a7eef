//! `Currency`: the ISO 4217 currencies Kassa settles, with their minor-unit exponent.

use super::DomainError;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Currency {
    Usd,
    Eur,
    Gbp,
    Aud,
    Cad,
    Chf,
    Jpy,
    Sek,
    Nok,
    Dkk,
}

impl Currency {
    pub const ALL: [Currency; 10] =
        [Self::Usd, Self::Eur, Self::Gbp, Self::Aud, Self::Cad, Self::Chf, Self::Jpy, Self::Sek, Self::Nok, Self::Dkk];

    /// Lower-case ISO 4217, as API.md writes them; upper case is accepted and normalised, as
    /// the major payment APIs do (not a mix: `Usd` is no currency code).
    pub fn parse(raw: &str) -> Result<Self, DomainError> {
        Self::ALL
            .into_iter()
            .find(|c| c.code() == raw || c.code().to_ascii_uppercase() == raw)
            .ok_or(DomainError::InvalidCurrency)
    }

    /// What [`Self::parse`] accepts, as the contract states it.
    pub fn pattern() -> String {
        let codes: Vec<String> = Self::ALL
            .iter()
            .map(|c| c.code().to_owned())
            .chain(Self::ALL.iter().map(|c| c.code().to_ascii_uppercase()))
            .collect();
        format!("^({})$", codes.join("|"))
    }

    pub fn code(self) -> &'static str {
        match self {
            Self::Usd => "usd",
            Self::Eur => "eur",
            Self::Gbp => "gbp",
            Self::Aud => "aud",
            Self::Cad => "cad",
            Self::Chf => "chf",
            Self::Jpy => "jpy",
            Self::Sek => "sek",
            Self::Nok => "nok",
            Self::Dkk => "dkk",
        }
    }

    /// An amount in minor units as a customer reads it, the way `Intl.NumberFormat("en-US")`
    /// writes it (so the checkout and the dashboard agree; Intl's space after a code is a
    /// no-break space, this one a plain space): `9999` usd is `$99.99`, `1000` jpy is `¥1,000`,
    /// `150000` chf is `CHF 1,500.00`.
    pub fn display(self, amount: i64) -> String {
        let symbol = match self {
            Self::Usd => "$",
            Self::Eur => "€",
            Self::Gbp => "£",
            Self::Aud => "A$",
            Self::Cad => "CA$",
            Self::Jpy => "¥",
            Self::Chf => "CHF ",
            Self::Sek => "SEK ",
            Self::Nok => "NOK ",
            Self::Dkk => "DKK ",
        };
        let unit = 10_u64.pow(self.exponent());
        let magnitude = amount.unsigned_abs();
        let whole = (magnitude / unit).to_string();
        let mut grouped = String::with_capacity(whole.len() + whole.len() / 3);
        for (i, digit) in whole.chars().enumerate() {
            if i > 0 && (whole.len() - i).is_multiple_of(3) {
                grouped.push(',');
            }
            grouped.push(digit);
        }
        let sign = if amount < 0 { "-" } else { "" };
        match self.exponent() {
            0 => format!("{sign}{symbol}{grouped}"),
            digits => format!("{sign}{symbol}{grouped}.{:0width$}", magnitude % unit, width = digits as usize),
        }
    }

    /// Digits after the decimal point: an amount of 1000 is ¥1000 but $10.00.
    pub fn exponent(self) -> u32 {
        match self {
            Self::Jpy => 0,
            _ => 2,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_read_as_a_customer_expects() {
        assert_eq!(Currency::Usd.display(9999), "$99.99");
        assert_eq!(Currency::Usd.display(5), "$0.05");
        assert_eq!(Currency::Usd.display(123_456_789), "$1,234,567.89");
        assert_eq!(Currency::Jpy.display(1000), "¥1,000");
        assert_eq!(Currency::Jpy.display(999), "¥999");
        assert_eq!(Currency::Eur.display(100_000), "€1,000.00");
        assert_eq!(Currency::Chf.display(150_000), "CHF 1,500.00");
        assert_eq!(Currency::Gbp.display(-250), "-£2.50");
    }

    #[test]
    fn documented_currencies_parse_in_either_case() {
        assert_eq!(Currency::parse("usd"), Ok(Currency::Usd));
        assert_eq!(Currency::parse("JPY"), Ok(Currency::Jpy));
        assert_eq!(Currency::Jpy.exponent(), 0);
        assert_eq!(Currency::Eur.exponent(), 2);
        for c in Currency::ALL {
            assert_eq!(Currency::parse(c.code()), Ok(c));
        }
    }

    #[test]
    fn other_codes_are_invalid() {
        for bad in ["", "us", "usdd", "xxx", "btc", "€"] {
            assert_eq!(Currency::parse(bad), Err(DomainError::InvalidCurrency), "{bad}");
        }
    }
}
