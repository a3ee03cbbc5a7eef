from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast

if TYPE_CHECKING:
    from ..models.day_figures import DayFigures
    from ..models.report_day import ReportDay


T = TypeVar("T", bound="CurrencyReport")


@_attrs_define
class CurrencyReport:
    """One currency's totals over the range, and every day of the range (days without activity
    are zeros), oldest first. Amounts are in the currency's minor unit.

        Attributes:
            currency (str):  Example: usd.
            totals (DayFigures): What a chart plots, in the currency's minor unit.
            days (list[ReportDay]):
    """

    currency: str
    totals: DayFigures
    days: list[ReportDay]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.day_figures import DayFigures  # noqa: PLC0415
        from ..models.report_day import ReportDay  # noqa: PLC0415

        currency = self.currency

        totals = self.totals.to_dict()

        days = []
        for days_item_data in self.days:
            days_item = days_item_data.to_dict()
            days.append(days_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "currency": currency,
                "totals": totals,
                "days": days,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.day_figures import DayFigures  # noqa: PLC0415
        from ..models.report_day import ReportDay  # noqa: PLC0415

        d = dict(src_dict)
        currency = d.pop("currency")

        totals = DayFigures.from_dict(d.pop("totals"))

        days = []
        _days = d.pop("days")
        for days_item_data in _days:
            days_item = ReportDay.from_dict(days_item_data)

            days.append(days_item)

        currency_report = cls(
            currency=currency,
            totals=totals,
            days=days,
        )

        currency_report.additional_properties = d
        return currency_report

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
