from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.charge import Charge
from ...models.error_response import ErrorResponse
from ...types import UNSET, Unset
from typing import cast
from uuid import UUID


def _get_kwargs(
    charge_id: str,
    *,
    kassa_merchant: UUID | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(kassa_merchant, Unset):
        headers["Kassa-Merchant"] = kassa_merchant

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/charges/{charge_id}".format(
            charge_id=quote(str(charge_id), safe=""),
        ),
    }

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Charge | ErrorResponse | None:
    if response.status_code == 200:
        response_200 = Charge.from_dict(response.json())

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
) -> Response[Charge | ErrorResponse]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    charge_id: str,
    *,
    client: AuthenticatedClient,
    kassa_merchant: UUID | Unset = UNSET,
) -> Response[Charge | ErrorResponse]:
    """Get a charge

     One of the merchant's charges. Another merchant's is 404.

    Args:
        charge_id (str):
        kassa_merchant (UUID | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Charge | ErrorResponse]
    """

    kwargs = _get_kwargs(
        charge_id=charge_id,
        kassa_merchant=kassa_merchant,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    charge_id: str,
    *,
    client: AuthenticatedClient,
    kassa_merchant: UUID | Unset = UNSET,
) -> Charge | ErrorResponse | None:
    """Get a charge

     One of the merchant's charges. Another merchant's is 404.

    Args:
        charge_id (str):
        kassa_merchant (UUID | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Charge | ErrorResponse
    """

    return sync_detailed(
        charge_id=charge_id,
        client=client,
        kassa_merchant=kassa_merchant,
    ).parsed


async def asyncio_detailed(
    charge_id: str,
    *,
    client: AuthenticatedClient,
    kassa_merchant: UUID | Unset = UNSET,
) -> Response[Charge | ErrorResponse]:
    """Get a charge

     One of the merchant's charges. Another merchant's is 404.

    Args:
        charge_id (str):
        kassa_merchant (UUID | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Charge | ErrorResponse]
    """

    kwargs = _get_kwargs(
        charge_id=charge_id,
        kassa_merchant=kassa_merchant,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    charge_id: str,
    *,
    client: AuthenticatedClient,
    kassa_merchant: UUID | Unset = UNSET,
) -> Charge | ErrorResponse | None:
    """Get a charge

     One of the merchant's charges. Another merchant's is 404.

    Args:
        charge_id (str):
        kassa_merchant (UUID | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Charge | ErrorResponse
    """

    return (
        await asyncio_detailed(
            charge_id=charge_id,
            client=client,
            kassa_merchant=kassa_merchant,
        )
    ).parsed
