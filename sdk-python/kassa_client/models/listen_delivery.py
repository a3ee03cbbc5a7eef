from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.event_type import EventType


T = TypeVar("T", bound="ListenDelivery")


@_attrs_define
class ListenDelivery:
    """One event to forward, exactly as a webhook endpoint would get it.

    Attributes:
        event_id (str):
        type_ (EventType):
        body (str): The request body to forward, byte for byte.
        kassa_signature (str): The `Kassa-Signature` header, signed now with the listener's secret.
        webhook_id (str):
        webhook_timestamp (str):
        webhook_signature (str):
    """

    event_id: str
    type_: EventType
    body: str
    kassa_signature: str
    webhook_id: str
    webhook_timestamp: str
    webhook_signature: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        event_id = self.event_id

        type_ = self.type_.value

        body = self.body

        kassa_signature = self.kassa_signature

        webhook_id = self.webhook_id

        webhook_timestamp = self.webhook_timestamp

        webhook_signature = self.webhook_signature

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "event_id": event_id,
                "type": type_,
                "body": body,
                "kassa_signature": kassa_signature,
                "webhook_id": webhook_id,
                "webhook_timestamp": webhook_timestamp,
                "webhook_signature": webhook_signature,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        event_id = d.pop("event_id")

        type_ = EventType(d.pop("type"))

        body = d.pop("body")

        kassa_signature = d.pop("kassa_signature")

        webhook_id = d.pop("webhook_id")

        webhook_timestamp = d.pop("webhook_timestamp")

        webhook_signature = d.pop("webhook_signature")

        listen_delivery = cls(
            event_id=event_id,
            type_=type_,
            body=body,
            kassa_signature=kassa_signature,
            webhook_id=webhook_id,
            webhook_timestamp=webhook_timestamp,
            webhook_signature=webhook_signature,
        )

        listen_delivery.additional_properties = d
        return listen_delivery

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
