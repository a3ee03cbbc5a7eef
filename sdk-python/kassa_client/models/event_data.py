from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast

if TYPE_CHECKING:
    from ..models.payment_intent import PaymentIntent
    from ..models.refund import Refund


T = TypeVar("T", bound="EventData")


@_attrs_define
class EventData:
    """
    Attributes:
        object_ (PaymentIntent | Refund): The object an event is about, as it was then: a payment intent or a refund,
            told apart by
            its `object` field.
    """

    object_: PaymentIntent | Refund
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.payment_intent import PaymentIntent  # noqa: PLC0415
        from ..models.refund import Refund  # noqa: PLC0415

        object_: dict[str, Any]
        if isinstance(self.object_, PaymentIntent):
            object_ = self.object_.to_dict()
        else:
            object_ = self.object_.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "object": object_,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.payment_intent import PaymentIntent  # noqa: PLC0415
        from ..models.refund import Refund  # noqa: PLC0415

        d = dict(src_dict)

        def _parse_object_(data: object) -> PaymentIntent | Refund:
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                componentsschemas_event_data_object_type_0 = PaymentIntent.from_dict(
                    data
                )

                return componentsschemas_event_data_object_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            if not isinstance(data, dict):
                raise TypeError()
            componentsschemas_event_data_object_type_1 = Refund.from_dict(data)

            return componentsschemas_event_data_object_type_1

        object_ = _parse_object_(d.pop("object"))

        event_data = cls(
            object_=object_,
        )

        event_data.additional_properties = d
        return event_data

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
