"""Decision 766 group 6 rates: dossiers with digitised components, resolved dossiers with digitised results,
components re-used; per agency, per unit and per period."""

import datetime

import pytest
from django.utils import timezone

from motcua.catalog.tests.factories import RequiredDocumentFactory
from motcua.dossiers.models import Dossier
from motcua.dossiers.states import State
from motcua.dossiers.tests.factories import make_dossier

from .. import services
from ..models import DigitisationStatus, DossierDigitisation
from ..rates import digitisation_rates
from .factories import checked, pdf_bytes

pytestmark = pytest.mark.django_db


def test_rates_count_what_decision_766_counts(staff, procedure):
    doc = RequiredDocumentFactory(procedure=procedure, name="Đơn", must_digitise=False)
    scanned = make_dossier(
        procedure,
        actor=staff.officer,
        documents=[{"name": "Đơn", "required_document": doc.pk, "pages": [checked("a.pdf", pdf_bytes())]}],
    )
    plain = make_dossier(
        procedure, actor=staff.officer, documents=[{"name": "Đơn", "required_document": doc.pk}]
    )
    services.register_result(dossier=scanned, actor=staff.clerk, content=pdf_bytes(), signer_name="A")
    Dossier.objects.filter(pk__in=[scanned.pk, plain.pk]).update(state=State.RETURNED)
    now = timezone.now()
    day = datetime.timedelta(days=1)
    rates = digitisation_rates(now - day, now + day)
    assert (rates.dossiers, rates.dossiers_with_digitised_components) == (2, 1)
    assert (rates.resolved, rates.results_digitised, rates.results_digitised_rate) == (2, 1, 50.0)
    assert rates.digitised_components_rate == 50.0 and rates.reuse_rate == 0.0
    agency = procedure.resolving_agency
    assert digitisation_rates(now - day, now + day, agency=agency).dossiers == 2
    if agency.unit_id:
        assert digitisation_rates(now - day, now + day, unit=agency.unit_id).dossiers == 2
    by_unit = digitisation_rates(now - day, now + day, group_by="unit")
    assert sum(r.dossiers for r in by_unit.values()) == 2
    assert digitisation_rates(now + day, now + 2 * day).dossiers == 0
    assert digitisation_rates(now + day, now + 2 * day).digitised_components_rate is None


def test_a_dossier_received_without_components_counts_as_nothing_digitised_without_a_state_row(
    staff, procedure
):
    doc = RequiredDocumentFactory(procedure=procedure, name="Đơn", must_digitise=False)
    scanned = make_dossier(
        procedure,
        actor=staff.officer,
        documents=[{"name": "Đơn", "required_document": doc.pk, "pages": [checked("a.pdf", pdf_bytes())]}],
    )
    bare = make_dossier(procedure, actor=staff.officer, documents=[])
    assert not DossierDigitisation.objects.filter(dossier=bare).exists()
    now = timezone.now()
    day = datetime.timedelta(days=1)
    without_row = digitisation_rates(now - day, now + day)
    assert (without_row.dossiers, without_row.dossiers_with_digitised_components) == (2, 1)
    assert (without_row.components, without_row.digitised_components_rate) == (1, 50.0)
    # The state computed from the documents (what intake used to store) gives the very same rates.
    state = services.refresh_state(bare)
    assert (state.components_total, state.components_digitised, state.result_digitised) == (0, 0, False)
    assert state.digitisation_status == DigitisationStatus.NONE
    assert digitisation_rates(now - day, now + day) == without_row
    assert scanned.digitisation.components_digitised == 1
