"""An API intake runs in one transaction without savepoints of its own (each would cost two statements), and
still behaves on errors: a failed API intake leaves nothing, a concurrent creation of the same applicant is
retried, and the other callers (which catch errors and go on inside their own transaction) keep savepoints."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext

from motcua.dossiers import applicants, services
from motcua.dossiers.models import Applicant, Dossier

from .conftest import bearer
from .test_api_dossiers import APPLICANT, post_dossier

pytestmark = pytest.mark.django_db


def _statements_of(call) -> list[str]:
    with CaptureQueriesContext(connection) as queries:
        response = call()
    assert response.status_code == 201, response.content
    return [q["sql"] for q in queries.captured_queries]


def test_an_api_intake_opens_no_savepoint_beyond_the_request_transaction(client, staff, procedure):
    headers = bearer(staff.officer)
    body = {"procedure": procedure.code, "channel": "counter", "applicant": APPLICANT}

    def post(**extra):
        return client.post("/api/v1/dossiers", {**body, **extra}, content_type="application/json", **headers)

    post()  # reference caches and the token are read once
    statements = _statements_of(lambda: post(applicant={**APPLICANT, "id_number": "027190000124"}))
    # The test runs inside a transaction, so the request's own transaction is the one savepoint.
    assert sum(sql.startswith("SAVEPOINT") for sql in statements) == 1
    assert sum(sql.startswith("RELEASE SAVEPOINT") for sql in statements) == 1
    # A second intake of the same applicant (found, not created) reads it and saves no change.
    again = _statements_of(post)
    assert sum(sql.startswith("SAVEPOINT") for sql in again) == 1
    assert sum('INSERT INTO "dossiers_applicant"' in sql for sql in statements) == 1
    assert not any('INSERT INTO "dossiers_applicant"' in sql for sql in again)
    assert Dossier.objects.count() == 3


def test_a_failed_api_intake_leaves_nothing_and_the_next_one_works(client, staff, procedure):
    failed = post_dossier(client, staff.officer, procedure, documents=[{"name": "  "}])
    assert failed.status_code == 400
    assert not Dossier.objects.exists() and not Applicant.objects.exists()
    assert post_dossier(client, staff.officer, procedure).status_code == 201
    assert Dossier.objects.count() == 1 and Applicant.objects.count() == 1


def test_an_applicant_created_meanwhile_by_another_request_runs_the_intake_again(
    client, staff, procedure, monkeypatch
):
    other = Applicant.objects.create(
        applicant_type="citizen", name="Người khác", id_type="cccd", id_number="027190000999"
    )
    original_save = Applicant.save
    raced = []

    def save(self, *args, **kwargs):
        if self.pk is None and not raced:
            raced.append(self.id_number)
            # What the concurrent request's row does to ours: the unique identity is taken (a real error,
            # which on PostgreSQL aborts the transaction).
            Applicant.objects.create(
                applicant_type="citizen", name="x", id_type=other.id_type, id_number=other.id_number
            )
        return original_save(self, *args, **kwargs)

    monkeypatch.setattr(Applicant, "save", save)
    seen = []
    real = applicants.find_or_create_applicant

    def find_or_create(**kwargs):
        try:
            return real(**kwargs)
        except applicants.ConcurrentApplicant:
            seen.append(kwargs["savepoint"])
            raise

    monkeypatch.setattr("motcua.dossiers.api.find_or_create_applicant", find_or_create)
    response = post_dossier(client, staff.officer, procedure)
    assert response.status_code == 201, response.content
    assert seen == [False]
    assert raced == [APPLICANT["id_number"]]
    assert Dossier.objects.count() == 1
    assert set(Applicant.objects.values_list("id_number", flat=True)) == {"027190000999", "027190000123"}


def test_a_caller_that_catches_a_failed_intake_goes_on_in_its_transaction(staff, procedure):
    applicant = applicants.find_or_create_applicant(
        applicant_type="citizen", name="Nguyễn Văn Bình", id_type="cccd", id_number="027090000321"
    )
    with transaction.atomic():
        with pytest.raises(ValidationError):
            # Fails after the dossier's INSERT (an unnamed component).
            services.intake(
                procedure=procedure, applicant=applicant, actor=staff.officer, documents=[{"name": ""}]
            )
        assert not Dossier.objects.exists()
        dossier = services.intake(procedure=procedure, applicant=applicant, actor=staff.officer)
    assert list(Dossier.objects.all()) == [dossier]


def test_a_caller_that_catches_an_applicant_error_goes_on_in_its_transaction(db, monkeypatch):
    taken = Applicant.objects.create(
        applicant_type="citizen", name="Người khác", id_type="cccd", id_number="027090000999"
    )
    original_save = Applicant.save

    def save(self, *args, **kwargs):
        if self.pk is None:  # every attempt fails in the database (on PostgreSQL: the transaction aborts)
            duplicate = Applicant(
                applicant_type="citizen", name="x", id_type="cccd", id_number=taken.id_number
            )
            original_save(duplicate)
        return original_save(self, *args, **kwargs)

    monkeypatch.setattr(Applicant, "save", save)
    with transaction.atomic():
        with pytest.raises(ValidationError):
            applicants.find_or_create_applicant(
                name="Nguyễn Văn Bình", id_type="cccd", id_number="027090000322"
            )
        assert list(Applicant.objects.all()) == [taken]


def test_without_a_savepoint_a_concurrent_creation_is_left_to_the_caller(db, monkeypatch):
    original_save = Applicant.save

    def save(self, *args, **kwargs):
        if self.pk is None:
            raise IntegrityError("unique_applicant_identity")
        return original_save(self, *args, **kwargs)

    monkeypatch.setattr(Applicant, "save", save)
    with pytest.raises(applicants.ConcurrentApplicant), transaction.atomic():
        applicants.find_or_create_applicant(
            savepoint=False, name="Nguyễn Văn Bình", id_type="cccd", id_number="027090000323"
        )
