from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.payment_intent_capture_method import PaymentIntentCaptureMethod
from ..models.payment_intent_status import PaymentIntentStatus
from ..models.payment_method_type import PaymentMethodType
from typing import cast
import datetime

if TYPE_CHECKING:
    from ..models.next_action import NextAction
    from ..models.payment_error import PaymentError
    from ..models.payment_intent_metadata import PaymentIntentMetadata
    from ..models.payment_method import PaymentMethod


T = TypeVar("T", bound="PaymentIntent")


@_attrs_define
class PaymentIntent:
    """A payment the merchant expects: what to charge, and how far it got.

    Attributes:
        id (str):  Example: pi_3MtwBwLkdIwHu7ix28a3tqPa.
        object_ (str): Always `payment_intent`. Example: payment_intent.
        amount (int): In the currency's minor unit: 1000 is $10.00 (¥1000 in jpy). Example: 1000.
        amount_capturable (int): What a capture may still take (authorized intents only).
        amount_received (int):
        amount_refunded (int):
        currency (str):  Example: usd.
        status (PaymentIntentStatus):
        capture_method (PaymentIntentCaptureMethod):
        client_secret (None | str): Lets a browser pay this intent (hosted checkout); keep it out of logs and URLs you
            share.
            Null when read with a viewer's user token: a viewer may only read, and the secret pays. Example:
            pi_3MtwBwLkdIwHu7ix28a3tqPa_secret_9f2c6d0e4b1a8c7d5e3f2a1b0c9d8e7f.
        checkout_url (None | str): The hosted checkout page for this intent (it carries the client secret, so it is null
            when that is).
        success_url (str):
        cancel_url (str):
        description (None | str):
        customer_email (None | str):
        metadata (PaymentIntentMetadata):
        payment_method_types (list[PaymentMethodType]): What the customer may pay with.
        attempts (int): Attempts to pay so far, cards and debits; the fifth declined card fails the intent.
        last_payment_error (None | PaymentError):
        payment_method (None | PaymentMethod):
        next_action (NextAction | None):
        latest_charge (None | str): The charge of the latest attempt to pay (`GET /v1/charges/{charge_id}`); null before
            the first. Example: ch_3MtwBwLkdIwHu7ix28a3tqPa.
        created_at (datetime.datetime):
        expires_at (datetime.datetime): Waiting intents expire at `created_at + expires_in`; an authorized intent's
            `expires_at` is its capture deadline, 7 days after authorization.
    """

    id: str
    object_: str
    amount: int
    amount_capturable: int
    amount_received: int
    amount_refunded: int
    currency: str
    status: PaymentIntentStatus
    capture_method: PaymentIntentCaptureMethod
    client_secret: None | str
    checkout_url: None | str
    success_url: str
    cancel_url: str
    description: None | str
    customer_email: None | str
    metadata: PaymentIntentMetadata
    payment_method_types: list[PaymentMethodType]
    attempts: int
    last_payment_error: None | PaymentError
    payment_method: None | PaymentMethod
    next_action: NextAction | None
    latest_charge: None | str
    created_at: datetime.datetime
    expires_at: datetime.datetime
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.next_action import NextAction  # noqa: PLC0415
        from ..models.payment_error import PaymentError  # noqa: PLC0415
        from ..models.payment_intent_metadata import PaymentIntentMetadata  # noqa: PLC0415
        from ..models.payment_method import PaymentMethod  # noqa: PLC0415

        id = self.id

        object_ = self.object_

        amount = self.amount

        amount_capturable = self.amount_capturable

        amount_received = self.amount_received

        amount_refunded = self.amount_refunded

        currency = self.currency

        status = self.status.value

        capture_method = self.capture_method.value

        client_secret: None | str
        client_secret = self.client_secret

        checkout_url: None | str
        checkout_url = self.checkout_url

        success_url = self.success_url

        cancel_url = self.cancel_url

        description: None | str
        description = self.description

        customer_email: None | str
        customer_email = self.customer_email

        metadata = self.metadata.to_dict()

        payment_method_types = []
        for payment_method_types_item_data in self.payment_method_types:
            payment_method_types_item = payment_method_types_item_data.value
            payment_method_types.append(payment_method_types_item)

        attempts = self.attempts

        last_payment_error: dict[str, Any] | None
        if isinstance(self.last_payment_error, PaymentError):
            last_payment_error = self.last_payment_error.to_dict()
        else:
            last_payment_error = self.last_payment_error

        payment_method: dict[str, Any] | None
        if isinstance(self.payment_method, PaymentMethod):
            payment_method = self.payment_method.to_dict()
        else:
            payment_method = self.payment_method

        next_action: dict[str, Any] | None
        if isinstance(self.next_action, NextAction):
            next_action = self.next_action.to_dict()
        else:
            next_action = self.next_action

        latest_charge: None | str
        latest_charge = self.latest_charge

        created_at = self.created_at.isoformat()

        expires_at = self.expires_at.isoformat()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "object": object_,
                "amount": amount,
                "amount_capturable": amount_capturable,
                "amount_received": amount_received,
                "amount_refunded": amount_refunded,
                "currency": currency,
                "status": status,
                "capture_method": capture_method,
                "client_secret": client_secret,
                "checkout_url": checkout_url,
                "success_url": success_url,
                "cancel_url": cancel_url,
                "description": description,
                "customer_email": customer_email,
                "metadata": metadata,
                "payment_method_types": payment_method_types,
                "attempts": attempts,
                "last_payment_error": last_payment_error,
                "payment_method": payment_method,
                "next_action": next_action,
                "latest_charge": latest_charge,
                "created_at": created_at,
                "expires_at": expires_at,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.next_action import NextAction  # noqa: PLC0415
        from ..models.payment_error import PaymentError  # noqa: PLC0415
        from ..models.payment_intent_metadata import PaymentIntentMetadata  # noqa: PLC0415
        from ..models.payment_method import PaymentMethod  # noqa: PLC0415

        d = dict(src_dict)
        id = d.pop("id")

        object_ = d.pop("object")

        amount = d.pop("amount")

        amount_capturable = d.pop("amount_capturable")

        amount_received = d.pop("amount_received")

        amount_refunded = d.pop("amount_refunded")

        currency = d.pop("currency")

        status = PaymentIntentStatus(d.pop("status"))

        capture_method = PaymentIntentCaptureMethod(d.pop("capture_method"))

        def _parse_client_secret(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        client_secret = _parse_client_secret(d.pop("client_secret"))

        def _parse_checkout_url(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        checkout_url = _parse_checkout_url(d.pop("checkout_url"))

        success_url = d.pop("success_url")

        cancel_url = d.pop("cancel_url")

        def _parse_description(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        description = _parse_description(d.pop("description"))

        def _parse_customer_email(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        customer_email = _parse_customer_email(d.pop("customer_email"))

        metadata = PaymentIntentMetadata.from_dict(d.pop("metadata"))

        payment_method_types = []
        _payment_method_types = d.pop("payment_method_types")
        for payment_method_types_item_data in _payment_method_types:
            payment_method_types_item = PaymentMethodType(
                payment_method_types_item_data
            )

            payment_method_types.append(payment_method_types_item)

        attempts = d.pop("attempts")

        def _parse_last_payment_error(data: object) -> None | PaymentError:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                last_payment_error_type_0 = PaymentError.from_dict(data)

                return last_payment_error_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | PaymentError, data)

        last_payment_error = _parse_last_payment_error(d.pop("last_payment_error"))

        def _parse_payment_method(data: object) -> None | PaymentMethod:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                payment_method_type_0 = PaymentMethod.from_dict(data)

                return payment_method_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | PaymentMethod, data)

        payment_method = _parse_payment_method(d.pop("payment_method"))

        def _parse_next_action(data: object) -> NextAction | None:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                next_action_type_0 = NextAction.from_dict(data)

                return next_action_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(NextAction | None, data)

        next_action = _parse_next_action(d.pop("next_action"))

        def _parse_latest_charge(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        latest_charge = _parse_latest_charge(d.pop("latest_charge"))

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        expires_at = datetime.datetime.fromisoformat(d.pop("expires_at"))

        payment_intent = cls(
            id=id,
            object_=object_,
            amount=amount,
            amount_capturable=amount_capturable,
            amount_received=amount_received,
            amount_refunded=amount_refunded,
            currency=currency,
            status=status,
            capture_method=capture_method,
            client_secret=client_secret,
            checkout_url=checkout_url,
            success_url=success_url,
            cancel_url=cancel_url,
            description=description,
            customer_email=customer_email,
            metadata=metadata,
            payment_method_types=payment_method_types,
            attempts=attempts,
            last_payment_error=last_payment_error,
            payment_method=payment_method,
            next_action=next_action,
            latest_charge=latest_charge,
            created_at=created_at,
            expires_at=expires_at,
        )

        payment_intent.additional_properties = d
        return payment_intent

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
