"""The portal login believes nothing until the ID token checks out: the simulator signs real RS256 ID tokens and
publishes its key (JWKS); a forged signature, another issuer, another audience, another login's nonce or an
expired token is refused with a Vietnamese message, and nobody is logged in."""

import json
import urllib.request

import pytest

from motcua.citizens.models import CitizenProfile

from .conftest import simulator_post
from .test_portal_login import CONSENT_PAGE, agree, choose_persona, local, logged_in_user, start

pytestmark = pytest.mark.django_db

REFUSED = "Không xác thực được thông tin đăng nhập"


def test_the_simulator_publishes_its_signing_key_and_signs_id_tokens(portal_login_on, client):
    with urllib.request.urlopen(f"{portal_login_on.url}/oauth2/jwks", timeout=5) as response:
        keys = json.loads(response.read())["keys"]
    assert [k["kty"] for k in keys] == ["RSA"] and all("d" not in k for k in keys)  # public part only
    response = client.get(local(choose_persona(start(client), "vneid")))
    assert response["Location"] == CONSENT_PAGE
    assert agree(client)["Location"] == "/cong-dan/"
    assert logged_in_user(client).username == "027090999902"


@pytest.mark.parametrize(
    "fault", ["forged_signature", "wrong_issuer", "wrong_audience", "wrong_nonce", "expired"]
)
def test_a_bad_id_token_is_refused_and_logs_nobody_in(portal_login_on, client, fault):
    simulator_post(portal_login_on, "config", {"id_token_fault": fault})
    response = client.get(local(choose_persona(start(client), "citizen")), follow=True)
    assert response.redirect_chain[-1][0] == "/cong-dan/dang-nhap/"
    assert REFUSED in response.content.decode()
    assert logged_in_user(client) is None
    assert CitizenProfile.objects.count() == 0


def test_an_id_token_of_another_login_cannot_be_replayed(portal_login_on, client):
    """The nonce ties a token to the login that asked for it: a second login with the first login's code fails."""
    first = choose_persona(start(client), "citizen")
    start(client)  # a new login: new state, nonce and verifier in the session
    response = client.get(local(first), follow=True)
    assert logged_in_user(client) is None and CitizenProfile.objects.count() == 0
    assert "Đăng nhập không thành công" in response.content.decode()
