//! Cards: the number (Luhn-checked, never stored or logged), expiry and CVC, and the sandbox's
//! test-card table (API.md "Test cards"). Only brand, last4 and expiry ever leave this module.

use super::DomainError;

/// A card number that passes Luhn. Its `Debug` shows only the last four digits.
pub struct CardNumber(String);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Brand {
    Visa,
    Mastercard,
    Amex,
    Discover,
    Unknown,
}

impl Brand {
    pub const ALL: [Brand; 5] = [Self::Visa, Self::Mastercard, Self::Amex, Self::Discover, Self::Unknown];

    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|b| b.as_str() == raw)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Visa => "visa",
            Self::Mastercard => "mastercard",
            Self::Amex => "amex",
            Self::Discover => "discover",
            Self::Unknown => "unknown",
        }
    }
}

impl CardNumber {
    /// Digits with optional spaces (API.md allows them), 12 to 19 digits, Luhn-valid.
    pub fn parse(raw: &str) -> Result<Self, DomainError> {
        let digits: String = raw.chars().filter(|c| *c != ' ').collect();
        let well_formed = (12..=19).contains(&digits.len()) && digits.bytes().all(|b| b.is_ascii_digit());
        if well_formed && luhn(&digits) { Ok(Self(digits)) } else { Err(DomainError::InvalidCardNumber) }
    }

    pub fn last4(&self) -> &str {
        &self.0[self.0.len() - 4..]
    }

    pub fn brand(&self) -> Brand {
        let prefix = |n: usize| self.0[..n].parse::<u32>().unwrap_or(0);
        match self.0.as_bytes()[0] {
            b'4' => Brand::Visa,
            _ if (51..=55).contains(&prefix(2)) || (2221..=2720).contains(&prefix(4)) => Brand::Mastercard,
            _ if prefix(2) == 34 || prefix(2) == 37 => Brand::Amex,
            _ if prefix(4) == 6011 || prefix(2) == 65 => Brand::Discover,
            _ => Brand::Unknown,
        }
    }

    /// What the sandbox's card network answers for this number.
    pub fn test_outcome(&self) -> CardOutcome {
        let decline = |code| CardOutcome::Declined(Decline::of(code));
        match self.0.as_str() {
            "4242424242424242" | "5555555555554444" => CardOutcome::Approved,
            "4000000000000002" => decline(DeclineCode::GenericDecline),
            "4000000000009995" => decline(DeclineCode::InsufficientFunds),
            "4000000000000069" => decline(DeclineCode::ExpiredCard),
            "4000000000000127" => decline(DeclineCode::IncorrectCvc),
            // 3-D Secure, as in Stripe's test mode: always asks, then approves or declines.
            "4000002760003184" => CardOutcome::Authenticate { then: None },
            "4000008260003178" => CardOutcome::Authenticate { then: Some(Decline::of(DeclineCode::InsufficientFunds)) },
            // A real card in a test sandbox: refused, as live cards are in test mode.
            _ => decline(DeclineCode::TestModeLiveCard),
        }
    }
}

impl std::fmt::Debug for CardNumber {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "CardNumber(…{})", self.last4())
    }
}

fn luhn(digits: &str) -> bool {
    let sum: u32 = digits
        .bytes()
        .rev()
        .enumerate()
        .map(|(i, b)| {
            let d = u32::from(b - b'0');
            if i % 2 == 1 { if d * 2 > 9 { d * 2 - 9 } else { d * 2 } } else { d }
        })
        .sum();
    sum.is_multiple_of(10)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CardOutcome {
    Approved,
    Declined(Decline),
    /// The issuer asks the customer to authenticate (3-D Secure) first; once they have, it
    /// approves, or declines with `then`.
    Authenticate {
        then: Option<Decline>,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Decline {
    pub code: DeclineCode,
    /// The issuer's ISO 8583 response code, as networks report it.
    pub network_code: &'static str,
}

impl Decline {
    /// The sandbox's issuer always answers a decline reason with the same network code.
    pub fn of(code: DeclineCode) -> Self {
        let network_code = match code {
            DeclineCode::GenericDecline | DeclineCode::TestModeLiveCard => "05",
            DeclineCode::InsufficientFunds => "51",
            DeclineCode::ExpiredCard => "54",
            DeclineCode::IncorrectCvc => "N7",
            // Visa's "additional customer authentication required".
            DeclineCode::AuthenticationRequired => "1A",
        };
        Self { code, network_code }
    }

    /// The payment error's code when an attempt with `method` ends in this decline: a card's
    /// (`card_declined`, or the failed authentication), or `debit_failed` when the bank refused
    /// a debit.
    pub fn error_code(&self, method: super::MethodType) -> &'static str {
        if method == super::MethodType::Card { self.code.error_code() } else { "debit_failed" }
    }

    /// What the customer is told.
    pub fn message(&self, method: super::MethodType) -> &'static str {
        match (method, self.code) {
            (super::MethodType::Card, code) => code.message(),
            (_, DeclineCode::InsufficientFunds) => "The bank refused the debit: the account has insufficient funds.",
            _ => "The bank refused the debit.",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DeclineCode {
    GenericDecline,
    InsufficientFunds,
    ExpiredCard,
    IncorrectCvc,
    TestModeLiveCard,
    /// The customer failed (or refused) 3-D Secure authentication.
    AuthenticationRequired,
}

impl DeclineCode {
    pub const ALL: [DeclineCode; 6] = [
        Self::GenericDecline,
        Self::InsufficientFunds,
        Self::ExpiredCard,
        Self::IncorrectCvc,
        Self::TestModeLiveCard,
        Self::AuthenticationRequired,
    ];

    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.as_str() == raw)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::GenericDecline => "generic_decline",
            Self::InsufficientFunds => "insufficient_funds",
            Self::ExpiredCard => "expired_card",
            Self::IncorrectCvc => "incorrect_cvc",
            Self::TestModeLiveCard => "test_mode_live_card",
            Self::AuthenticationRequired => "authentication_required",
        }
    }

    /// The error code a decline is reported with: a failed authentication is Stripe's
    /// `payment_intent_authentication_failure`, anything else `card_declined`.
    pub fn error_code(self) -> &'static str {
        match self {
            Self::AuthenticationRequired => "payment_intent_authentication_failure",
            _ => "card_declined",
        }
    }

    pub fn message(self) -> &'static str {
        match self {
            Self::GenericDecline => "Your card was declined.",
            Self::InsufficientFunds => "Your card has insufficient funds.",
            Self::ExpiredCard => "Your card has expired.",
            Self::IncorrectCvc => "Your card's security code is incorrect.",
            Self::TestModeLiveCard => "Your card was declined: this is a test sandbox, use a test card.",
            Self::AuthenticationRequired => "The card could not be authenticated. Try again or use another card.",
        }
    }
}

