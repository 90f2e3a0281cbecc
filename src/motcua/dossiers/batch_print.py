"""Batch printing for the reception desk: a day's receipts (Mẫu 01 of every dossier received at a counter on a
day) and an agency's tracking book (sổ theo dõi hồ sơ, Mẫu 06) for a period, each as one PDF."""

import datetime

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from motcua.org.models import Agency, Counter
from motcua.org.permissions import agency_ids_in_scope, has_role, is_staff_member
from motcua.privacy import access as personal_data

from . import queries
from .models import Dossier
from .pdf_forms import receipts_pdf, tracking_book_pdf
from .states import Channel

DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y"]
MAX_BOOK_DAYS = 366
MAX_RECEIPTS = 300


def _reception_agencies(user):
    """The agencies whose reception the user does (None: every agency, for a superuser)."""
    if user.is_superuser:
        return None
    return set(agency_ids_in_scope(user, "reception_officer"))


def counters_for(user):
    agencies = _reception_agencies(user)
    counters = Counter.objects.select_related("center").order_by("center__name", "number")
    if agencies is not None:
        counters = counters.filter(agencies__in=agencies).distinct()
    return counters


def agencies_for(user):
    agencies = _reception_agencies(user)
    qs = Agency.objects.order_by("name")
    return qs if agencies is None else qs.filter(pk__in=agencies)


class DateInput(forms.DateInput):
    """A day typed as dd/mm/yyyy, as everywhere else in the system (a browser's date picker follows its own
    locale)."""

    def __init__(self):
        super().__init__(format="%d/%m/%Y", attrs={"placeholder": "dd/mm/yyyy", "inputmode": "numeric"})


class ReceiptsForm(forms.Form):
    counter = forms.ModelChoiceField(label=gettext_lazy("Quầy tiếp nhận"), queryset=Counter.objects.none())
    day = forms.DateField(
        label=gettext_lazy("Ngày tiếp nhận"), input_formats=DATE_FORMATS, widget=DateInput()
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, prefix="phieu", **kwargs)
        self.fields["counter"].queryset = counters = counters_for(user)
        only = list(counters[:2])
        if len(only) == 1:
            self.fields["counter"].initial = only[0].pk
        self.fields["counter"].error_messages["invalid_choice"] = _("Quầy không có hoặc không thuộc phạm vi.")


class BookForm(forms.Form):
    agency = forms.ModelChoiceField(label=gettext_lazy("Cơ quan tiếp nhận"), queryset=Agency.objects.none())
    date_from = forms.DateField(label=gettext_lazy("Từ ngày"), input_formats=DATE_FORMATS, widget=DateInput())
    date_to = forms.DateField(label=gettext_lazy("Đến ngày"), input_formats=DATE_FORMATS, widget=DateInput())

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, prefix="so", **kwargs)
        self.fields["agency"].queryset = agencies = agencies_for(user)
        only = list(agencies[:2])
        if len(only) == 1:
            self.fields["agency"].initial = only[0].pk
        self.fields["agency"].error_messages["invalid_choice"] = _(
            "Cơ quan không có hoặc không thuộc phạm vi."
        )

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end:
            if end < start:
                self.add_error("date_to", _("Ngày kết thúc phải bằng hoặc sau ngày bắt đầu."))
            elif (end - start).days >= MAX_BOOK_DAYS:
                self.add_error(
                    "date_to", _("Mỗi lần in sổ theo dõi tối đa %(n)d ngày.") % {"n": MAX_BOOK_DAYS}
                )
        return data


def _day_bounds(first: datetime.date, last: datetime.date):
    start = timezone.make_aware(datetime.datetime.combine(first, datetime.time.min))
    end = timezone.make_aware(datetime.datetime.combine(last + datetime.timedelta(days=1), datetime.time.min))
    return start, end


def day_receipts(user, counter: Counter, day: datetime.date):
    """Dossiers received over the counter on `day` for one of the counter's agencies (receiving or resolving)
    or from one of its queue tickets, that the user may see; in the order received."""
    start, end = _day_bounds(day, day)
    agencies = list(counter.agencies.values_list("pk", flat=True))
    at_counter = Q(agency__in=agencies) | Q(resolving_agency__in=agencies) | Q(queue_tickets__counter=counter)
    ids = (
        queries.visible_to(user)
        .filter(at_counter, channel=Channel.COUNTER, received_at__gte=start, received_at__lt=end)
        .values("pk")
    )
    return (
        Dossier.objects.filter(pk__in=ids)
        .select_related("procedure", "applicant", "submitter", "agency", "resolving_agency", "received_by")
        .prefetch_related("documents")
        .order_by("received_at", "pk")
    )


def _pdf(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


@login_required
def batch_print(request):
    """The page of both batch prints; a valid request of either answers its PDF, an invalid one the page again
    with the reasons (status 400)."""
    user = request.user
    if not is_staff_member(user) or not (user.is_superuser or has_role(user, "reception_officer")):
        raise PermissionDenied(_("Chỉ cán bộ tiếp nhận mới in phiếu và sổ theo dõi hồ sơ."))
    today = timezone.localdate()
    wanted = request.GET.get("in", "")
    receipts = ReceiptsForm(
        request.GET if wanted == "phieu-tiep-nhan" else None, user=user, initial={"day": today}
    )
    book = BookForm(
        request.GET if wanted == "so-theo-doi" else None,
        user=user,
        initial={"date_from": today.replace(day=1), "date_to": today},
    )
    status = 200
    if wanted == "phieu-tiep-nhan":
        if receipts.is_valid():
            counter, day = receipts.cleaned_data["counter"], receipts.cleaned_data["day"]
            dossiers = list(day_receipts(user, counter, day)[: MAX_RECEIPTS + 1])
            if len(dossiers) > MAX_RECEIPTS:
                receipts.add_error(None, _("Quá %(n)d hồ sơ trong một lần in.") % {"n": MAX_RECEIPTS})
            elif not dossiers:
                receipts.add_error(
                    None,
                    _("Quầy %(counter)s không tiếp nhận hồ sơ nào ngày %(day)s.")
                    % {"counter": counter, "day": f"{day:%d/%m/%Y}"},
                )
            else:
                for dossier in dossiers:
                    personal_data.record(
                        user,
                        dossier=dossier,
                        channel=personal_data.Channel.FILE,
                        what=_("In mẫu 01 hàng loạt"),
                    )
                title = _("Giấy tiếp nhận hồ sơ và hẹn trả kết quả — quầy %(n)s, ngày %(day)s") % {
                    "n": counter.number,
                    "day": f"{day:%d/%m/%Y}",
                }
                return _pdf(
                    receipts_pdf(dossiers, title=title), f"mau-01_quay-{counter.number}_{day:%Y%m%d}.pdf"
                )
        status = 400
    elif wanted == "so-theo-doi":
        if book.is_valid():
            data = book.cleaned_data
            pdf = tracking_book_pdf(data["agency"], data["date_from"], data["date_to"])
            name = f"so-theo-doi_{data['date_from']:%Y%m%d}-{data['date_to']:%Y%m%d}.pdf"
            return _pdf(pdf, name)
        status = 400
    return render(request, "dossiers/batch_print.html", {"receipts": receipts, "book": book}, status=status)
