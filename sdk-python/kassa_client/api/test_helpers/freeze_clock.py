from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.error_response import ErrorResponse
from ...models.freeze_clock_request import FreezeClockRequest
from ...models.test_clock import TestClock
from ...types import UNSET, Unset
from typing import cast


def _get_kwargs(
    *,
    body: FreezeClockRequest,
    idempotency_key: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(idempotency_key, Unset):
        headers["Idempotency-Key"] = idempotency_key

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/test-helpers/clock/freeze",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorResponse | TestClock | None:
    if response.status_code == 200:
        response_200 = TestClock.from_dict(response.json())

        return response_200

    if response.status_code == 400:
        response_400 = ErrorResponse.from_dict(response.json())

        return response_400

    if response.status_code == 401:
        response_401 = ErrorResponse.from_dict(response.json())

        return response_401

    if response.status_code == 409:
        response_409 = ErrorResponse.from_dict(response.json())

        return response_409

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
) -> Response[ErrorResponse | TestClock]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    body: FreezeClockRequest,
    idempotency_key: str | Unset = UNSET,
) -> Response[ErrorResponse | TestClock]:
    """Freeze the test clock

     Stops the merchant's clock now, or at `at` (not earlier than its now, within ten years).
    Stopping at a later `at` runs what falls due on the way, as an advance does. Time then
    stands still for the merchant's payments until an advance or a resume.

    Args:
        idempotency_key (str | Unset):
        body (FreezeClockRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | TestClock]
    """

    kwargs = _get_kwargs(
        body=body,
        idempotency_key=idempotency_key,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    body: FreezeClockRequest,
    idempotency_key: str | Unset = UNSET,
) -> ErrorResponse | TestClock | None:
    """Freeze the test clock

     Stops the merchant's clock now, or at `at` (not earlier than its now, within ten years).
    Stopping at a later `at` runs what falls due on the way, as an advance does. Time then
    stands still for the merchant's payments until an advance or a resume.

    Args:
        idempotency_key (str | Unset):
        body (FreezeClockRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResponse | TestClock
    """

    return sync_detailed(
        client=client,
        body=body,
        idempotency_key=idempotency_key,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: FreezeClockRequest,
    idempotency_key: str | Unset = UNSET,
) -> Response[ErrorResponse | TestClock]:
    """Freeze the test clock

     Stops the merchant's clock now, or at `at` (not earlier than its now, within ten years).
    Stopping at a later `at` runs what falls due on the way, as an advance does. Time then
    stands still for the merchant's payments until an advance or a resume.

    Args:
        idempotency_key (str | Unset):
        body (FreezeClockRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | TestClock]
    """

    kwargs = _get_kwargs(
        body=body,
        idempotency_key=idempotency_key,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    body: FreezeClockRequest,
    idempotency_key: str | Unset = UNSET,
) -> ErrorResponse | TestClock | None:
    """Freeze the test clock

     Stops the merchant's clock now, or at `at` (not earlier than its now, within ten years).
    Stopping at a later `at` runs what falls due on the way, as an advance does. Time then
    stands still for the merchant's payments until an advance or a resume.

    Args:
        idempotency_key (str | Unset):
        body (FreezeClockRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResponse | TestClock
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
            idempotency_key=idempotency_key,
        )
    ).parsed
