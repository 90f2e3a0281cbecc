"""Every setting is declared once, in motcua/conf.py, and docs/CONFIGURATION.md is generated from it: a setting read
anywhere in the code and not declared, or a document out of date, fails here."""

import ast
from pathlib import Path

import pytest
from django.conf import global_settings
from django.core.management import CommandError, call_command

from motcua import conf
from motcua.national_portal import conf as portal_conf

SRC = Path(conf.__file__).resolve().parent
SKIPPED = {"test_settings.py", "conftest.py"}


def _modules():
    for path in sorted(SRC.rglob("*.py")):
        parts = set(path.relative_to(SRC).parts)
        if "tests" in parts or "migrations" in parts or path.name in SKIPPED:
            continue
        yield path, ast.parse(path.read_text(encoding="utf-8"))


def _is_os_environ(node) -> bool:
    return (
        isinstance(node, ast.Attribute) and node.attr == "environ" and getattr(node.value, "id", "") == "os"
    )


def _literal(node) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def _reads_a_variable(func, path: Path) -> bool:
    """os.environ.get(...), or one of the settings' env(...) helpers."""
    if isinstance(func, ast.Attribute):
        return func.attr == "get" and _is_os_environ(func.value)
    return path.name == "settings.py" and getattr(func, "id", "") in {"env", "env_bool", "env_list"}


def read_in_source() -> tuple[dict, dict, dict]:
    """(environment variables, settings read with getattr, settings read as attributes), each by where."""
    variables, by_getattr, by_attribute = {}, {}, {}
    for path, tree in _modules():
        where = str(path.relative_to(SRC))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call):
                func, args = node.func, [_literal(arg) for arg in node.args]
                if getattr(func, "id", "") == "getattr" and getattr(node.args[0], "id", "") == "settings":
                    if len(args) > 1 and args[1]:
                        by_getattr.setdefault(args[1], where)
                elif not args or args[0] is None:
                    continue
                elif _reads_a_variable(func, path):
                    variables.setdefault(args[0], where)
            elif isinstance(node, ast.Subscript) and _is_os_environ(node.value):
                name = _literal(node.slice)
                if name and isinstance(node.ctx, ast.Load):
                    variables.setdefault(name, where)
            elif (
                isinstance(node, ast.Attribute)
                and getattr(node.value, "id", "") == "settings"
                and node.attr.isupper()
            ):
                by_attribute.setdefault(node.attr, where)
    return variables, by_getattr, by_attribute


def _assigned_in_settings() -> set[str]:
    tree = ast.parse((SRC / "settings.py").read_text(encoding="utf-8"))
    return {
        target.id
        for node in ast.walk(tree)
        if isinstance(node, ast.Assign)
        for target in node.targets
        if isinstance(target, ast.Name)
    }


def test_every_environment_variable_read_is_declared():
    variables, _getattr, _attribute = read_in_source()
    assert "DATABASE_URL" in variables and "MOTCUA_WEB_THREADS" in variables  # the scan sees both kinds
    variables.update({portal_conf.env_name(key): "national_portal/conf.py" for key in portal_conf.KEYS})
    missing = {name: where for name, where in variables.items() if name not in conf.VARIABLES}
    assert missing == {}, "declare these in motcua/conf.py"


def test_every_setting_read_with_a_default_is_declared():
    _variables, by_getattr, _attribute = read_in_source()
    assert "MOTCUA_UPLOAD_MAX_BYTES" in by_getattr
    missing = {name: where for name, where in by_getattr.items() if name not in conf.NAMES}
    assert missing == {}, "declare these in motcua/conf.py"


def test_every_setting_read_as_an_attribute_is_declared_or_fixed_in_settings():
    _variables, _getattr, by_attribute = read_in_source()
    known = conf.NAMES | _assigned_in_settings() | set(dir(global_settings))
    missing = {name: where for name, where in by_attribute.items() if name not in known}
    assert missing == {}, "declare these in motcua/conf.py"


def test_every_declared_variable_is_read_somewhere():
    variables, _getattr, _attribute = read_in_source()
    variables.update({portal_conf.env_name(key): "national_portal/conf.py" for key in portal_conf.KEYS})
    assert sorted(conf.VARIABLES - set(variables)) == []


def test_every_declaration_says_its_type_default_and_meaning():
    for setting in conf.SETTINGS:
        assert setting.variable or setting.setting
        assert setting.type in {"str", "bool", "int", "float", "list", "path", "url", "dict"}, setting
        assert setting.meaning.strip() and "\n" not in setting.meaning, setting
    variables = [s.variable for s in conf.SETTINGS if s.variable]
    assert len(variables) == len(set(variables)), "a variable declared twice"


def test_the_committed_configuration_document_is_the_generated_one():
    call_command("configuration_doc", "--check")


def test_an_out_of_date_document_is_reported(tmp_path):
    stale = tmp_path / "CONFIGURATION.md"
    stale.write_text(conf.markdown().replace("SECRET_KEY", "SECRET"), encoding="utf-8")
    with pytest.raises(CommandError, match="out of date"):
        call_command("configuration_doc", "--check", output=stale)
    call_command("configuration_doc", output=stale)
    assert stale.read_text(encoding="utf-8") == conf.markdown()


def test_settings_refuse_an_undeclared_variable():
    from django.core.exceptions import ImproperlyConfigured

    from motcua import settings

    with pytest.raises(ImproperlyConfigured, match="not declared"):
        settings.env("MOTCUA_NOT_A_SETTING")
