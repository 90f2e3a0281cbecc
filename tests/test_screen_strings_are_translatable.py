"""Every Vietnamese string a person reads goes through gettext, and the English catalogs translate all of them.

The Python scan reads the source (AST): a string literal with Vietnamese letters that is not the argument of a
gettext function fails, except in the places listed below with their reason. Docstrings, comments, migrations,
tests and demo data are not read. The template scan fails on text with Vietnamese letters outside
``{% translate %}`` / ``{% blocktranslate %}``.
"""

import ast
import re
from pathlib import Path

import polib
import pytest
from django.template.base import Lexer, TokenType

import motcua

SRC = Path(motcua.__file__).resolve().parent
VIETNAMESE = re.compile(
    r"[àáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđ]", re.IGNORECASE
)
GETTEXT = {
    "_",
    "gettext",
    "gettext_lazy",
    "gettext_noop",
    "pgettext",
    "pgettext_lazy",
    "ngettext",
    "ngettext_lazy",
    "npgettext",
    "npgettext_lazy",
}

# Whole modules whose Vietnamese is data, not screen text.
DATA_MODULES = {
    "catalog/demo_data.py": "demo data",
    "catalog/spreadsheet/layout.py": "the column headings of the catalog spreadsheet (an exchange format)",
    "catalog/spreadsheet/write.py": "the Có/Không of the catalog spreadsheet (an exchange format)",
    "catalog/text.py": "the letters folded for searching",
    "dossiers/pdf_forms.py": "the legal forms (Circular 01/2018/TT-VPCP), printed in Vietnamese whatever the screen",
    "documents/results.py": "the generated result document, printed in Vietnamese",
    "payments/printing.py": "the legal receipt, printed in Vietnamese",
    "payments/reports.py": "the statutory fee report file, in Vietnamese",
    "payments/words.py": "amounts written in Vietnamese words, as the receipt requires",
    "printing/document.py": "the printed documents' national heading",
    "notifications/defaults.py": "default message templates, stored and edited in the database",
    "national_portal/simulator/oidc.py": "a stand-in of the national portal: its replies are that system's words",
    "national_portal/simulator/pushes.py": "a stand-in of the national portal: its replies are that system's words",
    "national_portal/simulator/sample_data.py": "a stand-in of the national portal: its replies are that system's words",
    "national_portal/simulator/server.py": "a stand-in of the national portal: its replies are that system's words",
    "national_portal/simulator/sync.py": "a stand-in of the national portal: its replies are that system's words",
    "national_portal/simulator/validation.py": "a stand-in of the national portal: its replies are that system's words",
    "integrations/payment/sandbox_server.py": "a stand-in of the payment platform: its pages are that system's",
    "payments/tax_sandbox.py": "a stand-in of the tax authority's e-receipt service: its replies are that system's",
    "workdays/core.py": "the Django-free calendar core (holiday names and spoken durations): known gap, no gettext",
}
# Single strings: (module, string) -> reason.
ALLOWED = {
    ("conf.py", "The unit's code at the portal (mã đơn vị)."): "English documentation naming a portal term",
    ("catalog/templatetags/catalog_tags.py", " đ"): "the currency sign",
    ("documents/signing.py", "Trung tâm Hành chính công (DEMO)"): "the demo certificate's subject",
    ("documents/signing.py", "Việt Nam"): "a certificate's country field",
    ("integrations/national_portal.py", "đã tồn tại"): "a word matched in the portal's replies",
    ("integrations/national_portal.py", "thành công"): "a word matched in the portal's replies",
    ("integrations/national_portal.py", "phiên"): "a word matched in the portal's replies",
    ("integrations/national_portal.py", "kết nối Cổng DVCQG"): "a registry's kind, in developers' errors",
    ("integrations/payment/base.py", "cổng thanh toán"): "a registry's kind, in developers' errors",
    ("integrations/tax_receipts/base.py", "kết nối cơ quan thuế"): "a registry's kind, in developers' errors",
    ("notifications/notifiers.py", "kênh gửi thông báo"): "a registry's kind, in developers' errors",
    ("citizens/login_providers.py", "nhà cung cấp đăng nhập"): "a registry's kind, in developers' errors",
    ("national_portal/catalog_pull.py", "ngày làm việc"): "a unit word of the portal's catalog",
    ("national_portal/catalog_pull.py", "giờ làm việc"): "a unit word of the portal's catalog",
    ("national_portal/catalog_pull.py", "ngày"): "a unit word of the portal's catalog",
    ("national_portal/catalog_pull.py", "trong ngày"): "a unit word of the portal's catalog",
    ("national_portal/payloads.py", "Hệ thống"): "sent to the portal as the actor's name",
    ("national_portal/questions.py", "Cổng Dịch vụ công quốc gia"): "a system account's stored name",
    ("payments/fees.py", "Hệ thống thanh toán trực tuyến"): "a system account's stored name",
    ("feedback/retention.py", "Ẩn danh"): "the stored name of an anonymised sender",
    ("citizens/retention.py", " (lưu lúc "): "the retention log's record description (stored)",
}


def _skipped(relative: Path) -> bool:
    parts = relative.parts
    return (
        "tests" in parts
        or "migrations" in parts
        or "management" in parts  # administrators' console commands, not screens
        or relative.name.startswith("demo")
        or relative.name == "test_settings.py"
        or relative.as_posix() in DATA_MODULES
    )


def _docstrings(tree) -> set:
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                found.add(first.value)
    return found


