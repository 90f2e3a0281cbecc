"""The national emblem of the top bar, when the deployment provides it (settings.MOTCUA_EMBLEM)."""

import logging

from django import template
from django.conf import settings
from django.templatetags.static import static

register = template.Library()
logger = logging.getLogger(__name__)


@register.inclusion_tag("citizens/_emblem.html")
def national_emblem():
    """The emblem image (a static file the deployment provides), or nothing when none is configured or found."""
    path = (getattr(settings, "MOTCUA_EMBLEM", "") or "").strip()
    if not path:
        return {"url": ""}
    try:
        url = static(path)
    except ValueError:  # not collected (manifest storage): show no emblem rather than break every page
        logger.warning("national emblem not found among the static files", extra={"path": path})
        url = ""
    return {"url": url}
