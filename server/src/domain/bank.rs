//! Bank accounts for the asynchronous debit methods (API.md "Charges, authentication and
//! asynchronous methods"): an IBAN for SEPA Direct Debit, a BSB and account number for BECS
//! Direct Debit, and the sandbox's test accounts. Like card numbers, the full numbers stop
//! here: only the last four digits (and the bank's country or BSB) go further.

use super::{DebitDetails, Decline, DeclineCode, DomainError, MethodType};

/// An IBAN that passes ISO 13616's mod-97 check. Its `Debug` shows only the last four.
pub struct Iban(String);

impl Iban {
    /// Letters and digits, spaces allowed, any case: a country code, two check digits and
    /// 11 to 30 more characters, whose mod-97 remainder is 1.
    pub fn parse(raw: &str) -> Result<Self, DomainError> {
        // The shape first, without allocating: the request logs ask this of every string.
        let mut significant = raw.bytes().filter(|b| *b != b' ');
        let country = significant.by_ref().take(2).filter(u8::is_ascii_alphabetic).count();
        let check_digits = significant.by_ref().take(2).filter(u8::is_ascii_digit).count();
        if country != 2 || check_digits != 2 || !(11..=30).contains(&significant.count()) {
            return Err(DomainError::InvalidIban);
        }
        let iban: String = raw.chars().filter(|c| *c != ' ').collect::<String>().to_ascii_uppercase();
        let bytes = iban.as_bytes();
        let shaped = (15..=34).contains(&bytes.len())
            && bytes[..2].iter().all(u8::is_ascii_uppercase)
            && bytes[2..4].iter().all(u8::is_ascii_digit)
            && bytes[4..].iter().all(u8::is_ascii_alphanumeric);
        if shaped && mod97(&iban) == 1 { Ok(Self(iban)) } else { Err(DomainError::InvalidIban) }
    }

    pub fn country(&self) -> &str {
        &self.0[..2]
    }

    pub fn last4(&self) -> &str {
        &self.0[self.0.len() - 4..]
    }

    /// What is kept of it: the country, as the bank, and the last four.
    pub fn details(&self) -> DebitDetails {
        DebitDetails { method: MethodType::SepaDebit, bank: self.country().to_owned(), last4: self.last4().to_owned() }
    }

    /// What the sandbox's bank answers when the debit settles.
    pub fn test_outcome(&self) -> DebitOutcome {
        match self.0.as_str() {
            "DE62370400440532013001" => DebitOutcome::Fails(Decline::of(DeclineCode::InsufficientFunds)),
            _ => DebitOutcome::Settles,
        }
    }
}

impl std::fmt::Debug for Iban {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Iban({}…{})", self.country(), self.last4())
    }
}

/// The remainder of the IBAN, rearranged (its first four characters moved to the end) and
/// with letters as numbers (A = 10 … Z = 35), divided by 97; computed piecewise, as the number
/// has up to 68 digits.
fn mod97(iban: &str) -> u32 {
    let (head, tail) = iban.split_at(4);
    tail.chars().chain(head.chars()).fold(0, |remainder, c| {
        let value = c.to_digit(36).unwrap_or(0);
        let shifted = if value >= 10 { remainder * 100 } else { remainder * 10 };
        (shifted + value) % 97
    })
}

/// An Australian bank account: a six-digit BSB (bank, state, branch) and a 5 to 9 digit
/// account number.
pub struct BecsAccount {
    bsb: String,
    account: String,
}

impl BecsAccount {
    /// The BSB may be written `000-000`.
    pub fn parse(bsb: &str, account: &str) -> Result<Self, DomainError> {
        let bsb: String = bsb.chars().filter(|c| *c != '-' && *c != ' ').collect();
        let account: String = account.chars().filter(|c| *c != ' ').collect();
        let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
        if !(bsb.len() == 6 && digits(&bsb)) {
            return Err(DomainError::InvalidBankAccount { field: "bsb_number" });
        }
        if !((5..=9).contains(&account.len()) && digits(&account)) {
            return Err(DomainError::InvalidBankAccount { field: "account_number" });
        }
        Ok(Self { bsb, account })
    }

