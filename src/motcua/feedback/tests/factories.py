import factory

from motcua.feedback.models import Recommendation


class RecommendationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Recommendation

    sender_name = "Trần Văn Nam"
    sender_phone = "0912345678"
    title = "Thời gian chờ ở quầy lâu"
    content = "Tôi phải chờ hơn một giờ để được tiếp nhận."


POINTS = {n: 2 for n in range(1, 10)}
