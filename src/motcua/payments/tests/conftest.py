import pytest

from motcua.integrations.payment.sandbox_server import SandboxServer


@pytest.fixture
def payment_sandbox(settings):
    """The sandbox payment platform on a free local port, configured as motcua's "sandbox" gateway."""
    server = SandboxServer(port=0).start()
    settings.MOTCUA_PAYMENT_GATEWAYS = {
        "sandbox": {"plugin": "sandbox", "base_url": server.url, "timeout": 5}
    }
    settings.MOTCUA_PAYMENT_GATEWAY = "sandbox"
    yield server
    server.stop()
