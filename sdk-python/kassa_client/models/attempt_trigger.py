from enum import StrEnum


class AttemptTrigger(StrEnum):
    LISTEN = "listen"
    MANUAL = "manual"
    SCHEDULED = "scheduled"

    def __str__(self) -> str:
        return str(self.value)
