from enum import StrEnum


class PaymentIntentStatus(StrEnum):
    AUTHORIZED = "authorized"
    CANCELED = "canceled"
    EXPIRED = "expired"
    FAILED = "failed"
    PROCESSING = "processing"
    REQUIRES_ACTION = "requires_action"
    REQUIRES_PAYMENT_METHOD = "requires_payment_method"
    SUCCEEDED = "succeeded"

    def __str__(self) -> str:
        return str(self.value)
