from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.add_member_request import AddMemberRequest
from ...models.error_response import ErrorResponse
from ...models.team_member import TeamMember
from ...types import UNSET, Unset
from typing import cast
from uuid import UUID


def _get_kwargs(
    merchant_id: UUID,
    *,
    body: AddMemberRequest,
    idempotency_key: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(idempotency_key, Unset):
        headers["Idempotency-Key"] = idempotency_key

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/merchants/{merchant_id}/members".format(
            merchant_id=quote(str(merchant_id), safe=""),
        ),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorResponse | TeamMember | None:
    if response.status_code == 201:
        response_201 = TeamMember.from_dict(response.json())

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
) -> Response[ErrorResponse | TeamMember]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    merchant_id: UUID,
    *,
    client: AuthenticatedClient,
    body: AddMemberRequest,
    idempotency_key: str | Unset = UNSET,
) -> Response[ErrorResponse | TeamMember]:
    """Add a member

     Gives a registered user a role on the merchant. Needs the `admin` role, and nobody may grant
    a role above their own.

    Args:
        merchant_id (UUID):
        idempotency_key (str | Unset):
        body (AddMemberRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | TeamMember]
    """

    kwargs = _get_kwargs(
        merchant_id=merchant_id,
        body=body,
        idempotency_key=idempotency_key,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    merchant_id: UUID,
    *,
    client: AuthenticatedClient,
    body: AddMemberRequest,
    idempotency_key: str | Unset = UNSET,
) -> ErrorResponse | TeamMember | None:
    """Add a member

     Gives a registered user a role on the merchant. Needs the `admin` role, and nobody may grant
    a role above their own.

    Args:
        merchant_id (UUID):
        idempotency_key (str | Unset):
        body (AddMemberRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResponse | TeamMember
    """

    return sync_detailed(
        merchant_id=merchant_id,
        client=client,
        body=body,
        idempotency_key=idempotency_key,
    ).parsed


async def asyncio_detailed(
    merchant_id: UUID,
    *,
    client: AuthenticatedClient,
    body: AddMemberRequest,
    idempotency_key: str | Unset = UNSET,
) -> Response[ErrorResponse | TeamMember]:
    """Add a member

     Gives a registered user a role on the merchant. Needs the `admin` role, and nobody may grant
    a role above their own.

    Args:
        merchant_id (UUID):
        idempotency_key (str | Unset):
        body (AddMemberRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | TeamMember]
    """

    kwargs = _get_kwargs(
        merchant_id=merchant_id,
        body=body,
        idempotency_key=idempotency_key,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    merchant_id: UUID,
    *,
    client: AuthenticatedClient,
    body: AddMemberRequest,
    idempotency_key: str | Unset = UNSET,
) -> ErrorResponse | TeamMember | None:
    """Add a member

     Gives a registered user a role on the merchant. Needs the `admin` role, and nobody may grant
    a role above their own.

    Args:
        merchant_id (UUID):
        idempotency_key (str | Unset):
        body (AddMemberRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResponse | TeamMember
    """

    return (
        await asyncio_detailed(
            merchant_id=merchant_id,
            client=client,
            body=body,
            idempotency_key=idempotency_key,
        )
    ).parsed
