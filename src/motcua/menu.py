"""The staff menu: a registry every app adds its screens to, rendered per role on the home page.

Register from your app's `AppConfig.ready()`:

    from motcua import menu

    menu.register(
        key="dossiers.inbox.new",
        label=_("Mới tiếp nhận"),
        url_name="dossiers:inbox",            # reversed at render time; entries that do not resolve are hidden
        query="state=received",               # optional query string
        roles=("reception_officer",),         # who sees it; empty = every staff member
        group=_("Tiếp nhận hồ sơ"),           # UX.md's menu groups
        order=10,
        count=lambda user: inbox_count(user), # optional badge
    )

Entries are shown to users holding one of `roles` today (a superuser sees the entries of the roles they are
assigned plus the administrator's). `visible` (a callable taking the user) narrows further.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.urls import NoReverseMatch, reverse

_entries: dict[str, "MenuEntry"] = {}


@dataclass(frozen=True)
class MenuEntry:
    key: str
    label: str
    url_name: str
    roles: tuple[str, ...] = ()
    group: str = ""
    order: int = 100
    query: str = ""
    url_kwargs: dict = field(default_factory=dict)
    description: str = ""
    count: Callable | None = None
    visible: Callable | None = None

    def url(self) -> str | None:
        try:
            url = reverse(self.url_name, kwargs=self.url_kwargs or None)
        except NoReverseMatch:
            return None
        return f"{url}?{self.query}" if self.query else url


@dataclass
class ResolvedEntry:
    entry: MenuEntry
    url: str
    count: int | None

    @property
    def label(self):
        return self.entry.label

    @property
    def description(self):
        return self.entry.description


def register(key: str, label, url_name: str, **options) -> MenuEntry:
    """Add (or replace, by key) a menu entry."""
    options["roles"] = tuple(options.get("roles", ()))
    entry = MenuEntry(key=key, label=label, url_name=url_name, **options)
    _entries[key] = entry
    return entry


def unregister(key: str) -> None:
    _entries.pop(key, None)


def all_entries() -> list[MenuEntry]:
    return sorted(_entries.values(), key=lambda e: (e.order, e.key))


def entries_for(user, role: str | None) -> list[ResolvedEntry]:
    """The entries for `role` (or, with role None, those open to every staff member) the user may open."""
    resolved = []
    for entry in all_entries():
        if role is None and entry.roles:
            continue
        if role is not None and role not in entry.roles:
            continue
        if entry.visible is not None and not entry.visible(user):
            continue
        url = entry.url()
        if url is None:
            continue
        resolved.append(ResolvedEntry(entry, url, entry.count(user) if entry.count else None))
    return resolved


def grouped(entries: list[ResolvedEntry]) -> list[tuple[str, list[ResolvedEntry]]]:
    groups: dict[str, list[ResolvedEntry]] = {}
    for item in entries:
        groups.setdefault(str(item.entry.group), []).append(item)
    return list(groups.items())
