from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset


T = TypeVar("T", bound="ChargeOutcome")


@_attrs_define
class ChargeOutcome:
    """Why a charge was declined.

    Attributes:
        decline_code (str):  Example: insufficient_funds.
        network_decline_code (str): The issuer's ISO 8583 response code. Example: 51.
    """

    decline_code: str
    network_decline_code: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        decline_code = self.decline_code

        network_decline_code = self.network_decline_code

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "decline_code": decline_code,
                "network_decline_code": network_decline_code,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        decline_code = d.pop("decline_code")

        network_decline_code = d.pop("network_decline_code")

        charge_outcome = cls(
            decline_code=decline_code,
            network_decline_code=network_decline_code,
        )

        charge_outcome.additional_properties = d
        return charge_outcome

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
