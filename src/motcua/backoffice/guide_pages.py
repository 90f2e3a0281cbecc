"""The user guides (the Markdown files in `guides/`, packaged with the application) rendered to HTML.

The guides use a small subset of Markdown, converted here so that no extra package is needed: headings (`#`,
`##`, `###`), paragraphs, bulleted (`-`) and numbered (`1.`) lists with indented continuation lines, pictures on a
line of their own (`![text](img/name.png)`), **bold**, `code` and links. Everything else is shown as text;
the text is escaped, so a guide cannot put markup in the page.
"""

import re
from pathlib import Path

from django.urls import reverse
from django.utils.html import escape
from django.utils.translation import gettext_lazy as _

from motcua.org.models import Role

GUIDES = Path(__file__).resolve().parent / "guides"
IMAGES = GUIDES / "img"

# The guide of each staff role; the fee collection is done by the reception officer, whose home page also links
# to it.
GUIDE = _("Hướng dẫn sử dụng")
ROLE_GUIDES = {
    Role.RECEPTION_OFFICER: (("can-bo-tiep-nhan", GUIDE), ("thu-phi", _("Hướng dẫn thu phí, lệ phí"))),
    Role.SPECIALIST: (("chuyen-vien", GUIDE),),
    Role.LEADER: (("lanh-dao", GUIDE),),
    Role.CLERK: (("van-thu", GUIDE),),
    Role.SUPERVISOR: (("giam-sat", GUIDE),),
    Role.ADMINISTRATOR: (("quan-tri", GUIDE),),
}
CITIZEN_GUIDE = "cong-dan"
INDEX = "README"

SLUG = re.compile(r"^[a-z0-9-]+$")
IMAGE_NAME = re.compile(r"^[a-z0-9-]+\.png$")
HEADING = re.compile(r"^(#{1,3})\s+(.*)$")
IMAGE_LINE = re.compile(r"^!\[([^\]]*)\]\(([^)\s]+)\)$")
BULLET = re.compile(r"^[-*]\s+(.*)$")
NUMBERED = re.compile(r"^\d+\.\s+(.*)$")
INLINE = re.compile(r"\*\*(.+?)\*\*|`([^`]+)`|\[([^\]]+)\]\(([^)\s]+)\)")


def guide_path(slug: str) -> Path | None:
    """The Markdown file of a guide, or None when there is none by that name."""
    if not SLUG.match(slug) and slug != INDEX:
        return None
    path = GUIDES / f"{slug}.md"
    return path if path.is_file() else None


def image_path(name: str) -> Path | None:
    if not IMAGE_NAME.match(name):
        return None
    path = IMAGES / name
    return path if path.is_file() else None


def _target(url: str) -> str:
    """Where a link or picture of a guide points on the site: other guides and their pictures are served here."""
    if url.startswith("img/"):
        return reverse("guide_image", kwargs={"name": url.removeprefix("img/")})
    if url.endswith(".md") and "/" not in url:
        slug = url.removesuffix(".md")
        return reverse("guides") if slug == INDEX else reverse("guide", kwargs={"slug": slug})
    if url.startswith(("https://", "http://", "/", "#")):
        return url
    return "#"


def inline(text: str) -> str:
    """Escaped text with bold, code and links."""
    out, last = [], 0
    for match in INLINE.finditer(text):
        out.append(escape(text[last : match.start()]))
        bold, code, label, url = match.groups()
        if bold is not None:
            out.append(f"<strong>{inline(bold)}</strong>")
        elif code is not None:
            out.append(f"<code>{escape(code)}</code>")
        else:
            out.append(f'<a href="{escape(_target(url))}">{inline(label)}</a>')
        last = match.end()
    out.append(escape(text[last:]))
    return "".join(out)


def to_html(markdown: str) -> str:
    """The guide's HTML (see the module's description for the Markdown understood)."""
    html: list[str] = []
    paragraph: list[str] = []
    items: list[list[str]] = []
    list_tag = ""

    def flush_paragraph():
        if paragraph:
            html.append(f"<p>{inline(' '.join(paragraph))}</p>")
            paragraph.clear()

    def flush_list():
        nonlocal list_tag
        if items:
            rendered = "".join(f"<li>{inline(' '.join(item))}</li>" for item in items)
            html.append(f"<{list_tag}>{rendered}</{list_tag}>")
            items.clear()
        list_tag = ""

    for raw in markdown.splitlines():
        line = raw.strip()
        if not line:
            flush_paragraph()
            continue
        if items and raw.startswith((" ", "\t")) and not BULLET.match(line) and not NUMBERED.match(line):
            items[-1].append(line)  # continuation of a list item
            continue
        heading = HEADING.match(line)
        image = IMAGE_LINE.match(line)
        bullet = BULLET.match(line)
        numbered = NUMBERED.match(line)
        if heading:
            flush_paragraph()
            flush_list()
            level = len(heading.group(1))
            html.append(f"<h{level}>{inline(heading.group(2))}</h{level}>")
        elif image:
            flush_paragraph()
            flush_list()
            alt, url = image.groups()
            html.append(
                f'<figure class="guide-picture"><img src="{escape(_target(url))}" alt="{escape(alt)}" '
                f'loading="lazy"><figcaption>{escape(alt)}</figcaption></figure>'
            )
        elif bullet or numbered:
            flush_paragraph()
            tag = "ul" if bullet else "ol"
            if list_tag and list_tag != tag:
                flush_list()
            list_tag = tag
            items.append([(bullet or numbered).group(1)])
        else:
            if items:
                flush_list()
            paragraph.append(line)
    flush_paragraph()
    flush_list()
    return "\n".join(html)


def title_of(markdown: str) -> str:
    for line in markdown.splitlines():
        heading = HEADING.match(line.strip())
        if heading and len(heading.group(1)) == 1:
            return heading.group(2)
    return ""
