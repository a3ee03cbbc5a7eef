from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.delivery_attempt_list import DeliveryAttemptList
from ...models.error_response import ErrorResponse
from ...types import UNSET, Unset
from typing import cast
from uuid import UUID


def _get_kwargs(
    event_id: str,
    *,
    limit: int | Unset = 10,
    starting_after: str | Unset = UNSET,
    kassa_merchant: UUID | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(kassa_merchant, Unset):
        headers["Kassa-Merchant"] = kassa_merchant

    params: dict[str, Any] = {}

    params["limit"] = limit

    params["starting_after"] = starting_after

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/events/{event_id}/deliveries".format(
            event_id=quote(str(event_id), safe=""),
        ),
        "params": params,
    }

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> DeliveryAttemptList | ErrorResponse | None:
    if response.status_code == 200:
        response_200 = DeliveryAttemptList.from_dict(response.json())

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
) -> Response[DeliveryAttemptList | ErrorResponse]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    event_id: str,
    *,
    client: AuthenticatedClient,
    limit: int | Unset = 10,
    starting_after: str | Unset = UNSET,
    kassa_merchant: UUID | Unset = UNSET,
) -> Response[DeliveryAttemptList | ErrorResponse]:
    """List an event's delivery attempts

     Every attempt to deliver the event to the merchant's webhook endpoint, newest first: its
    number, what made it, the URL, the receiver's status or why there was none, how long it
    took, the first 2 KB of the answer, and when the next attempt is due.

    Args:
        event_id (str):
        limit (int | Unset):  Default: 10.
        starting_after (str | Unset):
        kassa_merchant (UUID | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[DeliveryAttemptList | ErrorResponse]
    """

    kwargs = _get_kwargs(
        event_id=event_id,
        limit=limit,
        starting_after=starting_after,
        kassa_merchant=kassa_merchant,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    event_id: str,
    *,
    client: AuthenticatedClient,
    limit: int | Unset = 10,
    starting_after: str | Unset = UNSET,
    kassa_merchant: UUID | Unset = UNSET,
) -> DeliveryAttemptList | ErrorResponse | None:
    """List an event's delivery attempts

     Every attempt to deliver the event to the merchant's webhook endpoint, newest first: its
    number, what made it, the URL, the receiver's status or why there was none, how long it
    took, the first 2 KB of the answer, and when the next attempt is due.

    Args:
        event_id (str):
        limit (int | Unset):  Default: 10.
        starting_after (str | Unset):
        kassa_merchant (UUID | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        DeliveryAttemptList | ErrorResponse
    """

    return sync_detailed(
        event_id=event_id,
        client=client,
        limit=limit,
        starting_after=starting_after,
        kassa_merchant=kassa_merchant,
    ).parsed


async def asyncio_detailed(
    event_id: str,
    *,
    client: AuthenticatedClient,
    limit: int | Unset = 10,
    starting_after: str | Unset = UNSET,
    kassa_merchant: UUID | Unset = UNSET,
) -> Response[DeliveryAttemptList | ErrorResponse]:
    """List an event's delivery attempts

     Every attempt to deliver the event to the merchant's webhook endpoint, newest first: its
    number, what made it, the URL, the receiver's status or why there was none, how long it
    took, the first 2 KB of the answer, and when the next attempt is due.

    Args:
        event_id (str):
        limit (int | Unset):  Default: 10.
        starting_after (str | Unset):
        kassa_merchant (UUID | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[DeliveryAttemptList | ErrorResponse]
    """

    kwargs = _get_kwargs(
        event_id=event_id,
        limit=limit,
        starting_after=starting_after,
        kassa_merchant=kassa_merchant,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    event_id: str,
    *,
    client: AuthenticatedClient,
    limit: int | Unset = 10,
    starting_after: str | Unset = UNSET,
    kassa_merchant: UUID | Unset = UNSET,
) -> DeliveryAttemptList | ErrorResponse | None:
    """List an event's delivery attempts

     Every attempt to deliver the event to the merchant's webhook endpoint, newest first: its
    number, what made it, the URL, the receiver's status or why there was none, how long it
    took, the first 2 KB of the answer, and when the next attempt is due.

    Args:
        event_id (str):
        limit (int | Unset):  Default: 10.
        starting_after (str | Unset):
        kassa_merchant (UUID | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        DeliveryAttemptList | ErrorResponse
    """

    return (
        await asyncio_detailed(
            event_id=event_id,
            client=client,
            limit=limit,
            starting_after=starting_after,
            kassa_merchant=kassa_merchant,
        )
    ).parsed
