from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.error_response import ErrorResponse
from ...models.payments_report import PaymentsReport
from ...types import UNSET, Unset
from typing import cast
from uuid import UUID
import datetime


def _get_kwargs(
    *,
    from_: datetime.date | Unset = UNSET,
    to: datetime.date | Unset = UNSET,
    kassa_merchant: UUID | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(kassa_merchant, Unset):
        headers["Kassa-Merchant"] = kassa_merchant

    params: dict[str, Any] = {}

    json_from_: str | Unset = UNSET
    if not isinstance(from_, Unset):
        json_from_ = from_.isoformat()
    params["from"] = json_from_

    json_to: str | Unset = UNSET
    if not isinstance(to, Unset):
        json_to = to.isoformat()
    params["to"] = json_to

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/reports/payments",
        "params": params,
    }

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorResponse | PaymentsReport | None:
    if response.status_code == 200:
        response_200 = PaymentsReport.from_dict(response.json())

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
) -> Response[ErrorResponse | PaymentsReport]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    from_: datetime.date | Unset = UNSET,
    to: datetime.date | Unset = UNSET,
    kassa_merchant: UUID | Unset = UNSET,
) -> Response[ErrorResponse | PaymentsReport]:
    """Payments report

     Per UTC day and currency: the volume captured, refunds, net volume, and the counts of
    succeeded intents and declined attempts. A payment counts on the day it succeeded (was
    captured), a refund on the day it was made, a decline on the day it happened.

    Args:
        from_ (datetime.date | Unset):
        to (datetime.date | Unset):
        kassa_merchant (UUID | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | PaymentsReport]
    """

    kwargs = _get_kwargs(
        from_=from_,
        to=to,
        kassa_merchant=kassa_merchant,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    from_: datetime.date | Unset = UNSET,
    to: datetime.date | Unset = UNSET,
    kassa_merchant: UUID | Unset = UNSET,
) -> ErrorResponse | PaymentsReport | None:
    """Payments report

     Per UTC day and currency: the volume captured, refunds, net volume, and the counts of
    succeeded intents and declined attempts. A payment counts on the day it succeeded (was
    captured), a refund on the day it was made, a decline on the day it happened.

    Args:
        from_ (datetime.date | Unset):
        to (datetime.date | Unset):
        kassa_merchant (UUID | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResponse | PaymentsReport
    """

    return sync_detailed(
        client=client,
        from_=from_,
        to=to,
        kassa_merchant=kassa_merchant,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    from_: datetime.date | Unset = UNSET,
    to: datetime.date | Unset = UNSET,
    kassa_merchant: UUID | Unset = UNSET,
) -> Response[ErrorResponse | PaymentsReport]:
    """Payments report

     Per UTC day and currency: the volume captured, refunds, net volume, and the counts of
    succeeded intents and declined attempts. A payment counts on the day it succeeded (was
    captured), a refund on the day it was made, a decline on the day it happened.

    Args:
        from_ (datetime.date | Unset):
        to (datetime.date | Unset):
        kassa_merchant (UUID | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | PaymentsReport]
    """

    kwargs = _get_kwargs(
        from_=from_,
        to=to,
        kassa_merchant=kassa_merchant,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    from_: datetime.date | Unset = UNSET,
    to: datetime.date | Unset = UNSET,
    kassa_merchant: UUID | Unset = UNSET,
) -> ErrorResponse | PaymentsReport | None:
    """Payments report

     Per UTC day and currency: the volume captured, refunds, net volume, and the counts of
    succeeded intents and declined attempts. A payment counts on the day it succeeded (was
    captured), a refund on the day it was made, a decline on the day it happened.

    Args:
        from_ (datetime.date | Unset):
        to (datetime.date | Unset):
        kassa_merchant (UUID | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResponse | PaymentsReport
    """

    return (
        await asyncio_detailed(
            client=client,
            from_=from_,
            to=to,
            kassa_merchant=kassa_merchant,
        )
    ).parsed
