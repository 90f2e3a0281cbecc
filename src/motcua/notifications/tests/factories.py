import factory

from motcua.notifications.models import Notification


class NotificationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Notification

    event = "received"
    channel = "sms"
    recipient = "0912345678"
    body = "Hồ sơ đã được tiếp nhận."
