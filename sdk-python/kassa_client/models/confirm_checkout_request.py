from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast

if TYPE_CHECKING:
    from ..models.au_becs_debit import AuBecsDebit
    from ..models.card import Card
    from ..models.sepa_debit import SepaDebit


T = TypeVar("T", bound="ConfirmCheckoutRequest")


@_attrs_define
class ConfirmCheckoutRequest:
    """The client secret and exactly one way to pay, of the intent's `payment_method_types`.

    Attributes:
        client_secret (str):
        card (Card | None | Unset):
        sepa_debit (None | SepaDebit | Unset):
        au_becs_debit (AuBecsDebit | None | Unset):
    """

    client_secret: str
    card: Card | None | Unset = UNSET
    sepa_debit: None | SepaDebit | Unset = UNSET
    au_becs_debit: AuBecsDebit | None | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        from ..models.au_becs_debit import AuBecsDebit  # noqa: PLC0415
        from ..models.card import Card  # noqa: PLC0415
        from ..models.sepa_debit import SepaDebit  # noqa: PLC0415

        client_secret = self.client_secret

        card: dict[str, Any] | None | Unset
        if isinstance(self.card, Unset):
            card = UNSET
        elif isinstance(self.card, Card):
            card = self.card.to_dict()
        else:
            card = self.card

        sepa_debit: dict[str, Any] | None | Unset
        if isinstance(self.sepa_debit, Unset):
            sepa_debit = UNSET
        elif isinstance(self.sepa_debit, SepaDebit):
            sepa_debit = self.sepa_debit.to_dict()
        else:
            sepa_debit = self.sepa_debit

        au_becs_debit: dict[str, Any] | None | Unset
        if isinstance(self.au_becs_debit, Unset):
            au_becs_debit = UNSET
        elif isinstance(self.au_becs_debit, AuBecsDebit):
            au_becs_debit = self.au_becs_debit.to_dict()
        else:
            au_becs_debit = self.au_becs_debit

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "client_secret": client_secret,
            }
        )
        if card is not UNSET:
            field_dict["card"] = card
        if sepa_debit is not UNSET:
            field_dict["sepa_debit"] = sepa_debit
        if au_becs_debit is not UNSET:
            field_dict["au_becs_debit"] = au_becs_debit

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.au_becs_debit import AuBecsDebit  # noqa: PLC0415
        from ..models.card import Card  # noqa: PLC0415
        from ..models.sepa_debit import SepaDebit  # noqa: PLC0415

        d = dict(src_dict)
        client_secret = d.pop("client_secret")

        def _parse_card(data: object) -> Card | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                card_type_0 = Card.from_dict(data)

                return card_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(Card | None | Unset, data)

        card = _parse_card(d.pop("card", UNSET))

        def _parse_sepa_debit(data: object) -> None | SepaDebit | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                sepa_debit_type_0 = SepaDebit.from_dict(data)

                return sepa_debit_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | SepaDebit | Unset, data)

        sepa_debit = _parse_sepa_debit(d.pop("sepa_debit", UNSET))

        def _parse_au_becs_debit(data: object) -> AuBecsDebit | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                au_becs_debit_type_0 = AuBecsDebit.from_dict(data)

                return au_becs_debit_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(AuBecsDebit | None | Unset, data)

        au_becs_debit = _parse_au_becs_debit(d.pop("au_becs_debit", UNSET))

        confirm_checkout_request = cls(
            client_secret=client_secret,
            card=card,
            sepa_debit=sepa_debit,
            au_becs_debit=au_becs_debit,
        )

        return confirm_checkout_request
