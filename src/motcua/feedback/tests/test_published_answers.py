"""A question and answer an agency already made public elsewhere is recorded answered and published, with no
deadline; incomplete input is refused in Vietnamese and nothing is written."""

import pytest
from django.core.exceptions import ValidationError

from motcua.accounts.tests.factories import UserFactory
from motcua.feedback.models import Recommendation
from motcua.feedback.services import record_published_answer
from motcua.org.tests.factories import AgencyFactory

pytestmark = pytest.mark.django_db


def test_a_published_answer_is_answered_public_and_has_no_deadline():
    agency = AgencyFactory()
    rec, written = record_published_answer(
        agency=agency,
        title="  Lệ phí   đăng ký kết hôn ",
        content="Đăng ký kết hôn có mất lệ phí không?",
        answer="Không.",
        by=UserFactory(),
    )
    assert written and rec.title == "Lệ phí đăng ký kết hôn"
    assert Recommendation.objects.published().get() == rec
    assert rec.due_at is None and rec.sender_name == "Người hỏi trên Cổng Dịch vụ công quốc gia"
    same, written = record_published_answer(
        agency=agency,
        title="Lệ phí đăng ký kết hôn",
        content="Đăng ký kết hôn có mất lệ phí không?",
        answer="Không.",
        by=None,
        recommendation=rec,
    )
    assert not written and same.pk == rec.pk


def test_an_incomplete_published_answer_is_refused_and_nothing_is_written():
    with pytest.raises(ValidationError) as refused:
        record_published_answer(agency=None, title="", content="Nội dung", answer=" ", by=UserFactory())
    assert refused.value.message_dict == {
        "agency": ["Chưa có cơ quan trả lời."],
        "title": ["Chưa nhập tiêu đề."],
        "answer": ["Chưa có nội dung trả lời."],
    }
    assert not Recommendation.objects.exists()
