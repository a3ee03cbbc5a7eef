from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.member_role import MemberRole


T = TypeVar("T", bound="AddMemberRequest")


@_attrs_define
class AddMemberRequest:
    """
    Attributes:
        email (str): The email of a registered user. Example: grace@example.com.
        role (MemberRole): A role on a merchant. `viewer` reads; `developer` also manages API keys and payments; `admin`
            also settings and members; `owner` everything.
    """

    email: str
    role: MemberRole

    def to_dict(self) -> dict[str, Any]:
        email = self.email

        role = self.role.value

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "email": email,
                "role": role,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        email = d.pop("email")

        role = MemberRole(d.pop("role"))

        add_member_request = cls(
            email=email,
            role=role,
        )

        return add_member_request
