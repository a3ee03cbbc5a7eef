from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast
import datetime


T = TypeVar("T", bound="RequestLog")


@_attrs_define
class RequestLog:
    """One API request made with the merchant's secret key. Its bodies are as the request and the
    answer were, except that card numbers read as brand and last four digits, IBANs as country
    and last four, BECS account numbers as last four, the CVC is gone,
    and every secret (API keys, client secrets, passwords, tokens, webhook secrets) is
    `[redacted]`; each body keeps at most 32 KB.

        Attributes:
            id (str): The request's id, as its `Request-Id` said. Example: req_4Xo3yOJaFQwqnqEcbmV5BMb2.
            object_ (str): Always `request_log`. Example: request_log.
            method (str):  Example: POST.
            path (str): Without the query string. Example: /v1/payment-intents.
            status (int):  Example: 201.
            idempotency_key (None | str):
            duration_ms (int):  Example: 12.
            request_body (str):
            response_body (str):
            created_at (datetime.datetime):
    """

    id: str
    object_: str
    method: str
    path: str
    status: int
    idempotency_key: None | str
    duration_ms: int
    request_body: str
    response_body: str
    created_at: datetime.datetime
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        object_ = self.object_

        method = self.method

        path = self.path

        status = self.status

        idempotency_key: None | str
        idempotency_key = self.idempotency_key

        duration_ms = self.duration_ms

        request_body = self.request_body

        response_body = self.response_body

        created_at = self.created_at.isoformat()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "object": object_,
                "method": method,
                "path": path,
                "status": status,
                "idempotency_key": idempotency_key,
                "duration_ms": duration_ms,
                "request_body": request_body,
                "response_body": response_body,
                "created_at": created_at,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = d.pop("id")

        object_ = d.pop("object")

        method = d.pop("method")

        path = d.pop("path")

        status = d.pop("status")

        def _parse_idempotency_key(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        idempotency_key = _parse_idempotency_key(d.pop("idempotency_key"))

        duration_ms = d.pop("duration_ms")

        request_body = d.pop("request_body")

        response_body = d.pop("response_body")

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        request_log = cls(
            id=id,
            object_=object_,
            method=method,
            path=path,
            status=status,
            idempotency_key=idempotency_key,
            duration_ms=duration_ms,
            request_body=request_body,
            response_body=response_body,
            created_at=created_at,
        )

        request_log.additional_properties = d
        return request_log

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
