from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.authenticate_checkout_request import AuthenticateCheckoutRequest
from ...models.confirm_checkout_response import ConfirmCheckoutResponse
from ...models.error_response import ErrorResponse
from ...types import UNSET, Unset
from typing import cast


def _get_kwargs(
    payment_intent_id: str,
    *,
    body: AuthenticateCheckoutRequest,
    idempotency_key: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(idempotency_key, Unset):
        headers["Idempotency-Key"] = idempotency_key

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/checkout/{payment_intent_id}/authenticate".format(
            payment_intent_id=quote(str(payment_intent_id), safe=""),
        ),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ConfirmCheckoutResponse | ErrorResponse | None:
    if response.status_code == 200:
        response_200 = ConfirmCheckoutResponse.from_dict(response.json())

        return response_200

    if response.status_code == 400:
        response_400 = ErrorResponse.from_dict(response.json())

        return response_400

    if response.status_code == 402:
        response_402 = ErrorResponse.from_dict(response.json())

        return response_402

    if response.status_code == 403:
        response_403 = ErrorResponse.from_dict(response.json())

        return response_403

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
) -> Response[ConfirmCheckoutResponse | ErrorResponse]:
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
    body: AuthenticateCheckoutRequest,
    idempotency_key: str | Unset = UNSET,
) -> Response[ConfirmCheckoutResponse | ErrorResponse]:
    """Authenticate a checkout

     What Kassa's test authentication page sends when the customer presses Complete or Fail
    (3-D Secure, simulated as in Stripe's test mode). Complete goes on as the issuer answers:
    `4000 0027 6000 3184` is approved (`succeeded`, or `authorized` for manual capture), `4000
    0082 6000 3178` is declined with `insufficient_funds`. Fail returns the intent to
    `requires_payment_method` with `last_payment_error.code =
    payment_intent_authentication_failure`, and counts as an attempt. Either way the attempt
    becomes a charge. (As with any decline, the fifth failed attempt fails the intent.)

    Args:
        payment_intent_id (str):
        idempotency_key (str | Unset):
        body (AuthenticateCheckoutRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ConfirmCheckoutResponse | ErrorResponse]
    """

    kwargs = _get_kwargs(
        payment_intent_id=payment_intent_id,
        body=body,
        idempotency_key=idempotency_key,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    payment_intent_id: str,
    *,
    client: AuthenticatedClient,
    body: AuthenticateCheckoutRequest,
    idempotency_key: str | Unset = UNSET,
) -> ConfirmCheckoutResponse | ErrorResponse | None:
    """Authenticate a checkout

     What Kassa's test authentication page sends when the customer presses Complete or Fail
    (3-D Secure, simulated as in Stripe's test mode). Complete goes on as the issuer answers:
    `4000 0027 6000 3184` is approved (`succeeded`, or `authorized` for manual capture), `4000
    0082 6000 3178` is declined with `insufficient_funds`. Fail returns the intent to
    `requires_payment_method` with `last_payment_error.code =
    payment_intent_authentication_failure`, and counts as an attempt. Either way the attempt
    becomes a charge. (As with any decline, the fifth failed attempt fails the intent.)

    Args:
        payment_intent_id (str):
        idempotency_key (str | Unset):
        body (AuthenticateCheckoutRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ConfirmCheckoutResponse | ErrorResponse
    """

    return sync_detailed(
        payment_intent_id=payment_intent_id,
        client=client,
        body=body,
        idempotency_key=idempotency_key,
    ).parsed


async def asyncio_detailed(
    payment_intent_id: str,
    *,
    client: AuthenticatedClient,
    body: AuthenticateCheckoutRequest,
    idempotency_key: str | Unset = UNSET,
) -> Response[ConfirmCheckoutResponse | ErrorResponse]:
    """Authenticate a checkout

     What Kassa's test authentication page sends when the customer presses Complete or Fail
    (3-D Secure, simulated as in Stripe's test mode). Complete goes on as the issuer answers:
    `4000 0027 6000 3184` is approved (`succeeded`, or `authorized` for manual capture), `4000
    0082 6000 3178` is declined with `insufficient_funds`. Fail returns the intent to
    `requires_payment_method` with `last_payment_error.code =
    payment_intent_authentication_failure`, and counts as an attempt. Either way the attempt
    becomes a charge. (As with any decline, the fifth failed attempt fails the intent.)

    Args:
        payment_intent_id (str):
        idempotency_key (str | Unset):
        body (AuthenticateCheckoutRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ConfirmCheckoutResponse | ErrorResponse]
    """

    kwargs = _get_kwargs(
        payment_intent_id=payment_intent_id,
        body=body,
        idempotency_key=idempotency_key,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    payment_intent_id: str,
    *,
    client: AuthenticatedClient,
    body: AuthenticateCheckoutRequest,
    idempotency_key: str | Unset = UNSET,
) -> ConfirmCheckoutResponse | ErrorResponse | None:
    """Authenticate a checkout

     What Kassa's test authentication page sends when the customer presses Complete or Fail
    (3-D Secure, simulated as in Stripe's test mode). Complete goes on as the issuer answers:
    `4000 0027 6000 3184` is approved (`succeeded`, or `authorized` for manual capture), `4000
    0082 6000 3178` is declined with `insufficient_funds`. Fail returns the intent to
    `requires_payment_method` with `last_payment_error.code =
    payment_intent_authentication_failure`, and counts as an attempt. Either way the attempt
    becomes a charge. (As with any decline, the fifth failed attempt fails the intent.)

    Args:
        payment_intent_id (str):
        idempotency_key (str | Unset):
        body (AuthenticateCheckoutRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ConfirmCheckoutResponse | ErrorResponse
    """

    return (
        await asyncio_detailed(
            payment_intent_id=payment_intent_id,
            client=client,
            body=body,
            idempotency_key=idempotency_key,
        )
    ).parsed
