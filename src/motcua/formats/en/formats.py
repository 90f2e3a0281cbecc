"""English screens of a Vietnamese system still show and read dates as dd/mm/yyyy."""

from django.conf.locale.en.formats import *  # noqa: F403

from motcua.formats.vi.formats import (  # noqa: F401
    DATE_FORMAT,
    DATE_INPUT_FORMATS,
    DATETIME_FORMAT,
    DATETIME_INPUT_FORMATS,
    SHORT_DATE_FORMAT,
    SHORT_DATETIME_FORMAT,
)
