from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.payment_method_type import PaymentMethodType
from typing import cast


T = TypeVar("T", bound="PaymentMethod")


@_attrs_define
class PaymentMethod:
    """What paid: a card (brand and expiry) or a bank account (its bank), never the full number.

    Attributes:
        type_ (PaymentMethodType): A way to pay.
        brand (None | str): The card's brand; null for a debit. Example: visa.
        last4 (str): The last four digits of the card or account number. Example: 4242.
        exp_month (int | None): The card's expiry; null for a debit. Example: 12.
        exp_year (int | None):  Example: 2030.
        bank (None | str): The account's bank: the IBAN's country for `sepa_debit` (`DE`), the BSB for
            `au_becs_debit` (`000-000`); null for a card.
    """

    type_: PaymentMethodType
    brand: None | str
    last4: str
    exp_month: int | None
    exp_year: int | None
    bank: None | str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        type_ = self.type_.value

        brand: None | str
        brand = self.brand

        last4 = self.last4

        exp_month: int | None
        exp_month = self.exp_month

        exp_year: int | None
        exp_year = self.exp_year

        bank: None | str
        bank = self.bank

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "type": type_,
                "brand": brand,
                "last4": last4,
                "exp_month": exp_month,
                "exp_year": exp_year,
                "bank": bank,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        type_ = PaymentMethodType(d.pop("type"))

        def _parse_brand(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        brand = _parse_brand(d.pop("brand"))

        last4 = d.pop("last4")

        def _parse_exp_month(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        exp_month = _parse_exp_month(d.pop("exp_month"))

        def _parse_exp_year(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        exp_year = _parse_exp_year(d.pop("exp_year"))

        def _parse_bank(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        bank = _parse_bank(d.pop("bank"))

        payment_method = cls(
            type_=type_,
            brand=brand,
            last4=last4,
            exp_month=exp_month,
            exp_year=exp_year,
            bank=bank,
        )

        payment_method.additional_properties = d
        return payment_method

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
