"""Public procedure search: diacritics-, case- and word-order-insensitive, with filters.

Every query word must begin a word of the procedure's folded search text (code, name, field, agency), in any
order; the word prefixes are stored in SearchTerm and matched by an indexed equality.
Ranking: the code itself, then the exact name, then the same words in another order, then names starting with
the query; ties go to the shorter name, then the code. The folded columns are stored on the row (see
`Procedure.refresh_search`), so a search is one indexed lookup per query word: no scan, no per-row Python.
"""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db.models import Case, Count, IntegerField, Q, QuerySet, Value, When
from django.db.models.functions import Length
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.org.models import Agency

from .models import MAX_TERM_LENGTH, AdminLevelCode, Field, OnlineLevel, Procedure, ProcedureImplementation
from .text import fold, tokens, word_set_key

MAX_QUERY_WORDS = 12
MAX_QUERY_LENGTH = 200


@dataclass(frozen=True)
class ProcedureFilters:
    q: str = ""
    agency: str = ""  # identity code or short name
    field: str = ""  # field code
    level: str = ""  # province | district | commune
    online_level: str = ""  # full | partial | none
    on_the_spot: bool | None = None


def validate_filters(filters: ProcedureFilters) -> None:
    """Raise ValidationError (Vietnamese, per field) for filter values that cannot match anything sensible."""
    errors = {}
    if len(filters.q) > MAX_QUERY_LENGTH:
        errors["q"] = _("Từ khóa quá dài (tối đa %(n)d ký tự).") % {"n": MAX_QUERY_LENGTH}
    if filters.online_level and filters.online_level not in OnlineLevel.values:
        errors["online_level"] = _("Mức độ trực tuyến phải là một trong: full, partial, none.")
    if filters.level and filters.level not in AdminLevelCode.values:
        errors["level"] = _("Cấp thực hiện phải là một trong: province, district, commune.")
    if errors:
        raise ValidationError(errors)


def search_procedures(filters: ProcedureFilters, published_only: bool = True) -> QuerySet[Procedure]:
    """Published procedures matching `filters`, best match first."""
    validate_filters(filters)
    queryset = Procedure.objects.select_related("field", "resolving_agency")
    if published_only:
        queryset = queryset.published()
    if filters.agency:
        # Any agency that implements the procedure today (the default resolving agency has an implementation
        # too), not only the default one.
        # The agency first (one small query), so that the implementations are read through their
        # (agency, procedure) index rather than joined to every agency.
        today = timezone.localdate()
        agency_ids = list(
            Agency.objects.valid_on(today)
            .filter(Q(identity_code=filters.agency) | Q(short_name=filters.agency))
            .values_list("pk", flat=True)
        )
        implementing = ProcedureImplementation.objects.filter(
            Q(valid_from__isnull=True) | Q(valid_from__lte=today),
            Q(valid_to__isnull=True) | Q(valid_to__gte=today),
            agency_id__in=agency_ids,
        )
        queryset = queryset.filter(pk__in=implementing.values("procedure_id"))
    if filters.field:
        queryset = queryset.filter(field__code=filters.field)
    if filters.level:
        queryset = queryset.filter(levels__contains=filters.level)
    if filters.online_level:
        queryset = queryset.filter(online_level=filters.online_level)
    if filters.on_the_spot is not None:
        queryset = queryset.filter(on_the_spot=filters.on_the_spot)

    words = tokens(filters.q)[:MAX_QUERY_WORDS]
    if not words:
        return queryset.order_by("code")
    # One join per word (each word must begin some word of the procedure); longer words first, as they are
    # usually rarer, so the database starts from the smallest set of terms.
    for word in sorted(words, key=len, reverse=True):
        queryset = queryset.filter(search_terms__term=word[:MAX_TERM_LENGTH])
    folded = fold(filters.q)
    rank = Case(
        When(code=filters.q.strip(), then=Value(0)),
        When(search_name=folded, then=Value(1)),
        When(search_key=word_set_key(filters.q), then=Value(2)),
        When(search_name__startswith=folded, then=Value(3)),
        default=Value(4),
        output_field=IntegerField(),
    )
    return queryset.annotate(rank=rank).order_by("rank", Length("search_name"), "code")


def agencies_with_counts() -> QuerySet[Agency]:
    """Agencies that implement at least one published procedure today, with `procedure_count`."""
    today = timezone.localdate()
    published = (
        Q(implementations__procedure__status=Procedure.Status.PUBLISHED)
        & (Q(implementations__valid_from__isnull=True) | Q(implementations__valid_from__lte=today))
        & (Q(implementations__valid_to__isnull=True) | Q(implementations__valid_to__gte=today))
    )
    return (
        Agency.objects.valid_on(today)
        .annotate(procedure_count=Count("implementations__procedure", filter=published, distinct=True))
        .filter(procedure_count__gt=0)
        .order_by("name")
    )


def fields_with_counts() -> QuerySet[Field]:
    """Fields with at least one published procedure, with `procedure_count`."""
    published = Q(procedures__status=Procedure.Status.PUBLISHED)
    return (
        Field.objects.annotate(procedure_count=Count("procedures", filter=published))
        .filter(procedure_count__gt=0)
        .order_by("name")
    )


def get_public_procedure(code: str) -> Procedure:
    """The procedure with `code` as the public may see it (published or retired, never a draft), with its
    documents, fees and agencies; raises Procedure.DoesNotExist."""
    return (
        Procedure.objects.exclude(status=Procedure.Status.DRAFT)
        .select_related("field", "resolving_agency", "superseded_by")
        .prefetch_related("documents", "fees", "cooperating_agencies")
        .get(code=code)
    )
