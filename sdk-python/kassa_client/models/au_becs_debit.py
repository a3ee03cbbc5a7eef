from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset


T = TypeVar("T", bound="AuBecsDebit")


@_attrs_define
class AuBecsDebit:
    """An Australian account for BECS Direct Debit. No `Debug`, as for cards.

    Attributes:
        bsb_number (str): Six digits, `000-000` or `000000`. Example: 000-000.
        account_number (str): 5 to 9 digits; never stored or logged. Example: 000123456.
    """

    bsb_number: str
    account_number: str

    def to_dict(self) -> dict[str, Any]:
        bsb_number = self.bsb_number

        account_number = self.account_number

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "bsb_number": bsb_number,
                "account_number": account_number,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        bsb_number = d.pop("bsb_number")

        account_number = d.pop("account_number")

        au_becs_debit = cls(
            bsb_number=bsb_number,
            account_number=account_number,
        )

        return au_becs_debit
