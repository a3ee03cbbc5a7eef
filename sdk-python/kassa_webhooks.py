"""Verifying Kassa's webhook deliveries before trusting them (written by hand; kassa_client/ is
generated).

Each delivery carries ``Kassa-Signature: t=<unix seconds>,v1=<hex>``: the HMAC-SHA256 of
``"<t>.<raw body>"`` keyed with the endpoint's ``whsec_…`` secret, Stripe's scheme. A delivery
is accepted only if one ``v1`` matches and ``t`` is within ``tolerance`` seconds of now, which
refuses a replay of an old delivery::

    event = kassa_webhooks.construct_event(request_body, headers["Kassa-Signature"], secret)
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time

from kassa_client.models.event import Event

__all__ = ["DEFAULT_TOLERANCE", "WebhookVerificationError", "construct_event"]

DEFAULT_TOLERANCE = 300
"""Seconds a signature stays valid, as in Stripe's libraries."""


class WebhookVerificationError(ValueError):
    """The delivery is not one to trust: a malformed header, no matching signature, a signature
    outside the tolerance, or a body that is not an event."""


def construct_event(
    payload: bytes | str,
    signature_header: str,
    secret: str,
    tolerance: int = DEFAULT_TOLERANCE,
    now: int | None = None,
) -> Event:
    """Verifies a delivery and returns its event.

    ``payload`` is the raw body exactly as received (bytes, or the text it decodes to),
    ``signature_header`` the ``Kassa-Signature`` header, ``secret`` the endpoint's ``whsec_…``.
    """
    body = payload.encode() if isinstance(payload, str) else payload
    timestamp: int | None = None
    signatures: list[str] = []
    for part in signature_header.split(","):
        name, sep, value = part.strip().partition("=")
        if not sep:
            raise WebhookVerificationError("the Kassa-Signature header is malformed")
        if name == "t":
            if not value.isdigit():
                raise WebhookVerificationError("the Kassa-Signature header is malformed")
            timestamp = int(value)
        elif name == "v1":
            signatures.append(value)
    if timestamp is None or not signatures:
        raise WebhookVerificationError("the Kassa-Signature header is malformed")
    expected = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    if not any(hmac.compare_digest(expected, signature) for signature in signatures):
        raise WebhookVerificationError("no signature in Kassa-Signature matches the body")
    age = (int(time.time()) if now is None else now) - timestamp
    if abs(age) > tolerance:
        raise WebhookVerificationError(f"the delivery was signed {age} s ago, outside the tolerance")
    try:
        return Event.from_dict(json.loads(body))
    except (ValueError, KeyError, TypeError) as err:
        raise WebhookVerificationError(f"the body is not an event: {err}") from err
