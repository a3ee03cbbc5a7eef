from enum import StrEnum


class PaymentMethodType(StrEnum):
    AU_BECS_DEBIT = "au_becs_debit"
    CARD = "card"
    SEPA_DEBIT = "sepa_debit"

    def __str__(self) -> str:
        return str(self.value)
