from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.payment_intent_status import PaymentIntentStatus


T = TypeVar("T", bound="ConfirmCheckoutResponse")


@_attrs_define
class ConfirmCheckoutResponse:
    """An approved payment, or one that needs authentication, and where to send the browser.

    Attributes:
        status (PaymentIntentStatus):
        redirect_url (str): `success_url` with `payment_intent=<id>` added and `{PAYMENT_INTENT_ID}` /
            `{CHECKOUT_SESSION_ID}` replaced; or the authentication page. Example:
            https://shop.example/thanks?payment_intent=pi_3MtwBwLkdIwHu7ix28a3tqPa.
    """

    status: PaymentIntentStatus
    redirect_url: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        status = self.status.value

        redirect_url = self.redirect_url

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "status": status,
                "redirect_url": redirect_url,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        status = PaymentIntentStatus(d.pop("status"))

        redirect_url = d.pop("redirect_url")

        confirm_checkout_response = cls(
            status=status,
            redirect_url=redirect_url,
        )

        confirm_checkout_response.additional_properties = d
        return confirm_checkout_response

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
