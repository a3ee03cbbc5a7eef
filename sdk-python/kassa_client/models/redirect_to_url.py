from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset


T = TypeVar("T", bound="RedirectToUrl")


@_attrs_define
class RedirectToUrl:
    """
    Attributes:
        url (str): Kassa's test authentication page for this intent. Example: http://127.0.0.1:4242/checkout/pi_3MtwBwLk
            dIwHu7ix28a3tqPa/authenticate?client_secret=pi_3MtwBwLkdIwHu7ix28a3tqPa_secret_9f2c6d0e4b1a8c7d5e3f2a1b0c9d8e7f.
    """

    url: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        url = self.url

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "url": url,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        url = d.pop("url")

        redirect_to_url = cls(
            url=url,
        )

        redirect_to_url.additional_properties = d
        return redirect_to_url

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
