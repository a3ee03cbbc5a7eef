from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast

if TYPE_CHECKING:
    from ..models.delivery_attempt import DeliveryAttempt


T = TypeVar("T", bound="Redelivery")


@_attrs_define
class Redelivery:
    """What a redelivery did.

    Attributes:
        delivered (bool): Whether the webhook endpoint answered 2xx (false when there is none).
        attempt (DeliveryAttempt | None):
        listeners (int): How many `kassa listen` listeners of the merchant will forward the event again (at once,
            or when they next connect). Example: 1.
    """

    delivered: bool
    attempt: DeliveryAttempt | None
    listeners: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.delivery_attempt import DeliveryAttempt  # noqa: PLC0415

        delivered = self.delivered

        attempt: dict[str, Any] | None
        if isinstance(self.attempt, DeliveryAttempt):
            attempt = self.attempt.to_dict()
        else:
            attempt = self.attempt

        listeners = self.listeners

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "delivered": delivered,
                "attempt": attempt,
                "listeners": listeners,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.delivery_attempt import DeliveryAttempt  # noqa: PLC0415

        d = dict(src_dict)
        delivered = d.pop("delivered")

        def _parse_attempt(data: object) -> DeliveryAttempt | None:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                attempt_type_0 = DeliveryAttempt.from_dict(data)

                return attempt_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(DeliveryAttempt | None, data)

        attempt = _parse_attempt(d.pop("attempt"))

        listeners = d.pop("listeners")

        redelivery = cls(
            delivered=delivered,
            attempt=attempt,
            listeners=listeners,
        )

        redelivery.additional_properties = d
        return redelivery

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