    /// `000-000`, as Australian banks write it.
    pub fn bsb(&self) -> String {
        format!("{}-{}", &self.bsb[..3], &self.bsb[3..])
    }

    pub fn last4(&self) -> &str {
        &self.account[self.account.len() - 4..]
    }

    /// What is kept of it: the BSB, as the bank, and the last four.
    pub fn details(&self) -> DebitDetails {
        DebitDetails { method: MethodType::AuBecsDebit, bank: self.bsb(), last4: self.last4().to_owned() }
    }

    /// What the sandbox's bank answers when the debit settles.
    pub fn test_outcome(&self) -> DebitOutcome {
        match (self.bsb.as_str(), self.account.as_str()) {
            ("000000", "900123456") => DebitOutcome::Fails(Decline::of(DeclineCode::InsufficientFunds)),
            _ => DebitOutcome::Settles,
        }
    }
}

impl std::fmt::Debug for BecsAccount {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "BecsAccount({} …{})", self.bsb(), self.last4())
    }
}

/// How a submitted debit ends once it settles.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DebitOutcome {
    Settles,
    Fails(Decline),
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ibans_are_checked_by_mod_97_in_any_case_and_spacing() {
        for good in [
            "DE89370400440532013000",
            "de89 3704 0044 0532 0130 00",
            "FR1420041010050500013M02606",
            "NL39RABO0300065264",
        ] {
            assert!(Iban::parse(good).is_ok(), "{good}");
        }
        for bad in
            ["DE89370400440532013001", "DE8937040044053201300", "1289370400440532013000", "DE89-3704-0044", "", "DE00"]
        {
            assert!(Iban::parse(bad).is_err(), "{bad}");
        }
        let iban = Iban::parse("DE89 3704 0044 0532 0130 00").unwrap();
        assert_eq!((iban.country(), iban.last4()), ("DE", "3000"));
        assert_eq!(format!("{iban:?}"), "Iban(DE…3000)", "no full number in a log");
        let kept = iban.details();
        assert_eq!((kept.method, kept.bank.as_str(), kept.last4.as_str()), (MethodType::SepaDebit, "DE", "3000"));
    }

    #[test]
    fn the_test_accounts_settle_or_fail() {
        assert_eq!(Iban::parse("DE89370400440532013000").unwrap().test_outcome(), DebitOutcome::Settles);
        let fails = DebitOutcome::Fails(Decline::of(DeclineCode::InsufficientFunds));
        assert_eq!(Iban::parse("DE62370400440532013001").unwrap().test_outcome(), fails);
        assert_eq!(BecsAccount::parse("000-000", "000123456").unwrap().test_outcome(), DebitOutcome::Settles);
        assert_eq!(BecsAccount::parse("000000", "900123456").unwrap().test_outcome(), fails);
    }

    #[test]
    fn becs_accounts_are_a_bsb_and_5_to_9_digits() {
        let account = BecsAccount::parse("062-000", "12345678").unwrap();
        assert_eq!((account.bsb(), account.last4()), ("062-000".to_owned(), "5678"));
        assert_eq!(format!("{account:?}"), "BecsAccount(062-000 …5678)");
        let kept = account.details();
        assert_eq!(
            (kept.method, kept.bank.as_str(), kept.last4.as_str()),
            (MethodType::AuBecsDebit, "062-000", "5678")
        );
        let wrong = |field| Err(DomainError::InvalidBankAccount { field });
        for (bsb, number, field) in [
            ("06200", "12345678", "bsb_number"),
            ("abc-def", "12345678", "bsb_number"),
            ("062-000", "1234", "account_number"),
            ("062-000", "1234567890", "account_number"),
        ] {
            assert_eq!(BecsAccount::parse(bsb, number).map(|a| a.last4().to_owned()), wrong(field), "{bsb} {number}");
        }
    }
}
