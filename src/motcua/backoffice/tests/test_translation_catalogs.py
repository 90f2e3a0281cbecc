"""Committed .mo catalogs match their .po sources, and the shell switches between Vietnamese and English."""

from pathlib import Path

import polib
import pytest

import motcua

CATALOGS = sorted(Path(motcua.__file__).parent.glob("**/locale/*/LC_MESSAGES/django.po"))


def entries(catalog) -> dict:
    result = {}
    for entry in catalog:
        if entry.obsolete or "fuzzy" in entry.flags or not entry.msgid:
            continue
        if entry.msgid_plural:
            forms = {int(k): v for k, v in entry.msgstr_plural.items()}
            if any(forms.values()):
                result[(entry.msgctxt, entry.msgid, entry.msgid_plural)] = forms
        elif entry.msgstr:
            result[(entry.msgctxt, entry.msgid, None)] = entry.msgstr
    return result


def test_there_are_english_catalogs_for_the_foundation_apps():
    apps = {p.relative_to(Path(motcua.__file__).parent).parts[0] for p in CATALOGS}
    assert {"org", "accounts", "audit", "backoffice", "locale"} <= apps


@pytest.mark.parametrize("po_path", CATALOGS, ids=lambda p: str(p.parent.parent.parent.parent.name))
def test_compiled_catalog_is_in_sync_with_its_source(po_path):
    mo_path = po_path.with_suffix(".mo")
    assert mo_path.exists(), f"{mo_path} is missing: run compilemessages"
    assert entries(polib.pofile(str(po_path))) == entries(polib.mofile(str(mo_path))), (
        f"{mo_path} is out of date: run compilemessages and commit it"
    )


@pytest.mark.django_db
def test_vietnamese_by_default_and_english_on_request(client):
    assert "Đăng nhập" in client.get("/").content.decode()
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    page = client.get("/").content.decode()
    assert "Staff log in" in page and 'lang="en"' in page


@pytest.mark.django_db
def test_django_admin_speaks_vietnamese(client):
    page = client.get("/admin/login/").content.decode()
    assert "Quản trị motcua" in page
    assert "Tên đăng nhập" in page
