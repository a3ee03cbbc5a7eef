from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast

if TYPE_CHECKING:
    from ..models.redirect_to_url import RedirectToUrl


T = TypeVar("T", bound="NextAction")


@_attrs_define
class NextAction:
    """Stripe's shape: `{type: "redirect_to_url", redirect_to_url: {url}}`.

    Attributes:
        type_ (str): Always `redirect_to_url`. Example: redirect_to_url.
        redirect_to_url (RedirectToUrl):
    """

    type_: str
    redirect_to_url: RedirectToUrl
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.redirect_to_url import RedirectToUrl  # noqa: PLC0415

        type_ = self.type_

        redirect_to_url = self.redirect_to_url.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "type": type_,
                "redirect_to_url": redirect_to_url,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.redirect_to_url import RedirectToUrl  # noqa: PLC0415

        d = dict(src_dict)
        type_ = d.pop("type")

        redirect_to_url = RedirectToUrl.from_dict(d.pop("redirect_to_url"))

        next_action = cls(
            type_=type_,
            redirect_to_url=redirect_to_url,
        )

        next_action.additional_properties = d
        return next_action

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
