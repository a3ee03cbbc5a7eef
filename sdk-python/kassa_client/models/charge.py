from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.charge_status import ChargeStatus
from typing import cast
import datetime

if TYPE_CHECKING:
    from ..models.charge_outcome import ChargeOutcome
    from ..models.payment_method import PaymentMethod


T = TypeVar("T", bound="Charge")


@_attrs_define
class Charge:
    """One attempt to pay a payment intent.

    Attributes:
        id (str):  Example: ch_3MtwBwLkdIwHu7ix28a3tqPa.
        object_ (str): Always `charge`. Example: charge.
        payment_intent (str):  Example: pi_3MtwBwLkdIwHu7ix28a3tqPa.
        amount (int):  Example: 1000.
        currency (str):  Example: usd.
        status (ChargeStatus):
        outcome (ChargeOutcome | None):
        payment_method (PaymentMethod): What paid: a card (brand and expiry) or a bank account (its bank), never the
            full number.
        captured (bool): Whether the money was taken: at once under automatic capture, by a capture, or (a
            debit) when it settled.
        amount_captured (int):
        amount_refunded (int):
        created_at (datetime.datetime):
    """

    id: str
    object_: str
    payment_intent: str
    amount: int
    currency: str
    status: ChargeStatus
    outcome: ChargeOutcome | None
    payment_method: PaymentMethod
    captured: bool
    amount_captured: int
    amount_refunded: int
    created_at: datetime.datetime
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.charge_outcome import ChargeOutcome  # noqa: PLC0415
        from ..models.payment_method import PaymentMethod  # noqa: PLC0415

        id = self.id

        object_ = self.object_

        payment_intent = self.payment_intent

        amount = self.amount

        currency = self.currency

        status = self.status.value

        outcome: dict[str, Any] | None
        if isinstance(self.outcome, ChargeOutcome):
            outcome = self.outcome.to_dict()
        else:
            outcome = self.outcome

        payment_method = self.payment_method.to_dict()

        captured = self.captured

        amount_captured = self.amount_captured

        amount_refunded = self.amount_refunded

        created_at = self.created_at.isoformat()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "object": object_,
                "payment_intent": payment_intent,
                "amount": amount,
                "currency": currency,
                "status": status,
                "outcome": outcome,
                "payment_method": payment_method,
                "captured": captured,
                "amount_captured": amount_captured,
                "amount_refunded": amount_refunded,
                "created_at": created_at,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.charge_outcome import ChargeOutcome  # noqa: PLC0415
        from ..models.payment_method import PaymentMethod  # noqa: PLC0415

        d = dict(src_dict)
        id = d.pop("id")

        object_ = d.pop("object")

        payment_intent = d.pop("payment_intent")

        amount = d.pop("amount")

        currency = d.pop("currency")

        status = ChargeStatus(d.pop("status"))

        def _parse_outcome(data: object) -> ChargeOutcome | None:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                outcome_type_0 = ChargeOutcome.from_dict(data)

                return outcome_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(ChargeOutcome | None, data)

        outcome = _parse_outcome(d.pop("outcome"))

        payment_method = PaymentMethod.from_dict(d.pop("payment_method"))

        captured = d.pop("captured")

        amount_captured = d.pop("amount_captured")

        amount_refunded = d.pop("amount_refunded")

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        charge = cls(
            id=id,
            object_=object_,
            payment_intent=payment_intent,
            amount=amount,
            currency=currency,
            status=status,
            outcome=outcome,
            payment_method=payment_method,
            captured=captured,
            amount_captured=amount_captured,
            amount_refunded=amount_refunded,
            created_at=created_at,
        )

        charge.additional_properties = d
        return charge

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
