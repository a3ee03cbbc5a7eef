from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast
from uuid import UUID
import datetime


T = TypeVar("T", bound="Merchant")


@_attrs_define
class Merchant:
    """A business that takes payments. Its members act on it with their roles.

    Attributes:
        id (UUID):
        name (str):  Example: Acme Books.
        webhook_url (None | str): Where events are delivered, or null. Example: https://acme.example/webhooks/kassa.
        webhook_secret (None | str): The `whsec_…` secret webhook signatures are made with. Present only in the response
            that
            creates the merchant (and from the roll endpoint); null everywhere else.
        created_at (datetime.datetime):
    """

    id: UUID
    name: str
    webhook_url: None | str
    webhook_secret: None | str
    created_at: datetime.datetime
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = str(self.id)

        name = self.name

        webhook_url: None | str
        webhook_url = self.webhook_url

        webhook_secret: None | str
        webhook_secret = self.webhook_secret

        created_at = self.created_at.isoformat()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "name": name,
                "webhook_url": webhook_url,
                "webhook_secret": webhook_secret,
                "created_at": created_at,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = UUID(d.pop("id"))

        name = d.pop("name")

        def _parse_webhook_url(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        webhook_url = _parse_webhook_url(d.pop("webhook_url"))

        def _parse_webhook_secret(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        webhook_secret = _parse_webhook_secret(d.pop("webhook_secret"))

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        merchant = cls(
            id=id,
            name=name,
            webhook_url=webhook_url,
            webhook_secret=webhook_secret,
            created_at=created_at,
        )

        merchant.additional_properties = d
        return merchant

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
