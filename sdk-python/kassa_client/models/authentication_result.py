from enum import StrEnum


class AuthenticationResult(StrEnum):
    COMPLETE = "complete"
    FAIL = "fail"

    def __str__(self) -> str:
        return str(self.value)
