from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast

if TYPE_CHECKING:
    from ..models.scheduled import Scheduled
    from ..models.test_clock import TestClock


T = TypeVar("T", bound="ClockAdvance")


@_attrs_define
class ClockAdvance:
    """An advance: the clock after it, and what ran.

    Attributes:
        clock (TestClock): The merchant's test clock: what its payments read as now.
        ran (list[Scheduled]): The work that ran, in the order it ran.
        has_more (bool): The step cap (1000) was reached: the clock stands at the last step's due time, and
            another advance goes on.
    """

    clock: TestClock
    ran: list[Scheduled]
    has_more: bool
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.scheduled import Scheduled  # noqa: PLC0415
        from ..models.test_clock import TestClock  # noqa: PLC0415

        clock = self.clock.to_dict()

        ran = []
        for ran_item_data in self.ran:
            ran_item = ran_item_data.to_dict()
            ran.append(ran_item)

        has_more = self.has_more

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "clock": clock,
                "ran": ran,
                "has_more": has_more,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.scheduled import Scheduled  # noqa: PLC0415
        from ..models.test_clock import TestClock  # noqa: PLC0415

        d = dict(src_dict)
        clock = TestClock.from_dict(d.pop("clock"))

        ran = []
        _ran = d.pop("ran")
        for ran_item_data in _ran:
            ran_item = Scheduled.from_dict(ran_item_data)

            ran.append(ran_item)

        has_more = d.pop("has_more")

        clock_advance = cls(
            clock=clock,
            ran=ran,
            has_more=has_more,
        )

        clock_advance.additional_properties = d
        return clock_advance

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
