from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset


T = TypeVar("T", bound="PaymentError")


@_attrs_define
class PaymentError:
    """The last declined attempt.

    Attributes:
        code (str): `card_declined`; `payment_intent_authentication_failure` when the customer failed
            3-D Secure authentication (then `decline_code` is `authentication_required`);
            `debit_failed` when the bank refused a debit as it settled. Example: card_declined.
        decline_code (str):  Example: insufficient_funds.
        network_decline_code (str): The ISO 8583 response code of the reason, as a card issuer gives it (a failed debit
            carries the same code for the same reason). Example: 51.
        message (str):
    """

    code: str
    decline_code: str
    network_decline_code: str
    message: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        code = self.code

        decline_code = self.decline_code

        network_decline_code = self.network_decline_code

        message = self.message

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "code": code,
                "decline_code": decline_code,
                "network_decline_code": network_decline_code,
                "message": message,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        code = d.pop("code")

        decline_code = d.pop("decline_code")

        network_decline_code = d.pop("network_decline_code")

        message = d.pop("message")

        payment_error = cls(
            code=code,
            decline_code=decline_code,
            network_decline_code=network_decline_code,
            message=message,
        )

        payment_error.additional_properties = d
        return payment_error

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
