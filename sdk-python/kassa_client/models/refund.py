from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.refund_reason import RefundReason
from ..models.refund_status import RefundStatus
from typing import cast
import datetime


T = TypeVar("T", bound="Refund")


@_attrs_define
class Refund:
    """Money returned from a succeeded payment intent.

    Attributes:
        id (str):  Example: re_3MtwBwLkdIwHu7ix0Ntfl6tP.
        object_ (str): Always `refund`. Example: refund.
        payment_intent (str):
        amount (int):  Example: 500.
        reason (None | RefundReason):
        status (RefundStatus):
        created_at (datetime.datetime):
    """

    id: str
    object_: str
    payment_intent: str
    amount: int
    reason: None | RefundReason
    status: RefundStatus
    created_at: datetime.datetime
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        object_ = self.object_

        payment_intent = self.payment_intent

        amount = self.amount

        reason: None | str
        if isinstance(self.reason, RefundReason):
            reason = self.reason.value
        else:
            reason = self.reason

        status = self.status.value

        created_at = self.created_at.isoformat()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "object": object_,
                "payment_intent": payment_intent,
                "amount": amount,
                "reason": reason,
                "status": status,
                "created_at": created_at,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = d.pop("id")

        object_ = d.pop("object")

        payment_intent = d.pop("payment_intent")

        amount = d.pop("amount")

        def _parse_reason(data: object) -> None | RefundReason:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                reason_type_0 = RefundReason(data)

                return reason_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | RefundReason, data)

        reason = _parse_reason(d.pop("reason"))

        status = RefundStatus(d.pop("status"))

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        refund = cls(
            id=id,
            object_=object_,
            payment_intent=payment_intent,
            amount=amount,
            reason=reason,
            status=status,
            created_at=created_at,
        )

        refund.additional_properties = d
        return refund

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
