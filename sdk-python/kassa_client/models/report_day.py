from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset


T = TypeVar("T", bound="ReportDay")


@_attrs_define
class ReportDay:
    """One day's figures, defined as in [`DayFigures`].

    Attributes:
        date (str):  Example: 2026-12-01.
        gross_volume (int):  Example: 2500.
        refunded (int):  Example: 500.
        net_volume (int):  Example: 2000.
        succeeded (int):  Example: 2.
        failed (int):  Example: 1.
    """

    date: str
    gross_volume: int
    refunded: int
    net_volume: int
    succeeded: int
    failed: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        date = self.date

        gross_volume = self.gross_volume

        refunded = self.refunded

        net_volume = self.net_volume

        succeeded = self.succeeded

        failed = self.failed

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "date": date,
                "gross_volume": gross_volume,
                "refunded": refunded,
                "net_volume": net_volume,
                "succeeded": succeeded,
                "failed": failed,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        date = d.pop("date")

        gross_volume = d.pop("gross_volume")

        refunded = d.pop("refunded")

        net_volume = d.pop("net_volume")

        succeeded = d.pop("succeeded")

        failed = d.pop("failed")

        report_day = cls(
            date=date,
            gross_volume=gross_volume,
            refunded=refunded,
            net_volume=net_volume,
            succeeded=succeeded,
            failed=failed,
        )

        report_day.additional_properties = d
        return report_day

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
