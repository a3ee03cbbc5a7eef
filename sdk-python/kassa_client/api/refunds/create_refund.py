from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.create_refund_request import CreateRefundRequest
from ...models.error_response import ErrorResponse
from ...models.refund import Refund
from ...types import UNSET, Unset
from typing import cast
from uuid import UUID


def _get_kwargs(
    payment_intent_id: str,
    *,
    body: CreateRefundRequest,
    idempotency_key: str | Unset = UNSET,
    kassa_merchant: UUID | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(idempotency_key, Unset):
        headers["Idempotency-Key"] = idempotency_key

    if not isinstance(kassa_merchant, Unset):
        headers["Kassa-Merchant"] = kassa_merchant

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/payment-intents/{payment_intent_id}/refunds".format(
            payment_intent_id=quote(str(payment_intent_id), safe=""),
        ),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorResponse | Refund | None:
    if response.status_code == 201:
        response_201 = Refund.from_dict(response.json())

        return response_201

    if response.status_code == 400:
        response_400 = ErrorResponse.from_dict(response.json())

        return response_400

    if response.status_code == 401:
        response_401 = ErrorResponse.from_dict(response.json())

        return response_401

    if response.status_code == 403:
        response_403 = ErrorResponse.from_dict(response.json())

        return response_403

    if response.status_code == 404:
        response_404 = ErrorResponse.from_dict(response.json())

        return response_404

    if response.status_code == 409:
        response_409 = ErrorResponse.from_dict(response.json())

        return response_409

    if response.status_code == 422:
        response_422 = ErrorResponse.from_dict(response.json())

        return response_422

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
) -> Response[ErrorResponse | Refund]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    payment_intent_id: str,
    *,
    client: AuthenticatedClient,
    body: CreateRefundRequest,
    idempotency_key: str | Unset = UNSET,
    kassa_merchant: UUID | Unset = UNSET,
) -> Response[ErrorResponse | Refund]:
    """Refund a payment intent

     Returns money from a `succeeded` intent, all that remains or part of it. Partial refunds
    add up, but never beyond `amount_received`. The intent's status stays `succeeded`; its
    `amount_refunded` grows. Appends `refund.created`.

    Args:
        payment_intent_id (str):
        idempotency_key (str | Unset):
        kassa_merchant (UUID | Unset):
        body (CreateRefundRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | Refund]
    """

    kwargs = _get_kwargs(
        payment_intent_id=payment_intent_id,
        body=body,
        idempotency_key=idempotency_key,
        kassa_merchant=kassa_merchant,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    payment_intent_id: str,
    *,
    client: AuthenticatedClient,
    body: CreateRefundRequest,
    idempotency_key: str | Unset = UNSET,
    kassa_merchant: UUID | Unset = UNSET,
) -> ErrorResponse | Refund | None:
    """Refund a payment intent

     Returns money from a `succeeded` intent, all that remains or part of it. Partial refunds
    add up, but never beyond `amount_received`. The intent's status stays `succeeded`; its
    `amount_refunded` grows. Appends `refund.created`.

    Args:
        payment_intent_id (str):
        idempotency_key (str | Unset):
        kassa_merchant (UUID | Unset):
        body (CreateRefundRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResponse | Refund
    """

    return sync_detailed(
        payment_intent_id=payment_intent_id,
        client=client,
        body=body,
        idempotency_key=idempotency_key,
        kassa_merchant=kassa_merchant,
    ).parsed


async def asyncio_detailed(
    payment_intent_id: str,
    *,
    client: AuthenticatedClient,
    body: CreateRefundRequest,
    idempotency_key: str | Unset = UNSET,
    kassa_merchant: UUID | Unset = UNSET,
) -> Response[ErrorResponse | Refund]:
    """Refund a payment intent

     Returns money from a `succeeded` intent, all that remains or part of it. Partial refunds
    add up, but never beyond `amount_received`. The intent's status stays `succeeded`; its
    `amount_refunded` grows. Appends `refund.created`.

    Args:
        payment_intent_id (str):
        idempotency_key (str | Unset):
        kassa_merchant (UUID | Unset):
        body (CreateRefundRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | Refund]
    """

    kwargs = _get_kwargs(
        payment_intent_id=payment_intent_id,
        body=body,
        idempotency_key=idempotency_key,
        kassa_merchant=kassa_merchant,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    payment_intent_id: str,
    *,
    client: AuthenticatedClient,
    body: CreateRefundRequest,
    idempotency_key: str | Unset = UNSET,
    kassa_merchant: UUID | Unset = UNSET,
) -> ErrorResponse | Refund | None:
    """Refund a payment intent

     Returns money from a `succeeded` intent, all that remains or part of it. Partial refunds
    add up, but never beyond `amount_received`. The intent's status stays `succeeded`; its
    `amount_refunded` grows. Appends `refund.created`.

    Args:
        payment_intent_id (str):
        idempotency_key (str | Unset):
        kassa_merchant (UUID | Unset):
        body (CreateRefundRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResponse | Refund
    """

    return (
        await asyncio_detailed(
            payment_intent_id=payment_intent_id,
            client=client,
            body=body,
            idempotency_key=idempotency_key,
            kassa_merchant=kassa_merchant,
        )
    ).parsed
