from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.checkout_view import CheckoutView
from ...models.error_response import ErrorResponse
from typing import cast


def _get_kwargs(
    payment_intent_id: str,
    *,
    client_secret: str,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["client_secret"] = client_secret

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/checkout/{payment_intent_id}".format(
            payment_intent_id=quote(str(payment_intent_id), safe=""),
        ),
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> CheckoutView | ErrorResponse | None:
    if response.status_code == 200:
        response_200 = CheckoutView.from_dict(response.json())

        return response_200

    if response.status_code == 400:
        response_400 = ErrorResponse.from_dict(response.json())

        return response_400

    if response.status_code == 403:
        response_403 = ErrorResponse.from_dict(response.json())

        return response_403

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
) -> Response[CheckoutView | ErrorResponse]:
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
    client_secret: str,
) -> Response[CheckoutView | ErrorResponse]:
    """Get a checkout

     The public view of a payment intent for its hosted checkout: amount, merchant, status, and
    how many attempts are left. Authenticated by the intent's client secret alone.

    Args:
        payment_intent_id (str):
        client_secret (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[CheckoutView | ErrorResponse]
    """

    kwargs = _get_kwargs(
        payment_intent_id=payment_intent_id,
        client_secret=client_secret,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    payment_intent_id: str,
    *,
    client: AuthenticatedClient,
    client_secret: str,
) -> CheckoutView | ErrorResponse | None:
    """Get a checkout

     The public view of a payment intent for its hosted checkout: amount, merchant, status, and
    how many attempts are left. Authenticated by the intent's client secret alone.

    Args:
        payment_intent_id (str):
        client_secret (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        CheckoutView | ErrorResponse
    """

    return sync_detailed(
        payment_intent_id=payment_intent_id,
        client=client,
        client_secret=client_secret,
    ).parsed


async def asyncio_detailed(
    payment_intent_id: str,
    *,
    client: AuthenticatedClient,
    client_secret: str,
) -> Response[CheckoutView | ErrorResponse]:
    """Get a checkout

     The public view of a payment intent for its hosted checkout: amount, merchant, status, and
    how many attempts are left. Authenticated by the intent's client secret alone.

    Args:
        payment_intent_id (str):
        client_secret (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[CheckoutView | ErrorResponse]
    """

    kwargs = _get_kwargs(
        payment_intent_id=payment_intent_id,
        client_secret=client_secret,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    payment_intent_id: str,
    *,
    client: AuthenticatedClient,
    client_secret: str,
) -> CheckoutView | ErrorResponse | None:
    """Get a checkout

     The public view of a payment intent for its hosted checkout: amount, merchant, status, and
    how many attempts are left. Authenticated by the intent's client secret alone.

    Args:
        payment_intent_id (str):
        client_secret (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        CheckoutView | ErrorResponse
    """

    return (
        await asyncio_detailed(
            payment_intent_id=payment_intent_id,
            client=client,
            client_secret=client_secret,
        )
    ).parsed
