from enum import StrEnum


class ScheduledKind(StrEnum):
    AUTHORIZATION_EXPIRY = "authorization_expiry"
    DEBIT_SETTLEMENT = "debit_settlement"
    PAYMENT_INTENT_EXPIRY = "payment_intent_expiry"
    WEBHOOK_ATTEMPT = "webhook_attempt"

    def __str__(self) -> str:
        return str(self.value)
