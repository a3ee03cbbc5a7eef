from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.error_response import ErrorResponse
from ...models.listen_batch import ListenBatch
from ...types import UNSET, Unset
from typing import cast


def _get_kwargs(
    *,
    wait: int | Unset = 25,
    types: str | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["wait"] = wait

    params["types"] = types

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/listen/events",
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorResponse | ListenBatch | None:
    if response.status_code == 200:
        response_200 = ListenBatch.from_dict(response.json())

        return response_200

    if response.status_code == 400:
        response_400 = ErrorResponse.from_dict(response.json())

        return response_400

    if response.status_code == 401:
        response_401 = ErrorResponse.from_dict(response.json())

        return response_401

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
) -> Response[ErrorResponse | ListenBatch]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    wait: int | Unset = 25,
    types: str | Unset = UNSET,
) -> Response[ErrorResponse | ListenBatch]:
    """Wait for events

     The merchant's events after this key's cursor, oldest first, each signed now with the
    listener's secret; waits up to `wait` seconds for the first one. Events a redelivery asked
    for come first. The cursor moves only when an attempt is recorded, so events handed over but
    never answered come again.

    Args:
        wait (int | Unset):  Default: 25.
        types (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | ListenBatch]
    """

    kwargs = _get_kwargs(
        wait=wait,
        types=types,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    wait: int | Unset = 25,
    types: str | Unset = UNSET,
) -> ErrorResponse | ListenBatch | None:
    """Wait for events

     The merchant's events after this key's cursor, oldest first, each signed now with the
    listener's secret; waits up to `wait` seconds for the first one. Events a redelivery asked
    for come first. The cursor moves only when an attempt is recorded, so events handed over but
    never answered come again.

    Args:
        wait (int | Unset):  Default: 25.
        types (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResponse | ListenBatch
    """

    return sync_detailed(
        client=client,
        wait=wait,
        types=types,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    wait: int | Unset = 25,
    types: str | Unset = UNSET,
) -> Response[ErrorResponse | ListenBatch]:
    """Wait for events

     The merchant's events after this key's cursor, oldest first, each signed now with the
    listener's secret; waits up to `wait` seconds for the first one. Events a redelivery asked
    for come first. The cursor moves only when an attempt is recorded, so events handed over but
    never answered come again.

    Args:
        wait (int | Unset):  Default: 25.
        types (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | ListenBatch]
    """

    kwargs = _get_kwargs(
        wait=wait,
        types=types,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    wait: int | Unset = 25,
    types: str | Unset = UNSET,
) -> ErrorResponse | ListenBatch | None:
    """Wait for events

     The merchant's events after this key's cursor, oldest first, each signed now with the
    listener's secret; waits up to `wait` seconds for the first one. Events a redelivery asked
    for come first. The cursor moves only when an attempt is recorded, so events handed over but
    never answered come again.

    Args:
        wait (int | Unset):  Default: 25.
        types (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResponse | ListenBatch
    """

    return (
        await asyncio_detailed(
            client=client,
            wait=wait,
            types=types,
        )
    ).parsed
