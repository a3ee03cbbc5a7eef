from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.payment_intent_capture_method import PaymentIntentCaptureMethod
from ..models.payment_method_type import PaymentMethodType
from ..types import UNSET, Unset
from typing import cast

if TYPE_CHECKING:
    from ..models.create_payment_intent_request_metadata_type_0 import (
        CreatePaymentIntentRequestMetadataType0,
    )


T = TypeVar("T", bound="CreatePaymentIntentRequest")


@_attrs_define
class CreatePaymentIntentRequest:
    """
    Attributes:
        amount (int): A positive integer in the currency's minor unit, at most 99999999: 9999 is $99.99. Example: 1000.
        currency (str): Lower-case ISO 4217: usd, eur, gbp, aud, cad, chf, jpy (zero-decimal), sek, nok, dkk. Example:
            usd.
        success_url (str): Where the browser goes after paying; `{PAYMENT_INTENT_ID}` is replaced and
            `payment_intent=<id>` added. Absolute http(s). Example: https://shop.example/thanks.
        cancel_url (str): Where the browser goes when the customer goes back to the shop from the checkout
            ("Back to <merchant>") or the intent has expired; `{PAYMENT_INTENT_ID}` is replaced and
            `payment_intent=<id>` added, as for `success_url`. Going back leaves the intent open
            until it expires (as a Stripe Checkout Session stays open), so the customer may return
            and pay. Absolute http(s). Example: https://shop.example/cart.
        description (None | str | Unset): At most 1000 characters.
        capture_method (None | PaymentIntentCaptureMethod | Unset):
        customer_email (None | str | Unset):
        metadata (CreatePaymentIntentRequestMetadataType0 | None | Unset): Up to 20 string keys (≤ 40 characters) with
            string values (≤ 500 characters).
        expires_in (int | None | Unset): Seconds until the intent expires, 1 to 86400; 3600 by default. Example: 3600.
        payment_method_types (list[PaymentMethodType] | None | Unset): What the customer may pay with: `card` (the
            default), `sepa_debit` (eur only),
            `au_becs_debit` (aud only). A method that does not work with `currency` is
            `400 payment_method_unsupported_currency`. Example: ['card'].
    """

    amount: int
    currency: str
    success_url: str
    cancel_url: str
    description: None | str | Unset = UNSET
    capture_method: None | PaymentIntentCaptureMethod | Unset = UNSET
    customer_email: None | str | Unset = UNSET
    metadata: CreatePaymentIntentRequestMetadataType0 | None | Unset = UNSET
    expires_in: int | None | Unset = UNSET
    payment_method_types: list[PaymentMethodType] | None | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        from ..models.create_payment_intent_request_metadata_type_0 import (
            CreatePaymentIntentRequestMetadataType0,
        )  # noqa: PLC0415

        amount = self.amount

        currency = self.currency

        success_url = self.success_url

        cancel_url = self.cancel_url

        description: None | str | Unset
        if isinstance(self.description, Unset):
            description = UNSET
        else:
            description = self.description

        capture_method: None | str | Unset
        if isinstance(self.capture_method, Unset):
            capture_method = UNSET
        elif isinstance(self.capture_method, PaymentIntentCaptureMethod):
            capture_method = self.capture_method.value
        else:
            capture_method = self.capture_method

        customer_email: None | str | Unset
        if isinstance(self.customer_email, Unset):
            customer_email = UNSET
        else:
            customer_email = self.customer_email

        metadata: dict[str, Any] | None | Unset
        if isinstance(self.metadata, Unset):
            metadata = UNSET
        elif isinstance(self.metadata, CreatePaymentIntentRequestMetadataType0):
            metadata = self.metadata.to_dict()
        else:
            metadata = self.metadata

        expires_in: int | None | Unset
        if isinstance(self.expires_in, Unset):
            expires_in = UNSET
        else:
            expires_in = self.expires_in

        payment_method_types: list[str] | None | Unset
        if isinstance(self.payment_method_types, Unset):
            payment_method_types = UNSET
        elif isinstance(self.payment_method_types, list):
            payment_method_types = []
            for payment_method_types_type_0_item_data in self.payment_method_types:
                payment_method_types_type_0_item = (
                    payment_method_types_type_0_item_data.value
                )
                payment_method_types.append(payment_method_types_type_0_item)

        else:
            payment_method_types = self.payment_method_types

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "amount": amount,
                "currency": currency,
                "success_url": success_url,
                "cancel_url": cancel_url,
            }
        )
        if description is not UNSET:
            field_dict["description"] = description
        if capture_method is not UNSET:
            field_dict["capture_method"] = capture_method
        if customer_email is not UNSET:
            field_dict["customer_email"] = customer_email
        if metadata is not UNSET:
            field_dict["metadata"] = metadata
        if expires_in is not UNSET:
            field_dict["expires_in"] = expires_in
        if payment_method_types is not UNSET:
            field_dict["payment_method_types"] = payment_method_types

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.create_payment_intent_request_metadata_type_0 import (
            CreatePaymentIntentRequestMetadataType0,
        )  # noqa: PLC0415

        d = dict(src_dict)
        amount = d.pop("amount")

        currency = d.pop("currency")

        success_url = d.pop("success_url")

        cancel_url = d.pop("cancel_url")

        def _parse_description(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        description = _parse_description(d.pop("description", UNSET))

        def _parse_capture_method(
            data: object,
        ) -> None | PaymentIntentCaptureMethod | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                capture_method_type_0 = PaymentIntentCaptureMethod(data)

                return capture_method_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | PaymentIntentCaptureMethod | Unset, data)

        capture_method = _parse_capture_method(d.pop("capture_method", UNSET))

        def _parse_customer_email(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        customer_email = _parse_customer_email(d.pop("customer_email", UNSET))

        def _parse_metadata(
            data: object,
        ) -> CreatePaymentIntentRequestMetadataType0 | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                metadata_type_0 = CreatePaymentIntentRequestMetadataType0.from_dict(
                    data
                )

                return metadata_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(CreatePaymentIntentRequestMetadataType0 | None | Unset, data)

        metadata = _parse_metadata(d.pop("metadata", UNSET))

        def _parse_expires_in(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        expires_in = _parse_expires_in(d.pop("expires_in", UNSET))

        def _parse_payment_method_types(
            data: object,
        ) -> list[PaymentMethodType] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                payment_method_types_type_0 = []
                _payment_method_types_type_0 = data
                for (
                    payment_method_types_type_0_item_data
                ) in _payment_method_types_type_0:
                    payment_method_types_type_0_item = PaymentMethodType(
                        payment_method_types_type_0_item_data
                    )

                    payment_method_types_type_0.append(payment_method_types_type_0_item)

                return payment_method_types_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[PaymentMethodType] | None | Unset, data)

        payment_method_types = _parse_payment_method_types(
            d.pop("payment_method_types", UNSET)
        )

        create_payment_intent_request = cls(
            amount=amount,
            currency=currency,
            success_url=success_url,
            cancel_url=cancel_url,
            description=description,
            capture_method=capture_method,
            customer_email=customer_email,
            metadata=metadata,
            expires_in=expires_in,
            payment_method_types=payment_method_types,
        )

        return create_payment_intent_request
