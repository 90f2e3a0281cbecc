"""The pages work under the Content-Security-Policy: no script or style of theirs is refused, and the behaviours
that were inline handlers (language switch, print button) still work from the static script."""

from playwright.sync_api import expect

from motcua.catalog.tests.factories import ProcedureFactory


def watch_refusals(page) -> list[str]:
    refused: list[str] = []
    page.on(
        "console",
        lambda message: refused.append(message.text) if "Content Security Policy" in message.text else None,
    )
    return refused


def test_public_pages_load_without_a_policy_violation(page, transactional_db):
    procedure = ProcedureFactory(code="1.001193", name="Đăng ký khai sinh")
    refused = watch_refusals(page)
    for url in ("/", "/tra-cuu-ho-so/", "/danh-gia/kiosk/", f"/thu-tuc/{procedure.code}/", "/thanh-toan/"):
        response = page.goto(url)
        assert "script-src 'self'" in response.headers["content-security-policy"], url
        assert "camera=()" in response.headers["permissions-policy"], url
    page.goto("/api/v1/docs")
    expect(page.locator(".swagger-ui .info")).to_be_visible()
    assert refused == []


def test_the_language_switch_and_the_print_button_work_without_inline_handlers(page, transactional_db):
    procedure = ProcedureFactory(code="1.001193", name="Đăng ký khai sinh")
    refused = watch_refusals(page)
    page.add_init_script("window.print = () => { window.printed = true; };")
    page.goto(f"/thu-tuc/{procedure.code}/")
    page.get_by_role("button", name="In trang").click()
    assert page.evaluate("window.printed") is True
    page.locator("#lang").select_option("en")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    assert refused == []
