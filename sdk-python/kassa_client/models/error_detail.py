from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.error_type import ErrorType
from ..types import UNSET, Unset
from typing import cast


T = TypeVar("T", bound="ErrorDetail")


@_attrs_define
class ErrorDetail:
    """
    Attributes:
        type_ (ErrorType):
        code (str): A stable, machine-readable reason, such as `weak_password` or `insufficient_role`. Example:
            weak_password.
        message (str): A human-readable explanation, safe to show to a developer.
        param (None | str): The request field, query or path parameter at fault, when there is one.
        request_id (str): The `Request-Id` of the failed request, to quote in a support request. Example:
            req_4Xo3yOJaFQwqnqEcbmV5BMb2.
        decline_code (None | str | Unset): For a `card_error`: why the issuer declined, e.g. `insufficient_funds`.
            Example: insufficient_funds.
        network_decline_code (None | str | Unset): For a `card_error`: the network's response code, e.g. `51`. Example:
            51.
        attempts_remaining (int | None | Unset): For a `card_error`: how many more attempts the payment intent accepts.
            Example: 4.
    """

    type_: ErrorType
    code: str
    message: str
    param: None | str
    request_id: str
    decline_code: None | str | Unset = UNSET
    network_decline_code: None | str | Unset = UNSET
    attempts_remaining: int | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        type_ = self.type_.value

        code = self.code

        message = self.message

        param: None | str
        param = self.param

        request_id = self.request_id

        decline_code: None | str | Unset
        if isinstance(self.decline_code, Unset):
            decline_code = UNSET
        else:
            decline_code = self.decline_code

        network_decline_code: None | str | Unset
        if isinstance(self.network_decline_code, Unset):
            network_decline_code = UNSET
        else:
            network_decline_code = self.network_decline_code

        attempts_remaining: int | None | Unset
        if isinstance(self.attempts_remaining, Unset):
            attempts_remaining = UNSET
        else:
            attempts_remaining = self.attempts_remaining

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "type": type_,
                "code": code,
                "message": message,
                "param": param,
                "request_id": request_id,
            }
        )
        if decline_code is not UNSET:
            field_dict["decline_code"] = decline_code
        if network_decline_code is not UNSET:
            field_dict["network_decline_code"] = network_decline_code
        if attempts_remaining is not UNSET:
            field_dict["attempts_remaining"] = attempts_remaining

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        type_ = ErrorType(d.pop("type"))

        code = d.pop("code")

        message = d.pop("message")

        def _parse_param(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        param = _parse_param(d.pop("param"))

        request_id = d.pop("request_id")

        def _parse_decline_code(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        decline_code = _parse_decline_code(d.pop("decline_code", UNSET))

        def _parse_network_decline_code(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        network_decline_code = _parse_network_decline_code(
            d.pop("network_decline_code", UNSET)
        )

        def _parse_attempts_remaining(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        attempts_remaining = _parse_attempts_remaining(
            d.pop("attempts_remaining", UNSET)
        )

        error_detail = cls(
            type_=type_,
            code=code,
            message=message,
            param=param,
            request_id=request_id,
            decline_code=decline_code,
            network_decline_code=network_decline_code,
            attempts_remaining=attempts_remaining,
        )

        error_detail.additional_properties = d
        return error_detail

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