def _in_gettext(node, parents) -> bool:
    parent = parents.get(node)
    while parent is not None:
        if isinstance(parent, ast.Call):
            name = getattr(parent.func, "id", None) or getattr(parent.func, "attr", None)
            if name in GETTEXT:
                return True
        parent = parents.get(parent)
    return False


def untranslated_python_strings() -> list[tuple[str, int, str]]:
    found = []
    for path in sorted(SRC.rglob("*.py")):
        relative = path.relative_to(SRC)
        if _skipped(relative):
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        parents = {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}
        docstrings = _docstrings(tree)
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Constant)
                and isinstance(node.value, str)
                and VIETNAMESE.search(node.value)
                and node not in docstrings
                and (relative.as_posix(), node.value) not in ALLOWED
                and not _in_gettext(node, parents)
            ):
                found.append((relative.as_posix(), node.lineno, node.value))
    return found


def untranslated_template_text() -> list[tuple[str, int, str]]:
    found = []
    for path in sorted(SRC.glob("**/templates/**/*")):
        if not path.is_file() or path.suffix not in {".html", ".txt", ".xml", ".svg"}:
            continue
        inside = 0
        for token in Lexer(path.read_text(encoding="utf-8")).tokenize():
            if token.token_type == TokenType.BLOCK:
                tag = (token.contents.split() or [""])[0]
                inside += {
                    "blocktranslate": 1,
                    "blocktrans": 1,
                    "endblocktranslate": -1,
                    "endblocktrans": -1,
                }.get(tag, 0)
            elif token.token_type == TokenType.TEXT and not inside and VIETNAMESE.search(token.contents):
                found.append((str(path.relative_to(SRC)), token.lineno, token.contents.strip()[:80]))
    return found


def test_the_scan_finds_a_vietnamese_literal_outside_gettext(tmp_path):
    tree = ast.parse('label = "Hồ sơ"\nshown = _("Hồ sơ")\n')
    parents = {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}
    literals = [n for n in ast.walk(tree) if isinstance(n, ast.Constant)]
    assert [_in_gettext(n, parents) for n in literals] == [False, True]


def test_no_vietnamese_screen_string_outside_gettext_in_python():
    assert untranslated_python_strings() == []


def test_no_vietnamese_text_outside_translate_tags_in_templates():
    assert untranslated_template_text() == []


def test_every_allowed_string_is_still_there():
    """An allowance that no longer matches anything is removed, so the list stays short and true."""
    for module, string in ALLOWED:
        assert string in (SRC / module).read_text(encoding="utf-8"), (module, string)
    for module in DATA_MODULES:
        assert (SRC / module).exists(), module


CATALOGS = sorted(SRC.glob("**/locale/en/LC_MESSAGES/django.po"))


@pytest.mark.parametrize("po_path", CATALOGS, ids=lambda p: p.relative_to(SRC).parts[0])
def test_every_message_has_an_english_translation(po_path):
    missing = []
    for entry in polib.pofile(str(po_path)):
        if entry.obsolete or not entry.msgid:
            continue
        translated = all(entry.msgstr_plural.values()) if entry.msgid_plural else bool(entry.msgstr)
        if "fuzzy" in entry.flags or not translated:
            missing.append(entry.msgid)
    assert missing == []


def _source_msgids() -> set[str]:
    """The Vietnamese msgids of the Python source (gettext calls with a literal first argument)."""
    found = set()
    for path in SRC.rglob("*.py"):
        relative = path.relative_to(SRC)
        if "tests" in relative.parts or "migrations" in relative.parts or relative.name == "test_settings.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call) or not node.args:
                continue
            name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
            if name not in GETTEXT:
                continue
            position = 1 if name.startswith(("pgettext", "npgettext")) else 0
            if len(node.args) > position and isinstance(node.args[position], ast.Constant):
                value = node.args[position].value
                if isinstance(value, str) and VIETNAMESE.search(value):
                    found.add(value)
    return found


def test_every_vietnamese_message_of_the_source_is_in_an_english_catalog():
    catalogued = {
        entry.msgid for po_path in CATALOGS for entry in polib.pofile(str(po_path)) if not entry.obsolete
    }
    assert sorted(_source_msgids() - catalogued) == []


def test_the_api_documentation_follows_the_language():
    from django.utils import translation

    from motcua.api.urls import api

    def documented(language):
        with translation.override(language):
            operation = api.get_openapi_schema()["paths"]["/api/v1/procedures"]["get"]
            return str(operation["summary"]), [str(tag) for tag in operation["tags"]]

    assert documented("en") == ("Search administrative procedures", ["Administrative procedures"])
    assert documented("vi") == ("Tìm kiếm thủ tục hành chính", ["Thủ tục hành chính"])


def test_calendar_errors_and_weekday_names_follow_the_language():
    from django.utils import translation

    from motcua.workdays import core, services

    with translation.override("en"), pytest.raises(core.InvalidDate, match="write it with 4 digits"):
        services.parse_year("20x6")
    with translation.override("en"):
        assert [str(day) for day in services.WEEKDAY_HEADERS] == [
            "Mon",
            "Tue",
            "Wed",
            "Thu",
            "Fri",
            "Sat",
            "Sun",
        ]
        assert services.describe_working_hours(core.DEFAULT_WORKING_HOURS)[0].startswith("Monday")
    with translation.override("vi"):
        assert services.describe_working_hours(core.DEFAULT_WORKING_HOURS)[0].startswith("Thứ Hai")
