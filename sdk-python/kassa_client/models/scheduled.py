from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.scheduled_kind import ScheduledKind
from typing import cast
import datetime


T = TypeVar("T", bound="Scheduled")


@_attrs_define
class Scheduled:
    """One piece of pending work.

    Attributes:
        kind (ScheduledKind): What falls due.
        object_ (str): The object it changes: a payment intent, or the event a webhook attempt delivers. Example:
            pi_3MtwBwLkdIwHu7ix28a3tqPa.
        due_at (datetime.datetime):
    """

    kind: ScheduledKind
    object_: str
    due_at: datetime.datetime
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        kind = self.kind.value

        object_ = self.object_

        due_at = self.due_at.isoformat()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "kind": kind,
                "object": object_,
                "due_at": due_at,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        kind = ScheduledKind(d.pop("kind"))

        object_ = d.pop("object")

        due_at = datetime.datetime.fromisoformat(d.pop("due_at"))

        scheduled = cls(
            kind=kind,
            object_=object_,
            due_at=due_at,
        )

        scheduled.additional_properties = d
        return scheduled

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
