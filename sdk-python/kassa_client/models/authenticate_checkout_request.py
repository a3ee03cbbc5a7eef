from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.authentication_result import AuthenticationResult


T = TypeVar("T", bound="AuthenticateCheckoutRequest")


@_attrs_define
class AuthenticateCheckoutRequest:
    """
    Attributes:
        client_secret (str):
        result (AuthenticationResult): How the customer's authentication ended.
    """

    client_secret: str
    result: AuthenticationResult

    def to_dict(self) -> dict[str, Any]:
        client_secret = self.client_secret

        result = self.result.value

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "client_secret": client_secret,
                "result": result,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        client_secret = d.pop("client_secret")

        result = AuthenticationResult(d.pop("result"))

        authenticate_checkout_request = cls(
            client_secret=client_secret,
            result=result,
        )

        return authenticate_checkout_request
