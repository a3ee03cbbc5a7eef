from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.error_response import ErrorResponse
from ...models.list_request_logs_method import ListRequestLogsMethod
from ...models.request_log_list import RequestLogList
from ...types import UNSET, Unset
from typing import cast
from uuid import UUID
import datetime


def _get_kwargs(
    *,
    status: int | Unset = UNSET,
    method: ListRequestLogsMethod | Unset = UNSET,
    path: str | Unset = UNSET,
    created_gte: datetime.datetime | Unset = UNSET,
    created_lt: datetime.datetime | Unset = UNSET,
    limit: int | Unset = 10,
    starting_after: str | Unset = UNSET,
    kassa_merchant: UUID | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(kassa_merchant, Unset):
        headers["Kassa-Merchant"] = kassa_merchant

    params: dict[str, Any] = {}

    params["status"] = status

    json_method: str | Unset = UNSET
    if not isinstance(method, Unset):
        json_method = method.value

    params["method"] = json_method

    params["path"] = path

    json_created_gte: str | Unset = UNSET
    if not isinstance(created_gte, Unset):
        json_created_gte = created_gte.isoformat()
    params["created_gte"] = json_created_gte

    json_created_lt: str | Unset = UNSET
    if not isinstance(created_lt, Unset):
        json_created_lt = created_lt.isoformat()
    params["created_lt"] = json_created_lt

    params["limit"] = limit

    params["starting_after"] = starting_after

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/request-logs",
        "params": params,
    }

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorResponse | RequestLogList | None:
    if response.status_code == 200:
        response_200 = RequestLogList.from_dict(response.json())

        return response_200

    if response.status_code == 400:
        response_400 = ErrorResponse.from_dict(response.json())

        return response_400

    if response.status_code == 401:
        response_401 = ErrorResponse.from_dict(response.json())

        return response_401

    if response.status_code == 404:
        response_404 = ErrorResponse.from_dict(response.json())

        return response_404

    if response.status_code == 500:
        response_500 = ErrorResponse.from_dict(response.json())

        return response_500

    if 400 <= response.status_code <= 499:
        response_4xx = ErrorResponse.from_dict(response.json())

        return response_4xx

    if 500 <= response.status_code <= 599:
        response_5xx = ErrorResponse.from_dict(response.json())

        return response_5xx

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[ErrorResponse | RequestLogList]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    status: int | Unset = UNSET,
    method: ListRequestLogsMethod | Unset = UNSET,
    path: str | Unset = UNSET,
    created_gte: datetime.datetime | Unset = UNSET,
    created_lt: datetime.datetime | Unset = UNSET,
    limit: int | Unset = 10,
    starting_after: str | Unset = UNSET,
    kassa_merchant: UUID | Unset = UNSET,
) -> Response[ErrorResponse | RequestLogList]:
    """List request logs

     The API requests made with the merchant's secret keys in the last 7 days, newest first,
    with their redacted bodies. Entries are written just after their answer, so the newest may
    take a moment to appear.

    Args:
        status (int | Unset):
        method (ListRequestLogsMethod | Unset): The methods the API answers, as HTTP spells them
            (methods are case-sensitive).
        path (str | Unset):
        created_gte (datetime.datetime | Unset):
        created_lt (datetime.datetime | Unset):
        limit (int | Unset):  Default: 10.
        starting_after (str | Unset):
        kassa_merchant (UUID | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | RequestLogList]
    """

    kwargs = _get_kwargs(
        status=status,
        method=method,
        path=path,
        created_gte=created_gte,
        created_lt=created_lt,
        limit=limit,
        starting_after=starting_after,
        kassa_merchant=kassa_merchant,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    status: int | Unset = UNSET,
    method: ListRequestLogsMethod | Unset = UNSET,
    path: str | Unset = UNSET,
    created_gte: datetime.datetime | Unset = UNSET,
    created_lt: datetime.datetime | Unset = UNSET,
    limit: int | Unset = 10,
    starting_after: str | Unset = UNSET,
    kassa_merchant: UUID | Unset = UNSET,
) -> ErrorResponse | RequestLogList | None:
    """List request logs

     The API requests made with the merchant's secret keys in the last 7 days, newest first,
    with their redacted bodies. Entries are written just after their answer, so the newest may
    take a moment to appear.

    Args:
        status (int | Unset):
        method (ListRequestLogsMethod | Unset): The methods the API answers, as HTTP spells them
            (methods are case-sensitive).
        path (str | Unset):
        created_gte (datetime.datetime | Unset):
        created_lt (datetime.datetime | Unset):
        limit (int | Unset):  Default: 10.
        starting_after (str | Unset):
        kassa_merchant (UUID | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResponse | RequestLogList
    """

    return sync_detailed(
        client=client,
        status=status,
        method=method,
        path=path,
        created_gte=created_gte,
        created_lt=created_lt,
        limit=limit,
        starting_after=starting_after,
        kassa_merchant=kassa_merchant,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    status: int | Unset = UNSET,
    method: ListRequestLogsMethod | Unset = UNSET,
    path: str | Unset = UNSET,
    created_gte: datetime.datetime | Unset = UNSET,
    created_lt: datetime.datetime | Unset = UNSET,
    limit: int | Unset = 10,
    starting_after: str | Unset = UNSET,
    kassa_merchant: UUID | Unset = UNSET,
) -> Response[ErrorResponse | RequestLogList]:
    """List request logs

     The API requests made with the merchant's secret keys in the last 7 days, newest first,
    with their redacted bodies. Entries are written just after their answer, so the newest may
    take a moment to appear.

    Args:
        status (int | Unset):
        method (ListRequestLogsMethod | Unset): The methods the API answers, as HTTP spells them
            (methods are case-sensitive).
        path (str | Unset):
        created_gte (datetime.datetime | Unset):
        created_lt (datetime.datetime | Unset):
        limit (int | Unset):  Default: 10.
        starting_after (str | Unset):
        kassa_merchant (UUID | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | RequestLogList]
    """

    kwargs = _get_kwargs(
        status=status,
        method=method,
        path=path,
        created_gte=created_gte,
        created_lt=created_lt,
        limit=limit,
        starting_after=starting_after,
        kassa_merchant=kassa_merchant,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    status: int | Unset = UNSET,
    method: ListRequestLogsMethod | Unset = UNSET,
    path: str | Unset = UNSET,
    created_gte: datetime.datetime | Unset = UNSET,
    created_lt: datetime.datetime | Unset = UNSET,
    limit: int | Unset = 10,
    starting_after: str | Unset = UNSET,
    kassa_merchant: UUID | Unset = UNSET,
) -> ErrorResponse | RequestLogList | None:
    """List request logs

     The API requests made with the merchant's secret keys in the last 7 days, newest first,
    with their redacted bodies. Entries are written just after their answer, so the newest may
    take a moment to appear.

    Args:
        status (int | Unset):
        method (ListRequestLogsMethod | Unset): The methods the API answers, as HTTP spells them
            (methods are case-sensitive).
        path (str | Unset):
        created_gte (datetime.datetime | Unset):
        created_lt (datetime.datetime | Unset):
        limit (int | Unset):  Default: 10.
        starting_after (str | Unset):
        kassa_merchant (UUID | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResponse | RequestLogList
    """

    return (
        await asyncio_detailed(
            client=client,
            status=status,
            method=method,
            path=path,
            created_gte=created_gte,
            created_lt=created_lt,
            limit=limit,
            starting_after=starting_after,
            kassa_merchant=kassa_merchant,
        )
    ).parsed
