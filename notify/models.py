"""The outbox: one row per message a dossier's step owes the citizen, sent by a task."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Message(models.Model):
    class Kind(models.TextChoices):
        RESULT_READY = "result_ready", _("Đã có kết quả")
        SUPPLEMENT = "supplement", _("Yêu cầu bổ sung hồ sơ")
        NEW_DATE = "new_date", _("Hẹn lại ngày trả kết quả")
        DELIVERY_FAILED = "delivery_failed", _("Bưu điện chưa phát được")

    class Channel(models.TextChoices):
        SMS = "sms", _("SMS")
        EMAIL = "email", _("Thư điện tử")

    class State(models.TextChoices):
        WAITING = "waiting", _("Đang chờ gửi")
        SENT = "sent", _("Đã gửi")
        FAILED = "failed", _("Gửi lỗi")
        UNDELIVERABLE = "undeliverable", _("Không gửi được")

    dossier = models.ForeignKey(
        "intake.Dossier", on_delete=models.PROTECT, related_name="messages", verbose_name=_("hồ sơ")
    )
    event = models.ForeignKey(
        "intake.DossierEvent", on_delete=models.PROTECT, related_name="+", verbose_name=_("bước")
    )
    kind = models.CharField(_("loại thông báo"), max_length=20, choices=Kind)
    channel = models.CharField(_("kênh"), max_length=10, choices=Channel)
    recipient = models.CharField(_("người nhận"), max_length=254)
    template_id = models.CharField(_("mẫu tin"), max_length=40)
    text = models.TextField(_("nội dung"))
    state = models.CharField(_("trạng thái"), max_length=15, choices=State, default=State.WAITING)
    attempts = models.PositiveSmallIntegerField(_("số lần gửi"), default=0)
    last_error = models.TextField(_("lỗi gần nhất"), blank=True)
    provider_id = models.CharField(_("mã của nhà cung cấp"), max_length=100, blank=True)
    key = models.CharField(_("khóa chống gửi trùng"), max_length=100, unique=True)
    created_at = models.DateTimeField(_("tạo lúc"))
    sent_at = models.DateTimeField(_("gửi lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("thông báo")
        verbose_name_plural = _("thông báo")
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["dossier", "created_at"], name="message_dossier")]

    def __str__(self):
        return f"{self.dossier_id} {self.kind} {self.channel}"

    @property
    def masked_recipient(self) -> str:
        """The address as shown to staff: enough to recognise it, not to copy it."""
        return mask(self.recipient)


def mask(address: str) -> str:
    if "@" in address:
        name, _at, domain = address.partition("@")
        return f"{name[:1]}***@{domain}"
    return f"{'*' * max(len(address) - 3, 0)}{address[-3:]}"
