from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.attempt_trigger import AttemptTrigger
from typing import cast
import datetime


T = TypeVar("T", bound="DeliveryAttempt")


@_attrs_define
class DeliveryAttempt:
    """One attempt to deliver an event to the merchant's webhook endpoint.

    Attributes:
        id (str):  Example: att_4Xo3yOJaFQwqnqEcbmV5BMb2.
        object_ (str): Always `delivery_attempt`. Example: delivery_attempt.
        event (str):
        number (int): 1 for the first attempt of the event's delivery. Example: 1.
        trigger (AttemptTrigger):
        url (str):  Example: https://shop.example/webhooks.
        status_code (int | None): The receiver's HTTP status; any 2xx delivered the event, anything else (3xx included:
            redirects are not followed) failed. Example: 200.
        error (None | str): Why there was no answer: `timeout` (10 s), `connection_refused`, `dns`, `tls_error`,
            `connection_failed`, `refused_address`, `network_error`, `no_endpoint`.
        duration_ms (int):  Example: 12.
        response_body (str): The first 2 KB of the receiver's answer.
        next_attempt_at (datetime.datetime | None): When the next scheduled attempt is due, if this one failed and the
            schedule goes on.
        created_at (datetime.datetime):
    """

    id: str
    object_: str
    event: str
    number: int
    trigger: AttemptTrigger
    url: str
    status_code: int | None
    error: None | str
    duration_ms: int
    response_body: str
    next_attempt_at: datetime.datetime | None
    created_at: datetime.datetime
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        object_ = self.object_

        event = self.event

        number = self.number

        trigger = self.trigger.value

        url = self.url

        status_code: int | None
        status_code = self.status_code

        error: None | str
        error = self.error

        duration_ms = self.duration_ms

        response_body = self.response_body

        next_attempt_at: None | str
        if isinstance(self.next_attempt_at, datetime.datetime):
            next_attempt_at = self.next_attempt_at.isoformat()
        else:
            next_attempt_at = self.next_attempt_at

        created_at = self.created_at.isoformat()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "object": object_,
                "event": event,
                "number": number,
                "trigger": trigger,
                "url": url,
                "status_code": status_code,
                "error": error,
                "duration_ms": duration_ms,
                "response_body": response_body,
                "next_attempt_at": next_attempt_at,
                "created_at": created_at,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = d.pop("id")

        object_ = d.pop("object")

        event = d.pop("event")

        number = d.pop("number")

        trigger = AttemptTrigger(d.pop("trigger"))

        url = d.pop("url")

        def _parse_status_code(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        status_code = _parse_status_code(d.pop("status_code"))

        def _parse_error(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        error = _parse_error(d.pop("error"))

        duration_ms = d.pop("duration_ms")

        response_body = d.pop("response_body")

        def _parse_next_attempt_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                next_attempt_at_type_0 = datetime.datetime.fromisoformat(data)

                return next_attempt_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        next_attempt_at = _parse_next_attempt_at(d.pop("next_attempt_at"))

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        delivery_attempt = cls(
            id=id,
            object_=object_,
            event=event,
            number=number,
            trigger=trigger,
            url=url,
            status_code=status_code,
            error=error,
            duration_ms=duration_ms,
            response_body=response_body,
            next_attempt_at=next_attempt_at,
            created_at=created_at,
        )

        delivery_attempt.additional_properties = d
        return delivery_attempt

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
