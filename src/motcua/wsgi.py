import os

from django.core.exceptions import ImproperlyConfigured
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "motcua.settings")
application = get_wsgi_application()

# A production server does not start with a sandbox, a demo secret or a demo certificate (motcua.safety).
from motcua import safety  # noqa: E402

_problems = safety.run_production_checks()
if _problems:
    raise ImproperlyConfigured("\n".join(str(problem) for problem in _problems))
