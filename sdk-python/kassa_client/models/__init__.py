"""Contains all the data models used in inputs/outputs"""

from .access_token_response import AccessTokenResponse
from .add_member_request import AddMemberRequest
from .advance_clock_request import AdvanceClockRequest
from .api_key import ApiKey
from .api_key_list import ApiKeyList
from .attempt_trigger import AttemptTrigger
from .au_becs_debit import AuBecsDebit
from .authenticate_checkout_request import AuthenticateCheckoutRequest
from .authentication_result import AuthenticationResult
from .capture_payment_intent_request import CapturePaymentIntentRequest
from .card import Card
from .charge import Charge
from .charge_list import ChargeList
from .charge_outcome import ChargeOutcome
from .charge_status import ChargeStatus
from .checkout_view import CheckoutView
from .clock_advance import ClockAdvance
from .clock_mode import ClockMode
from .confirm_checkout_request import ConfirmCheckoutRequest
from .confirm_checkout_response import ConfirmCheckoutResponse
from .create_api_key_request import CreateApiKeyRequest
from .create_merchant_request import CreateMerchantRequest
from .create_payment_intent_request import CreatePaymentIntentRequest
from .create_payment_intent_request_metadata_type_0 import (
    CreatePaymentIntentRequestMetadataType0,
)
from .create_refund_request import CreateRefundRequest
from .created_api_key import CreatedApiKey
from .currency_report import CurrencyReport
from .day_figures import DayFigures
from .delivery_attempt import DeliveryAttempt
from .delivery_attempt_list import DeliveryAttemptList
from .error_detail import ErrorDetail
from .error_response import ErrorResponse
from .error_type import ErrorType
from .event import Event
from .event_data import EventData
from .event_list import EventList
from .event_type import EventType
from .freeze_clock_request import FreezeClockRequest
from .list_request_logs_method import ListRequestLogsMethod
from .listen_attempt_request import ListenAttemptRequest
from .listen_batch import ListenBatch
from .listen_delivery import ListenDelivery
from .listen_session import ListenSession
from .login_request import LoginRequest
from .member_role import MemberRole
from .merchant import Merchant
from .merchant_list import MerchantList
from .next_action import NextAction
from .payment_error import PaymentError
from .payment_intent import PaymentIntent
from .payment_intent_capture_method import PaymentIntentCaptureMethod
from .payment_intent_list import PaymentIntentList
from .payment_intent_metadata import PaymentIntentMetadata
from .payment_intent_status import PaymentIntentStatus
from .payment_method import PaymentMethod
from .payment_method_type import PaymentMethodType
from .payments_report import PaymentsReport
from .redelivery import Redelivery
from .redirect_to_url import RedirectToUrl
from .refund import Refund
from .refund_list import RefundList
from .refund_reason import RefundReason
from .refund_status import RefundStatus
from .register_request import RegisterRequest
from .report_day import ReportDay
from .request_log import RequestLog
from .request_log_list import RequestLogList
from .reset_result import ResetResult
from .schedule import Schedule
from .scheduled import Scheduled
from .scheduled_kind import ScheduledKind
from .sepa_debit import SepaDebit
from .team_member import TeamMember
from .team_member_list import TeamMemberList
from .test_clock import TestClock
from .update_merchant_request import UpdateMerchantRequest
from .user import User
from .webhook_secret_response import WebhookSecretResponse

__all__ = (
    "AccessTokenResponse",
    "AddMemberRequest",
    "AdvanceClockRequest",
    "ApiKey",
    "ApiKeyList",
    "AttemptTrigger",
    "AuBecsDebit",
    "AuthenticateCheckoutRequest",
    "AuthenticationResult",
    "CapturePaymentIntentRequest",
    "Card",
    "Charge",
    "ChargeList",
    "ChargeOutcome",
    "ChargeStatus",
    "CheckoutView",
    "ClockAdvance",
    "ClockMode",
    "ConfirmCheckoutRequest",
    "ConfirmCheckoutResponse",
    "CreateApiKeyRequest",
    "CreatedApiKey",
    "CreateMerchantRequest",
    "CreatePaymentIntentRequest",
    "CreatePaymentIntentRequestMetadataType0",
    "CreateRefundRequest",
    "CurrencyReport",
    "DayFigures",
    "DeliveryAttempt",
    "DeliveryAttemptList",
    "ErrorDetail",
    "ErrorResponse",
    "ErrorType",
    "Event",
    "EventData",
    "EventList",
    "EventType",
    "FreezeClockRequest",
    "ListenAttemptRequest",
    "ListenBatch",
    "ListenDelivery",
    "ListenSession",
    "ListRequestLogsMethod",
    "LoginRequest",
    "MemberRole",
    "Merchant",
    "MerchantList",
    "NextAction",
    "PaymentError",
    "PaymentIntent",
    "PaymentIntentCaptureMethod",
    "PaymentIntentList",
    "PaymentIntentMetadata",
    "PaymentIntentStatus",
    "PaymentMethod",
    "PaymentMethodType",
    "PaymentsReport",
    "Redelivery",
    "RedirectToUrl",
    "Refund",
    "RefundList",
    "RefundReason",
    "RefundStatus",
    "RegisterRequest",
    "ReportDay",
    "RequestLog",
    "RequestLogList",
    "ResetResult",
    "Schedule",
    "Scheduled",
    "ScheduledKind",
    "SepaDebit",
    "TeamMember",
    "TeamMemberList",
    "TestClock",
    "UpdateMerchantRequest",
    "User",
    "WebhookSecretResponse",
)
