"""What every connector to the tax authority's e-receipt service offers motcua: send a signed receipt, get the
tax authority's code and status.

No per-receipt transmission protocol for receipts of fees and charges was found in the rules (the research index
lists it as not found): the built-in `http` connector speaks a small documented protocol (docs/DEPLOY.md,
"Biên lai điện tử") that an e-receipt provider or an adapter in front of the tax authority implements.
"""

from abc import ABC, abstractmethod
from dataclasses import dataclass

from motcua.integrations.registry import BasePlugin, Registry


class TransmissionError(Exception):
    """The service could not be reached, timed out or answered something unusable: try again later."""


@dataclass(frozen=True)
class SendResult:
    """The tax authority's answer: accepted (with its code) or refused (with its reason)."""

    accepted: bool
    code: str = ""
    message: str = ""


class TaxReceiptConnector(BasePlugin, ABC):
    @abstractmethod
    def send(self, xml: bytes, reference: str) -> SendResult:
        """Send one signed receipt; `reference` is stable for the receipt (a resend gets the same answer).
        Raises TransmissionError when the outcome is unknown."""

    @abstractmethod
    def cancel(self, xml: bytes, reference: str) -> SendResult:
        """Send the signed notice that an accepted receipt was voided; a resend gets the same answer.
        Raises TransmissionError when the outcome is unknown."""

    @abstractmethod
    def status(self, code: str) -> SendResult:
        """The tax authority's current status of a receipt it accepted. Raises TransmissionError."""


tax_receipt_connectors: Registry[TaxReceiptConnector] = Registry("kết nối cơ quan thuế")
