"""Payment gateway plugins. Importing this package registers the built-in ones."""

from .base import (  # noqa: F401
    CallbackMessage,
    GatewayError,
    InvalidCallback,
    PaymentGateway,
    PaymentRequest,
    QueryResult,
    payment_gateways,
)
from .national_platform import NationalPaymentPlatform, SandboxGateway  # noqa: F401
