from enum import StrEnum


class ClockMode(StrEnum):
    FROZEN = "frozen"
    REAL = "real"

    def __str__(self) -> str:
        return str(self.value)
