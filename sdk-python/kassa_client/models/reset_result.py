from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset


T = TypeVar("T", bound="ResetResult")


@_attrs_define
class ResetResult:
    """What a reset cleared.

    Attributes:
        object_ (str): Always `test_helpers.reset`. Example: test_helpers.reset.
        payment_intents (int): Payment intents removed, with their charges and refunds. Example: 12.
        events (int): Events removed, with their webhook deliveries and attempts. Example: 40.
        request_logs (int):  Example: 57.
        idempotency_keys (int): Answered idempotency keys forgotten: of the merchant's API keys, of its members acting
            on it, and of its checkouts. Example: 9.
    """

    object_: str
    payment_intents: int
    events: int
    request_logs: int
    idempotency_keys: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        object_ = self.object_

        payment_intents = self.payment_intents

        events = self.events

        request_logs = self.request_logs

        idempotency_keys = self.idempotency_keys

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "object": object_,
                "payment_intents": payment_intents,
                "events": events,
                "request_logs": request_logs,
                "idempotency_keys": idempotency_keys,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        object_ = d.pop("object")

        payment_intents = d.pop("payment_intents")

        events = d.pop("events")

        request_logs = d.pop("request_logs")

        idempotency_keys = d.pop("idempotency_keys")

        reset_result = cls(
            object_=object_,
            payment_intents=payment_intents,
            events=events,
            request_logs=request_logs,
            idempotency_keys=idempotency_keys,
        )

        reset_result.additional_properties = d
        return reset_result

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
