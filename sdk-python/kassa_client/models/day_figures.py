from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset


T = TypeVar("T", bound="DayFigures")


@_attrs_define
class DayFigures:
    """What a chart plots, in the currency's minor unit.

    Attributes:
        gross_volume (int): What was captured: the `amount_received` of the intents that succeeded. Example: 2500.
        refunded (int): What was refunded, whichever day its payment was. Example: 500.
        net_volume (int): `gross_volume - refunded` (negative on a day with more refunds than payments). Example: 2000.
        succeeded (int): How many payment intents succeeded. Example: 2.
        failed (int): How many payment attempts were declined (each decline counts, as each failed charge does).
            Example: 1.
    """

    gross_volume: int
    refunded: int
    net_volume: int
    succeeded: int
    failed: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        gross_volume = self.gross_volume

        refunded = self.refunded

        net_volume = self.net_volume

        succeeded = self.succeeded

        failed = self.failed

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
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
        gross_volume = d.pop("gross_volume")

        refunded = d.pop("refunded")

        net_volume = d.pop("net_volume")

        succeeded = d.pop("succeeded")

        failed = d.pop("failed")

        day_figures = cls(
            gross_volume=gross_volume,
            refunded=refunded,
            net_volume=net_volume,
            succeeded=succeeded,
            failed=failed,
        )

        day_figures.additional_properties = d
        return day_figures

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
