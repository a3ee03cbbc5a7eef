from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.error_response import ErrorResponse
from ...models.team_member_list import TeamMemberList
from ...types import UNSET, Unset
from typing import cast
from uuid import UUID


def _get_kwargs(
    merchant_id: UUID,
    *,
    limit: int | Unset = 10,
    starting_after: UUID | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["limit"] = limit

    json_starting_after: str | Unset = UNSET
    if not isinstance(starting_after, Unset):
        json_starting_after = str(starting_after)
    params["starting_after"] = json_starting_after

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/merchants/{merchant_id}/members".format(
            merchant_id=quote(str(merchant_id), safe=""),
        ),
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorResponse | TeamMemberList | None:
    if response.status_code == 200:
        response_200 = TeamMemberList.from_dict(response.json())

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
) -> Response[ErrorResponse | TeamMemberList]:
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
    limit: int | Unset = 10,
    starting_after: UUID | Unset = UNSET,
) -> Response[ErrorResponse | TeamMemberList]:
    """List members

     The merchant's members, newest first. Any member may read the list.

    Args:
        merchant_id (UUID):
        limit (int | Unset):  Default: 10.
        starting_after (UUID | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | TeamMemberList]
    """

    kwargs = _get_kwargs(
        merchant_id=merchant_id,
        limit=limit,
        starting_after=starting_after,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    merchant_id: UUID,
    *,
    client: AuthenticatedClient,
    limit: int | Unset = 10,
    starting_after: UUID | Unset = UNSET,
) -> ErrorResponse | TeamMemberList | None:
    """List members

     The merchant's members, newest first. Any member may read the list.

    Args:
        merchant_id (UUID):
        limit (int | Unset):  Default: 10.
        starting_after (UUID | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResponse | TeamMemberList
    """

    return sync_detailed(
        merchant_id=merchant_id,
        client=client,
        limit=limit,
        starting_after=starting_after,
    ).parsed


async def asyncio_detailed(
    merchant_id: UUID,
    *,
    client: AuthenticatedClient,
    limit: int | Unset = 10,
    starting_after: UUID | Unset = UNSET,
) -> Response[ErrorResponse | TeamMemberList]:
    """List members

     The merchant's members, newest first. Any member may read the list.

    Args:
        merchant_id (UUID):
        limit (int | Unset):  Default: 10.
        starting_after (UUID | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | TeamMemberList]
    """

    kwargs = _get_kwargs(
        merchant_id=merchant_id,
        limit=limit,
        starting_after=starting_after,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    merchant_id: UUID,
    *,
    client: AuthenticatedClient,
    limit: int | Unset = 10,
    starting_after: UUID | Unset = UNSET,
) -> ErrorResponse | TeamMemberList | None:
    """List members

     The merchant's members, newest first. Any member may read the list.

    Args:
        merchant_id (UUID):
        limit (int | Unset):  Default: 10.
        starting_after (UUID | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResponse | TeamMemberList
    """

    return (
        await asyncio_detailed(
            merchant_id=merchant_id,
            client=client,
            limit=limit,
            starting_after=starting_after,
        )
    ).parsed
