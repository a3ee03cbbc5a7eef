from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast

if TYPE_CHECKING:
    from ..models.currency_report import CurrencyReport


T = TypeVar("T", bound="PaymentsReport")


@_attrs_define
class PaymentsReport:
    """The merchant's payments per day and currency.

    Attributes:
        object_ (str): Always `payments_report`. Example: payments_report.
        from_ (str):  Example: 2026-11-02.
        to (str):  Example: 2026-12-01.
        currencies (list[CurrencyReport]): Every currency with activity in the range, by code.
    """

    object_: str
    from_: str
    to: str
    currencies: list[CurrencyReport]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.currency_report import CurrencyReport  # noqa: PLC0415

        object_ = self.object_

        from_ = self.from_

        to = self.to

        currencies = []
        for currencies_item_data in self.currencies:
            currencies_item = currencies_item_data.to_dict()
            currencies.append(currencies_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "object": object_,
                "from": from_,
                "to": to,
                "currencies": currencies,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.currency_report import CurrencyReport  # noqa: PLC0415

        d = dict(src_dict)
        object_ = d.pop("object")

        from_ = d.pop("from")

        to = d.pop("to")

        currencies = []
        _currencies = d.pop("currencies")
        for currencies_item_data in _currencies:
            currencies_item = CurrencyReport.from_dict(currencies_item_data)

            currencies.append(currencies_item)

        payments_report = cls(
            object_=object_,
            from_=from_,
            to=to,
            currencies=currencies,
        )

        payments_report.additional_properties = d
        return payments_report

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
