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


@pytest.fixture
def demo_ca(settings, tmp_path):
    """A demo certificate authority and the deployment's signing certificate, in the test's own folder."""
    from motcua.documents import signing

    settings.MOTCUA_SIGNING_DIR = str(tmp_path / "signing")
    signing.create_demo_ca()
    return settings.MOTCUA_SIGNING_DIR


@pytest.fixture
def tax_sandbox(settings):
    """The tax authority's e-receipt sandbox on a free local port, configured as the transmission."""
    from motcua.payments.tax_sandbox import TaxSandboxServer

    server = TaxSandboxServer(port=0).start()
    settings.MOTCUA_TAX_RECEIPTS = {"plugin": "sandbox", "base_url": server.url, "timeout": 5}
    yield server
    server.stop()
