from enum import StrEnum


class EventType(StrEnum):
    PAYMENT_INTENT_AUTHORIZED = "payment_intent.authorized"
    PAYMENT_INTENT_CANCELED = "payment_intent.canceled"
    PAYMENT_INTENT_CREATED = "payment_intent.created"
    PAYMENT_INTENT_EXPIRED = "payment_intent.expired"
    PAYMENT_INTENT_PAYMENT_FAILED = "payment_intent.payment_failed"
    PAYMENT_INTENT_PROCESSING = "payment_intent.processing"
    PAYMENT_INTENT_REQUIRES_ACTION = "payment_intent.requires_action"
    PAYMENT_INTENT_SUCCEEDED = "payment_intent.succeeded"
    REFUND_CREATED = "refund.created"

    def __str__(self) -> str:
        return str(self.value)
