from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset


T = TypeVar("T", bound="SepaDebit")


@_attrs_define
class SepaDebit:
    """A SEPA Direct Debit mandate's account. No `Debug`: the number must never reach a log line.

    Attributes:
        iban (str): The account's IBAN, spaces allowed; checked by mod-97, never stored or logged. Example: DE89 3704
            0044 0532 0130 00.
    """

    iban: str

    def to_dict(self) -> dict[str, Any]:
        iban = self.iban

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "iban": iban,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        iban = d.pop("iban")

        sepa_debit = cls(
            iban=iban,
        )

        return sepa_debit