/// A card's expiry month and four-digit year, valid through the end of that month.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Expiry {
    pub month: u32,
    pub year: i32,
}

impl Expiry {
    /// `year` may have two digits (`27` is 2027). `today` is (year, month), so the rule stays pure.
    pub fn parse(month: i64, year: i64, today: (i32, u32)) -> Result<Self, DomainError> {
        let year = if (0..100).contains(&year) { year + 2000 } else { year };
        let month = u32::try_from(month).ok().filter(|m| (1..=12).contains(m));
        let year = i32::try_from(year).ok().filter(|y| (2000..=2100).contains(y));
        match (month, year) {
            (Some(month), Some(year)) if (year, month) >= today => Ok(Self { month, year }),
            _ => Err(DomainError::InvalidExpiry),
        }
    }
}

/// Three or four digits; never stored.
pub struct Cvc;

impl Cvc {
    pub fn parse(raw: &str) -> Result<Self, DomainError> {
        let ok = (3..=4).contains(&raw.len()) && raw.bytes().all(|b| b.is_ascii_digit());
        if ok { Ok(Self) } else { Err(DomainError::InvalidCvc) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_test_card_table_holds() {
        let outcome = |n: &str| CardNumber::parse(n).unwrap().test_outcome();
        assert_eq!(outcome("4242 4242 4242 4242"), CardOutcome::Approved);
        assert_eq!(outcome("5555555555554444"), CardOutcome::Approved);
        for (number, code, network) in [
            ("4000000000000002", DeclineCode::GenericDecline, "05"),
            ("4000000000009995", DeclineCode::InsufficientFunds, "51"),
            ("4000000000000069", DeclineCode::ExpiredCard, "54"),
            ("4000000000000127", DeclineCode::IncorrectCvc, "N7"),
            ("4111111111111111", DeclineCode::TestModeLiveCard, "05"),
        ] {
            assert_eq!(outcome(number), CardOutcome::Declined(Decline { code, network_code: network }), "{number}");
        }
        assert_eq!(outcome("4000 0027 6000 3184"), CardOutcome::Authenticate { then: None });
        let declines_after = Some(Decline { code: DeclineCode::InsufficientFunds, network_code: "51" });
        assert_eq!(outcome("4000 0082 6000 3178"), CardOutcome::Authenticate { then: declines_after });
    }

    #[test]
    fn numbers_failing_luhn_or_shape_are_invalid() {
        for bad in
            ["4242424242424241", "", "4242", "4242-4242-4242-4242", "abcd efgh ijkl mnop", "42424242424242424242"]
        {
            assert!(CardNumber::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn brand_and_last4_are_all_that_shows() {
        let card = CardNumber::parse("5555 5555 5555 4444").unwrap();
        assert_eq!(card.brand(), Brand::Mastercard);
        assert_eq!(card.last4(), "4444");
        assert_eq!(format!("{card:?}"), "CardNumber(…4444)");
        assert_eq!(CardNumber::parse("4242424242424242").unwrap().brand(), Brand::Visa);
        assert_eq!(CardNumber::parse("378282246310005").unwrap().brand(), Brand::Amex);
    }

    #[test]
    fn expiry_is_valid_through_its_month() {
        assert_eq!(Expiry::parse(11, 2026, (2026, 11)), Ok(Expiry { month: 11, year: 2026 }));
        assert_eq!(Expiry::parse(12, 30, (2026, 11)), Ok(Expiry { month: 12, year: 2030 }));
        for (m, y) in [(10, 2026), (13, 2030), (0, 2030), (1, 1999), (5, -1)] {
            assert_eq!(Expiry::parse(m, y, (2026, 11)), Err(DomainError::InvalidExpiry), "{m}/{y}");
        }
    }

    #[test]
    fn cvcs_are_three_or_four_digits() {
        assert!(Cvc::parse("123").is_ok() && Cvc::parse("1234").is_ok());
        assert!(Cvc::parse("12").is_err() && Cvc::parse("12a").is_err() && Cvc::parse("12345").is_err());
    }
}
