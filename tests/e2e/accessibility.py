"""Accessibility checks of every page the browser tests visit (axe-core, vendored in ./axe).

Every browser context made by the `browser` fixture is watched:
- each page that loads runs axe-core once its own scripts have run, at the width the test uses (desktop), and
  reports its critical and serious violations;
- after the test body, every address the test opened on the live server is opened again at a phone's width
  (360 px) in the same context (same login), and at desktop width too when the test left it before axe had
  finished; the pages still open are checked as they are.

A test fails on any critical or serious violation (see `conftest.pytest_runtest_call`). `assert_accessible(page)`
checks one page in the state a test has brought it to.
"""

from pathlib import Path
from urllib.parse import urldefrag, urlsplit

AXE = Path(__file__).parent / "axe" / "axe.min.js"
FAILING_IMPACTS = ("critical", "serious")
DESKTOP = {"width": 1280, "height": 720}
PHONE = {"width": 360, "height": 740}

# Defines window.__motcuaAxeCheck() (one axe run per page, shared by the automatic and the explicit check) and
# runs it after each load of a top-level HTML page, reporting through the exposed binding.
CHECK_SCRIPT = """
(() => {
  if (window.top !== window) { return; }
  const failing = %(impacts)s;
  window.__motcuaAxeCheck = () => {
    if (!window.__motcuaAxeRun) {
      window.__motcuaAxeRun = window.axe.run(document, { resultTypes: ["violations"] }).then((result) => ({
        url: location.href,
        width: window.innerWidth,
        violations: result.violations.filter((v) => failing.includes(v.impact)).map((v) => ({
          id: v.id,
          impact: v.impact,
          help: v.help,
          nodes: v.nodes.slice(0, 5).map((n) => n.target.join(" ")),
        })),
      }));
    }
    return window.__motcuaAxeRun;
  };
  window.addEventListener("load", () => {
    if (document.contentType !== "text/html" || !window.axe) { return; }
    setTimeout(() => {
      window.__motcuaAxeCheck().then((report) => window.motcuaAxeReport && window.motcuaAxeReport(report));
    }, 0);
  });
})();
""" % {"impacts": list(FAILING_IMPACTS)}  # noqa: UP031 (the script's braces)


# Pages that are not motcua's own screens: the interactive API documentation is django-ninja's Swagger UI, a
# developer tool served as its authors ship it.
NOT_CHECKED = ("/api/v1/docs",)


def _address(url: str) -> str:
    return urldefrag(url)[0]


def _checked(url: str) -> bool:
    return not urlsplit(url).path.startswith(NOT_CHECKED)


class AccessibilityWatch:
    """The contexts, addresses and axe reports of one test."""

    def __init__(self):
        self.contexts = []
        self.reports: list[dict] = []
        self.visited: dict[str, object] = {}  # address -> the context that opened it (its login)

    def attach(self, context, base_url: str = "") -> None:
        origin = urlsplit(base_url)[:2] if base_url else None
        context.add_init_script(path=str(AXE))
        context.add_init_script(script=CHECK_SCRIPT)
        context.expose_binding("motcuaAxeReport", lambda _source, report: self.reports.append(report))

        def follow(page):
            def navigated(frame):
                same_site = origin is None or urlsplit(frame.url)[:2] == origin
                if (
                    frame.parent_frame is None
                    and frame.url.startswith("http")
                    and same_site
                    and _checked(frame.url)
                ):
                    self.visited.setdefault(_address(frame.url), context)

            page.on("framenavigated", navigated)

        context.on("page", follow)
        self.contexts.append(context)

    def _check_open_pages(self) -> None:
        for context in self.contexts:
            for page in list(context.pages):
                try:
                    self.reports.append(check(page))
                except Exception:  # noqa: BLE001 (closed, navigating, or not an HTML page)
                    continue

    def _revisit(self, url: str, context, viewport: dict) -> None:
        try:
            page = context.new_page()
        except Exception:  # noqa: BLE001 (the test closed this context)
            return
        try:
            page.set_viewport_size(viewport)
            response = page.goto(url, wait_until="load")
            if response is None or "text/html" not in (response.header_value("content-type") or ""):
                return
            self.reports.append(check(page))
        except Exception:  # noqa: BLE001 (a download, or an address that only answers a form)
            return
        finally:
            page.close()

    def finish(self) -> list[dict]:
        """Check what is still open, revisit every address at phone width; the failing reports."""
        self._check_open_pages()
        checked_on_desktop = {_address(r["url"]) for r in self.reports if r["width"] > PHONE["width"]}
        for url, context in list(self.visited.items()):
            self._revisit(url, context, PHONE)
            if url not in checked_on_desktop:
                self._revisit(url, context, DESKTOP)
        failing, seen = [], set()
        for report in filter(lambda r: _checked(r["url"]), self.reports):
            for violation in report["violations"]:
                key = (_address(report["url"]), report["width"] <= PHONE["width"], violation["id"])
                if key not in seen:
                    seen.add(key)
                    failing.append({"url": report["url"], "width": report["width"], **violation})
        return failing


def check(page) -> dict:
    """Run axe-core on `page` as it is now; a report {url, width, violations (critical and serious)}."""
    if not page.evaluate("() => typeof window.__motcuaAxeCheck === 'function'"):
        page.add_script_tag(path=str(AXE))
        page.add_script_tag(content=CHECK_SCRIPT)
    page.evaluate("() => { window.__motcuaAxeRun = null; }")
    return page.evaluate("() => window.__motcuaAxeCheck()")


def describe(failing: list[dict]) -> str:
    lines = [f"{len(failing)} critical or serious accessibility violation(s) (axe-core):"]
    for v in failing:
        lines.append(
            f"- {v['impact']} {v['id']} at {v['url']} ({v['width']} px): {v['help']} — {'; '.join(v['nodes'])}"
        )
    return "\n".join(lines)


def assert_accessible(page) -> None:
    """Fail when `page`, as it is now, has a critical or serious axe-core violation."""
    report = check(page)
    failing = [{"url": report["url"], "width": report["width"], **v} for v in report["violations"]]
    assert not failing, describe(failing)
