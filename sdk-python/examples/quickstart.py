"""The Kassa quick start, end to end against a running server:
register → log in → merchant → API key → payment intent of 1000 cents → the customer pays
with 4242 4242 4242 4242 at the checkout → the merchant's server verifies the payment.

    cargo run --release --bin kassa -- serve &
    python sdk-python/examples/quickstart.py        # KASSA_BASE_URL overrides the URL
"""

from __future__ import annotations

import os
import sys
from typing import TypeVar

from kassa_client import AuthenticatedClient, Client
from kassa_client.api.api_keys import create_api_key
from kassa_client.api.checkout import confirm_checkout
from kassa_client.api.merchants import create_merchant
from kassa_client.api.payment_intents import create_payment_intent, get_payment_intent
from kassa_client.api.users import login, register
from kassa_client.models import (
    Card,
    ConfirmCheckoutRequest,
    CreateApiKeyRequest,
    CreateMerchantRequest,
    CreatePaymentIntentRequest,
    ErrorResponse,
    LoginRequest,
    RegisterRequest,
)

T = TypeVar("T")


def ok(answer: T | ErrorResponse | None, what: str) -> T:
    """The answer, or an exit naming Kassa's error code (the documented error shape)."""
    if isinstance(answer, ErrorResponse):
        sys.exit(f"{what} failed: {answer.error.code}: {answer.error.message}")
    if answer is None:
        sys.exit(f"{what} got an answer the contract does not document")
    return answer


def main() -> None:
    base_url = os.environ.get("KASSA_BASE_URL", "http://127.0.0.1:4242")
    kassa = Client(base_url=base_url, raise_on_unexpected_status=True)

    # 1–2. A user, logged in. (A fresh email each run, so the example can run again.)
    email, password = f"quickstart-py-{os.getpid()}@example.com", "correct-horse-42"
    ok(register.sync(client=kassa, body=RegisterRequest(email=email, password=password, name="Ada")), "register")
    token = ok(login.sync(client=kassa, body=LoginRequest(email=email, password=password)), "login").access_token
    dashboard = AuthenticatedClient(base_url=base_url, token=token, raise_on_unexpected_status=True)

    # 3–4. A merchant, and a secret API key for its server.
    merchant = ok(create_merchant.sync(client=dashboard, body=CreateMerchantRequest(name="Acme Books")), "merchant")
    key = ok(
        create_api_key.sync(merchant.id, client=dashboard, body=CreateApiKeyRequest(name="quickstart")), "API key"
    ).key
    server = AuthenticatedClient(base_url=base_url, token=key, raise_on_unexpected_status=True)

    # 5. The merchant's server asks for 1000 cents ($10.00).
    intent = ok(
        create_payment_intent.sync(
            client=server,
            idempotency_key=f"quickstart-py-order-{os.getpid()}",
            body=CreatePaymentIntentRequest(
                amount=1000,
                currency="usd",
                success_url="https://shop.example/thanks",
                cancel_url="https://shop.example/cart",
                description="Quick start order",
            ),
        ),
        "payment intent",
    )
    # An API key's view of an intent carries its client secret and checkout URL.
    if intent.client_secret is None:
        sys.exit("the new intent came without its client secret")
    print(f"Created {intent.id} — checkout at {intent.checkout_url}")

    # 6–8. The customer's browser pays at the checkout, with the intent's client secret.
    browser = AuthenticatedClient(base_url=base_url, token=intent.client_secret, raise_on_unexpected_status=True)
    card = Card(number="4242 4242 4242 4242", exp_month=12, exp_year=2034, cvc="123", name="Ada Lovelace")
    paid = ok(
        confirm_checkout.sync(
            intent.id, client=browser, body=ConfirmCheckoutRequest(client_secret=intent.client_secret, card=card)
        ),
        "checkout",
    )
    print(f"Checkout approved; the browser goes to {paid.redirect_url}")

    # 9. The merchant's server trusts its own read of the intent, never the redirect.
    verified = ok(get_payment_intent.sync(intent.id, client=server), "read back")
    print(f"Verified payment: amount={verified.amount_received} cents, status={verified.status}")


if __name__ == "__main__":
    main()
