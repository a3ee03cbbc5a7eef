//! Which payment methods an intent takes (API.md "Charges, authentication and asynchronous
//! methods"): cards everywhere, and bank debits in their one currency. The currencies each
//! method works with are listed here once.

use super::{CaptureMethod, CardDetails, Currency, DomainError};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MethodType {
    Card,
    /// SEPA Direct Debit: euro accounts, by IBAN.
    SepaDebit,
    /// BECS Direct Debit: Australian accounts, by BSB and account number.
    AuBecsDebit,
}

impl MethodType {
    pub const ALL: [MethodType; 3] = [Self::Card, Self::SepaDebit, Self::AuBecsDebit];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Card => "card",
            Self::SepaDebit => "sepa_debit",
            Self::AuBecsDebit => "au_becs_debit",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|m| m.as_str() == raw)
    }

    /// The currencies the method works with; `None` for all of them.
    pub fn currencies(self) -> Option<&'static [Currency]> {
        match self {
            Self::Card => None,
            Self::SepaDebit => Some(&[Currency::Eur]),
            Self::AuBecsDebit => Some(&[Currency::Aud]),
        }
    }

    pub fn accepts(self, currency: Currency) -> bool {
        self.currencies().is_none_or(|list| list.contains(&currency))
    }

    /// Whether the money can be held now and captured later. A card authorization can; a
    /// debit is collected when it settles, as Stripe has it.
    pub fn captures_later(self) -> bool {
        self == Self::Card
    }
}

/// What an intent was paid with, as kept: a card or a bank account, never its full number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PaymentMethodDetails {
    Card(CardDetails),
    Debit(DebitDetails),
}

/// A bank account a debit was drawn on: its method, its bank (an IBAN's country, a BSB) and
/// the last four digits of its number. Made from a parsed account only (`Iban::details`,
/// `BecsAccount::details`), so `method` is never `card`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DebitDetails {
    pub method: MethodType,
    pub bank: String,
    pub last4: String,
}

impl PaymentMethodDetails {
    pub fn method_type(&self) -> MethodType {
        match self {
            Self::Card(_) => MethodType::Card,
            Self::Debit(debit) => debit.method,
        }
    }

    pub fn last4(&self) -> &str {
        match self {
            Self::Card(card) => &card.last4,
            Self::Debit(debit) => &debit.last4,
        }
    }

    pub fn card(&self) -> Option<&CardDetails> {
        match self {
            Self::Card(card) => Some(card),
            Self::Debit(_) => None,
        }
    }

    pub fn debit(&self) -> Option<&DebitDetails> {
        match self {
            Self::Card(_) => None,
            Self::Debit(debit) => Some(debit),
        }
    }
}

/// An intent's payment methods: at least one, each once, each fit for its currency.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MethodTypes(Vec<MethodType>);

impl Default for MethodTypes {
    /// Cards, as when `payment_method_types` is left out.
    fn default() -> Self {
        Self(vec![MethodType::Card])
    }
}

impl MethodTypes {
    /// `raw` as a request gives it, for an intent in `currency`.
    pub fn parse(raw: Option<&[String]>, currency: Currency) -> Result<Self, DomainError> {
        let Some(raw) = raw else { return Ok(Self::default()) };
        if raw.is_empty() {
            return Err(DomainError::InvalidPaymentMethodTypes("must name at least one payment method"));
        }
        let mut methods = Vec::new();
        for name in raw {
            let method = MethodType::parse(name)
                .ok_or(DomainError::InvalidPaymentMethodTypes("each must be card, sepa_debit or au_becs_debit"))?;
            if !method.accepts(currency) {
                return Err(DomainError::MethodUnsupportedCurrency { method });
            }
            if !methods.contains(&method) {
                methods.push(method);
            }
        }
        Ok(Self(methods))
    }

    /// As stored: names the store wrote itself.
    pub fn from_names<'a>(names: impl IntoIterator<Item = &'a str>) -> Option<Self> {
        let methods = names.into_iter().map(MethodType::parse).collect::<Option<Vec<_>>>()?;
        (!methods.is_empty()).then_some(Self(methods))
    }

    pub fn as_slice(&self) -> &[MethodType] {
        &self.0
    }

    pub fn takes(&self, method: MethodType) -> bool {
        self.0.contains(&method)
    }

    /// Manual capture needs every method to hold money for a later capture: an intent that
    /// takes a debit is captured when the debit settles.
    pub fn allow(&self, capture_method: CaptureMethod) -> Result<(), DomainError> {
        match self.0.iter().find(|m| !m.captures_later()) {
            Some(&method) if capture_method == CaptureMethod::Manual => {
                Err(DomainError::ManualCaptureUnsupported { method })
            }
            _ => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| (*s).to_owned()).collect()
    }

    #[test]
    fn cards_by_default_and_debits_in_their_currency_only() {
        assert_eq!(MethodTypes::parse(None, Currency::Jpy).unwrap().as_slice(), [MethodType::Card]);
        let both = MethodTypes::parse(Some(&names(&["card", "sepa_debit", "card"])), Currency::Eur).unwrap();
        assert_eq!(both.as_slice(), [MethodType::Card, MethodType::SepaDebit], "each once, in order");
        assert_eq!(
            MethodTypes::parse(Some(&names(&["au_becs_debit"])), Currency::Usd),
            Err(DomainError::MethodUnsupportedCurrency { method: MethodType::AuBecsDebit })
        );
        assert!(MethodTypes::parse(Some(&names(&["au_becs_debit"])), Currency::Aud).is_ok());
        assert!(MethodTypes::parse(Some(&names(&["sepa_debit"])), Currency::Gbp).is_err());
        assert!(MethodTypes::parse(Some(&[]), Currency::Eur).is_err());
        assert!(MethodTypes::parse(Some(&names(&["ideal"])), Currency::Eur).is_err());
    }

    #[test]
    fn manual_capture_is_for_cards_only() {
        let cards = MethodTypes::default();
        assert!(cards.allow(CaptureMethod::Manual).is_ok());
        let debits = MethodTypes::parse(Some(&names(&["card", "sepa_debit"])), Currency::Eur).unwrap();
        assert!(debits.allow(CaptureMethod::Automatic).is_ok());
        assert_eq!(
            debits.allow(CaptureMethod::Manual),
            Err(DomainError::ManualCaptureUnsupported { method: MethodType::SepaDebit })
        );
    }

    #[test]
    fn every_method_names_its_currencies() {
        for method in MethodType::ALL {
            assert_eq!(MethodType::parse(method.as_str()), Some(method));
            assert!(Currency::ALL.iter().any(|c| method.accepts(*c)), "{method:?} takes no currency");
        }
    }
}
