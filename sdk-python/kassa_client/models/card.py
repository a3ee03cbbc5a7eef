from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset


T = TypeVar("T", bound="Card")


@_attrs_define
class Card:
    """No `Debug`: a card must never reach a log line.

    Attributes:
        number (str): Digits, spaces allowed; never stored or logged. Example: 4242 4242 4242 4242.
        exp_month (int):  Example: 12.
        exp_year (int): Four digits, or two (`30` is 2030). Example: 2030.
        cvc (str):  Example: 123.
        name (str): The cardholder's name. Example: Ada Lovelace.
    """

    number: str
    exp_month: int
    exp_year: int
    cvc: str
    name: str

    def to_dict(self) -> dict[str, Any]:
        number = self.number

        exp_month = self.exp_month

        exp_year = self.exp_year

        cvc = self.cvc

        name = self.name

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "number": number,
                "exp_month": exp_month,
                "exp_year": exp_year,
                "cvc": cvc,
                "name": name,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        number = d.pop("number")

        exp_month = d.pop("exp_month")

        exp_year = d.pop("exp_year")

        cvc = d.pop("cvc")

        name = d.pop("name")

        card = cls(
            number=number,
            exp_month=exp_month,
            exp_year=exp_year,
            cvc=cvc,
            name=name,
        )

        return card
