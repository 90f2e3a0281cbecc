"""Which dossiers a staff member sees: inboxes per role and agency (most urgent first) and search."""

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from motcua.org.models import Role
from motcua.org.permissions import agencies_in_scope, roles_of

from .models import Dossier
from .states import State

ACTIVE = (State.RECEIVED, State.IN_STEP, State.RESULT_READY)

# key -> (label, UX.md group)
BOXES = {
    "mine": (_("Hồ sơ cần xử lý"), _("Xử lý hồ sơ")),
    "supplement": (_("Chờ bổ sung"), _("Bổ sung hồ sơ")),
    "financial": (_("Yêu cầu thực hiện nghĩa vụ tài chính"), _("Xử lý hồ sơ")),
    "result_ready": (_("Chờ trả kết quả"), _("Trả kết quả")),
    "overdue": (_("Hồ sơ quá hạn"), _("Theo dõi hồ sơ")),
    "all": (_("Theo dõi tất cả hồ sơ"), _("Theo dõi hồ sơ")),
}
SEARCH_FIELDS = {
    "code": _("Mã hồ sơ"),
    "name": _("Chủ hồ sơ"),
    "id_number": _("Số giấy tờ (CCCD/CMND/MST)"),
    "phone": _("SĐT chủ hồ sơ"),
}


def _base() -> QuerySet:
    return Dossier.objects.select_related(
        "procedure", "applicant", "agency", "current_agency", "current_step", "holder"
    ).exclude(state=State.ONLINE_PENDING)


def visible_to(user) -> QuerySet:
    """Every dossier received, resolved or held by an agency in the user's scope."""
    if user.is_superuser:
        return _base()
    agencies = agencies_in_scope(user)
    return _base().filter(
        Q(agency__in=agencies) | Q(resolving_agency__in=agencies) | Q(current_agency__in=agencies)
    )


def my_work(user) -> QuerySet:
    """Dossiers whose current step is done by a role the user holds at the step's agency (or that are handed to
    the user by name)."""
    condition = Q(holder=user)
    if user.is_superuser:
        condition = Q(pk__isnull=False)
    else:
        for role in roles_of(user):
            condition |= Q(
                current_step__role=role, current_agency__in=agencies_in_scope(user, role), holder__isnull=True
            )
    return _base().filter(condition, state__in=ACTIVE)


def inbox(user, box: str = "mine") -> QuerySet:
    if box == "mine":
        qs = my_work(user)
    else:
        qs = visible_to(user)
        if box == "supplement":
            qs = qs.filter(state=State.PAUSED_SUPPLEMENT)
        elif box == "financial":
            qs = qs.filter(state=State.PAUSED_FINANCIAL)
        elif box == "result_ready":
            qs = qs.filter(state=State.RESULT_READY)
        elif box == "overdue":
            qs = qs.filter(state__in=(State.RECEIVED, State.IN_STEP), due_at__lt=timezone.now())
    return qs.most_urgent_first()


def search(qs: QuerySet, field: str, text: str) -> QuerySet:
    """Filter by code, applicant name, ID number or phone (one field at a time, as users pick it)."""
    text = " ".join((text or "").split())
    if not text:
        return qs
    if field == "code":
        return qs.filter(code__icontains=text)
    if field == "id_number":
        return qs.filter(
            Q(applicant__id_number__iexact=text.replace(" ", ""))
            | Q(applicant__tax_code=text.replace(" ", ""))
        )
    if field == "phone":
        from .identity import normalize_phone

        return qs.filter(applicant__phone=normalize_phone(text))
    return qs.filter(applicant__name__icontains=text)


def count_for(box: str):
    def count(user) -> int:
        return inbox(user, box).count()

    return count


MENU_ROLES = {
    "mine": (Role.RECEPTION_OFFICER, Role.SPECIALIST, Role.LEADER, Role.CLERK),
    "supplement": (Role.RECEPTION_OFFICER,),
    "financial": (Role.SPECIALIST, Role.RECEPTION_OFFICER),
    "result_ready": (Role.RECEPTION_OFFICER,),
    "overdue": (Role.SUPERVISOR, Role.LEADER, Role.RECEPTION_OFFICER),
    "all": (
        Role.RECEPTION_OFFICER,
        Role.SPECIALIST,
        Role.LEADER,
        Role.CLERK,
        Role.SUPERVISOR,
        Role.ADMINISTRATOR,
    ),
}
