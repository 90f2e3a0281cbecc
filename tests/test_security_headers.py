"""Every page carries the browser-side protections: Content-Security-Policy without inline script or style,
Permissions-Policy, and over HTTPS Strict-Transport-Security (one year by default in production)."""

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("url", ["/", "/tra-cuu-ho-so/", "/dang-nhap/", "/api/v1/lookup?code=X&phone=1"])
def test_pages_and_api_answers_carry_the_security_headers(client, url):
    response = client.get(url, secure=True)
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "script-src 'self'" in policy and "style-src 'self'" in policy
    assert "unsafe-inline" not in policy and "frame-ancestors 'none'" in policy
    assert (
        "camera=()" in response["Permissions-Policy"] and "geolocation=()" in response["Permissions-Policy"]
    )
    assert response["Strict-Transport-Security"] == "max-age=31536000"


def test_no_template_carries_an_inline_script_style_or_handler():
    import re
    from pathlib import Path

    import motcua

    inline = re.compile(
        r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>|<style|\sstyle=\"|\son[a-z]+=\""
    )
    offenders = [
        str(path.relative_to(Path(motcua.__file__).parent))
        for path in Path(motcua.__file__).parent.rglob("templates/**/*.html")
        if inline.search(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []


def test_behind_a_tls_proxy_hsts_follows_x_forwarded_proto(client, settings):
    import os
    import subprocess
    import sys

    environment = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "DJANGO_SETTINGS_MODULE"}}
    environment |= {"SECRET_KEY": "x", "SECURE_PROXY_SSL": "1"}
    printed = subprocess.run(
        [sys.executable, "-c", "import motcua.settings as s; print(s.SECURE_PROXY_SSL_HEADER)"],
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
    ).stdout
    assert "HTTP_X_FORWARDED_PROTO" in printed
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    proxied = client.get("/", HTTP_X_FORWARDED_PROTO="https")
    assert proxied["Strict-Transport-Security"] == "max-age=31536000"
    assert "Strict-Transport-Security" not in client.get("/")  # plain HTTP, as the proxy says
