from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.confirm_checkout_request import ConfirmCheckoutRequest
from ...models.confirm_checkout_response import ConfirmCheckoutResponse
from ...models.error_response import ErrorResponse
from ...types import UNSET, Unset
from typing import cast


def _get_kwargs(
    payment_intent_id: str,
    *,
    body: ConfirmCheckoutRequest,
    idempotency_key: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(idempotency_key, Unset):
        headers["Idempotency-Key"] = idempotency_key

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/checkout/{payment_intent_id}/confirm".format(
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
    body: ConfirmCheckoutRequest,
    idempotency_key: str | Unset = UNSET,
) -> Response[ConfirmCheckoutResponse | ErrorResponse]:
    """Confirm a checkout

     Pays the intent with a card, or by a bank debit, one of its `payment_method_types`.

    A card approved: `succeeded` (or `authorized` for manual capture) and the URL to send the
    browser to. Declined: `402 card_error` with the issuer's `decline_code`, and the attempt
    counts; the fifth decline fails the intent. A malformed card is a 400 and does not count as
    an attempt. Use the test cards of the API reference.

    A debit (`sepa_debit: {iban}`, `au_becs_debit: {bsb_number, account_number}`) is submitted:
    the intent is `processing` (event `payment_intent.processing`) and the browser goes on to
    `success_url`. After the settlement delay (`KASSA_DEBIT_SETTLEMENT_DELAY`, 3 s by default)
    it settles: `succeeded`, or `failed` with `last_payment_error.code = debit_failed`, each
    with its event. A failed debit fails the intent (nobody is at the checkout by then to try
    again): the merchant starts a new one. Test accounts: IBAN `DE89 3704 0044 0532 0130 00`
    settles, `DE62 3704 0044 0532 0130 01` fails with `insufficient_funds`; BSB `000-000` with
    account `000123456` settles, with `900123456` fails.

    Args:
        payment_intent_id (str):
        idempotency_key (str | Unset):
        body (ConfirmCheckoutRequest): The client secret and exactly one way to pay, of the
            intent's `payment_method_types`.

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
    body: ConfirmCheckoutRequest,
    idempotency_key: str | Unset = UNSET,
) -> ConfirmCheckoutResponse | ErrorResponse | None:
    """Confirm a checkout

     Pays the intent with a card, or by a bank debit, one of its `payment_method_types`.

    A card approved: `succeeded` (or `authorized` for manual capture) and the URL to send the
    browser to. Declined: `402 card_error` with the issuer's `decline_code`, and the attempt
    counts; the fifth decline fails the intent. A malformed card is a 400 and does not count as
    an attempt. Use the test cards of the API reference.

    A debit (`sepa_debit: {iban}`, `au_becs_debit: {bsb_number, account_number}`) is submitted:
    the intent is `processing` (event `payment_intent.processing`) and the browser goes on to
    `success_url`. After the settlement delay (`KASSA_DEBIT_SETTLEMENT_DELAY`, 3 s by default)
    it settles: `succeeded`, or `failed` with `last_payment_error.code = debit_failed`, each
    with its event. A failed debit fails the intent (nobody is at the checkout by then to try
    again): the merchant starts a new one. Test accounts: IBAN `DE89 3704 0044 0532 0130 00`
    settles, `DE62 3704 0044 0532 0130 01` fails with `insufficient_funds`; BSB `000-000` with
    account `000123456` settles, with `900123456` fails.

    Args:
        payment_intent_id (str):
        idempotency_key (str | Unset):
        body (ConfirmCheckoutRequest): The client secret and exactly one way to pay, of the
            intent's `payment_method_types`.

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
    body: ConfirmCheckoutRequest,
    idempotency_key: str | Unset = UNSET,
) -> Response[ConfirmCheckoutResponse | ErrorResponse]:
    """Confirm a checkout

     Pays the intent with a card, or by a bank debit, one of its `payment_method_types`.

    A card approved: `succeeded` (or `authorized` for manual capture) and the URL to send the
    browser to. Declined: `402 card_error` with the issuer's `decline_code`, and the attempt
    counts; the fifth decline fails the intent. A malformed card is a 400 and does not count as
    an attempt. Use the test cards of the API reference.

    A debit (`sepa_debit: {iban}`, `au_becs_debit: {bsb_number, account_number}`) is submitted:
    the intent is `processing` (event `payment_intent.processing`) and the browser goes on to
    `success_url`. After the settlement delay (`KASSA_DEBIT_SETTLEMENT_DELAY`, 3 s by default)
    it settles: `succeeded`, or `failed` with `last_payment_error.code = debit_failed`, each
    with its event. A failed debit fails the intent (nobody is at the checkout by then to try
    again): the merchant starts a new one. Test accounts: IBAN `DE89 3704 0044 0532 0130 00`
    settles, `DE62 3704 0044 0532 0130 01` fails with `insufficient_funds`; BSB `000-000` with
    account `000123456` settles, with `900123456` fails.

    Args:
        payment_intent_id (str):
        idempotency_key (str | Unset):
        body (ConfirmCheckoutRequest): The client secret and exactly one way to pay, of the
            intent's `payment_method_types`.

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
    body: ConfirmCheckoutRequest,
    idempotency_key: str | Unset = UNSET,
) -> ConfirmCheckoutResponse | ErrorResponse | None:
    """Confirm a checkout

     Pays the intent with a card, or by a bank debit, one of its `payment_method_types`.

    A card approved: `succeeded` (or `authorized` for manual capture) and the URL to send the
    browser to. Declined: `402 card_error` with the issuer's `decline_code`, and the attempt
    counts; the fifth decline fails the intent. A malformed card is a 400 and does not count as
    an attempt. Use the test cards of the API reference.

    A debit (`sepa_debit: {iban}`, `au_becs_debit: {bsb_number, account_number}`) is submitted:
    the intent is `processing` (event `payment_intent.processing`) and the browser goes on to
    `success_url`. After the settlement delay (`KASSA_DEBIT_SETTLEMENT_DELAY`, 3 s by default)
    it settles: `succeeded`, or `failed` with `last_payment_error.code = debit_failed`, each
    with its event. A failed debit fails the intent (nobody is at the checkout by then to try
    again): the merchant starts a new one. Test accounts: IBAN `DE89 3704 0044 0532 0130 00`
    settles, `DE62 3704 0044 0532 0130 01` fails with `insufficient_funds`; BSB `000-000` with
    account `000123456` settles, with `900123456` fails.

    Args:
        payment_intent_id (str):
        idempotency_key (str | Unset):
        body (ConfirmCheckoutRequest): The client secret and exactly one way to pay, of the
            intent's `payment_method_types`.

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
