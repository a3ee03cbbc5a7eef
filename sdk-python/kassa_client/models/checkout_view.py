from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.payment_intent_status import PaymentIntentStatus
from ..models.payment_method_type import PaymentMethodType
from typing import cast
import datetime

if TYPE_CHECKING:
    from ..models.payment_error import PaymentError


T = TypeVar("T", bound="CheckoutView")


@_attrs_define
class CheckoutView:
    """What a browser may know of a payment intent: no secrets, no metadata.

    Attributes:
        id (str):
        amount (int):  Example: 1000.
        currency (str):  Example: usd.
        status (PaymentIntentStatus):
        merchant_name (str):  Example: Acme Books.
        attempts_remaining (int): Declines left before the intent fails. Example: 5.
        expires_at (datetime.datetime):
        last_payment_error (None | PaymentError):
        payment_method_types (list[PaymentMethodType]): What the customer may pay with: confirm with the matching
            object.
    """

    id: str
    amount: int
    currency: str
    status: PaymentIntentStatus
    merchant_name: str
    attempts_remaining: int
    expires_at: datetime.datetime
    last_payment_error: None | PaymentError
    payment_method_types: list[PaymentMethodType]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.payment_error import PaymentError  # noqa: PLC0415

        id = self.id

        amount = self.amount

        currency = self.currency

        status = self.status.value

        merchant_name = self.merchant_name

        attempts_remaining = self.attempts_remaining

        expires_at = self.expires_at.isoformat()

        last_payment_error: dict[str, Any] | None
        if isinstance(self.last_payment_error, PaymentError):
            last_payment_error = self.last_payment_error.to_dict()
        else:
            last_payment_error = self.last_payment_error

        payment_method_types = []
        for payment_method_types_item_data in self.payment_method_types:
            payment_method_types_item = payment_method_types_item_data.value
            payment_method_types.append(payment_method_types_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "amount": amount,
                "currency": currency,
                "status": status,
                "merchant_name": merchant_name,
                "attempts_remaining": attempts_remaining,
                "expires_at": expires_at,
                "last_payment_error": last_payment_error,
                "payment_method_types": payment_method_types,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.payment_error import PaymentError  # noqa: PLC0415

        d = dict(src_dict)
        id = d.pop("id")

        amount = d.pop("amount")

        currency = d.pop("currency")

        status = PaymentIntentStatus(d.pop("status"))

        merchant_name = d.pop("merchant_name")

        attempts_remaining = d.pop("attempts_remaining")

        expires_at = datetime.datetime.fromisoformat(d.pop("expires_at"))

        def _parse_last_payment_error(data: object) -> None | PaymentError:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                last_payment_error_type_0 = PaymentError.from_dict(data)

                return last_payment_error_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | PaymentError, data)

        last_payment_error = _parse_last_payment_error(d.pop("last_payment_error"))

        payment_method_types = []
        _payment_method_types = d.pop("payment_method_types")
        for payment_method_types_item_data in _payment_method_types:
            payment_method_types_item = PaymentMethodType(
                payment_method_types_item_data
            )

            payment_method_types.append(payment_method_types_item)

        checkout_view = cls(
            id=id,
            amount=amount,
            currency=currency,
            status=status,
            merchant_name=merchant_name,
            attempts_remaining=attempts_remaining,
            expires_at=expires_at,
            last_payment_error=last_payment_error,
            payment_method_types=payment_method_types,
        )

        checkout_view.additional_properties = d
        return checkout_view

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
