"""The simulator also plays the national payment platform (the payments part's sandbox, same messages)."""

import urllib.request

from motcua.integrations.payment import payment_gateways

from .factories import payment_request


def test_init_query_and_the_payers_page_are_served_by_the_simulator(simulator):
    gateway = payment_gateways.build("sandbox", {"base_url": simulator.url})
    url = gateway.initiate(payment_request("MCSIM1", 120_000))
    assert url == f"{simulator.url}/thanh-toan/MCSIM1"
    with urllib.request.urlopen(url, timeout=5) as page:
        assert "120.000 đ" in page.read().decode()
    from datetime import datetime

    from motcua.integrations.payment import protocol

    assert gateway.query("MCSIM1", datetime.now(protocol.VIETNAM)).state == "pending"
    simulator.app.payments.settle("MCSIM1", "success", deliver=False)
    result = gateway.query("MCSIM1", datetime.now(protocol.VIETNAM))
    assert result.state == "succeeded" and result.message.amount == 120_000
    assert gateway.fetch_bill("MCSIM1", datetime.now(protocol.VIETNAM)).startswith(b"%PDF")
