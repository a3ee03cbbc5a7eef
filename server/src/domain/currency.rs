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
    /// the major payment APIs do.
    pub fn parse(raw: &str) -> Result<Self, DomainError> {
        let lower = raw.to_ascii_lowercase();
        Self::ALL.into_iter().find(|c| c.code() == lower).ok_or(DomainError::InvalidCurrency)
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
