"""What every payment gateway plugin offers motcua, whatever protocol it speaks."""

from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from datetime import datetime

from motcua.integrations.registry import BasePlugin, Registry


class GatewayError(Exception):
    """The gateway could not be reached, timed out, or answered something unusable. Message in Vietnamese."""


class InvalidCallback(Exception):
    """A callback that cannot be trusted or read; `outcome` is a PaymentCallback.Outcome value."""

    def __init__(self, outcome: str, message: str):
        super().__init__(message)
        self.outcome = outcome
        self.message = message


@dataclass(frozen=True)
class CallbackMessage:
    """A callback (or a QUERY answer) whose signature has been checked."""

    reference: str
    amount: int
    succeeded: bool
    cancelled: bool
    error_code: str
    transaction_id: str = ""
    bank_code: str = ""
    gateway_time: datetime | None = None
    signature: str = ""
    raw: dict = field(default_factory=dict)


@dataclass(frozen=True)
class QueryResult:
    """The gateway's view of a transaction: "succeeded", "pending" (it does not know yet) or "failed"."""

    state: str
    message: CallbackMessage | None = None
    description: str = ""


@dataclass(frozen=True)
class PaymentRequest:
    """What a gateway needs to open a payment."""

    reference: str
    amount: int
    description: str
    created_at: datetime
    callback_url: str
    return_url: str
    agency_code: str = ""
    agency_name: str = ""
    dossier_code: str = ""
    procedure_code: str = ""
    procedure_name: str = ""
    payer_name: str = ""
    payer_id_number: str = ""
    payer_address: str = ""
    items: list = field(default_factory=list)
    # The collecting agency's account (TKThuHuong, MaNHThuHuong, TenTKThuHuong): empty when it has none.
    beneficiary_account: str = ""
    beneficiary_bank_code: str = ""
    beneficiary_name: str = ""


class PaymentGateway(BasePlugin, ABC):
    """A payment gateway: open a payment, read its callbacks, ask for its state, answer the gateway."""

    @abstractmethod
    def initiate(self, request: PaymentRequest) -> str:
        """Open the payment at the gateway; return the URL to send the payer to. Raises GatewayError."""

    @abstractmethod
    def parse_callback(self, payload: dict) -> CallbackMessage:
        """Check a callback's signature and read it. Raises InvalidCallback."""

    @abstractmethod
    def query(self, reference: str, created_at: datetime) -> QueryResult:
        """Ask the gateway for the state of a transaction. Raises GatewayError."""

    @abstractmethod
    def reply(self, code: str, description: str) -> dict:
        """The body motcua answers a callback with."""


payment_gateways: Registry[PaymentGateway] = Registry("cổng thanh toán")
