from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.clock_mode import ClockMode
from typing import cast
import datetime


T = TypeVar("T", bound="TestClock")


@_attrs_define
class TestClock:
    """The merchant's test clock: what its payments read as now.

    Attributes:
        object_ (str): Always `test_helpers.clock`. Example: test_helpers.clock.
        now (datetime.datetime):
        mode (ClockMode):
        next_due_at (datetime.datetime | None): When the next pending work falls due (`GET /v1/test-helpers/schedule`);
            null when
            nothing is pending.
    """

    object_: str
    now: datetime.datetime
    mode: ClockMode
    next_due_at: datetime.datetime | None
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        object_ = self.object_

        now = self.now.isoformat()

        mode = self.mode.value

        next_due_at: None | str
        if isinstance(self.next_due_at, datetime.datetime):
            next_due_at = self.next_due_at.isoformat()
        else:
            next_due_at = self.next_due_at

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "object": object_,
                "now": now,
                "mode": mode,
                "next_due_at": next_due_at,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        object_ = d.pop("object")

        now = datetime.datetime.fromisoformat(d.pop("now"))

        mode = ClockMode(d.pop("mode"))

        def _parse_next_due_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                next_due_at_type_0 = datetime.datetime.fromisoformat(data)

                return next_due_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        next_due_at = _parse_next_due_at(d.pop("next_due_at"))

        test_clock = cls(
            object_=object_,
            now=now,
            mode=mode,
            next_due_at=next_due_at,
        )

        test_clock.additional_properties = d
        return test_clock

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
