"""Transmission of e-receipts to the tax authority (plugins). Importing this package registers the built-in ones."""

from .base import SendResult, TaxReceiptConnector, TransmissionError, tax_receipt_connectors  # noqa: F401
from .http import HttpConnector, SandboxConnector  # noqa: F401
