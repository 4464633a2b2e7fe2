"""The citizen's evaluation of a dossier (one at most), and the history of the hall's settings."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from hall.models.tickets import Device, ServiceGroup, Ticket
from intake.models import Satisfaction
from onestop.fields import actor_field
from postal.models import AppendOnly


class EvaluationChannel(models.TextChoices):
    TABLET = "tablet", _("Máy tính bảng tại quầy")
    PHONE = "phone", _("Điện thoại (mã QR trên giấy tiếp nhận)")
    API = "api", _("Hệ thống khác (API)")


# The indicators a citizen can judge at the counter, as the evaluation tables in use name them
# (hall/README.md: where they were read, and what was not verified). Each is scored 0–2 points;
# 2 is the full score ("điểm chuẩn").
INDICATORS: list[tuple[str, str]] = [
    (
        "contacts",
        _("Số lần phải liên hệ với nơi tiếp nhận hồ sơ để hoàn thiện hồ sơ thủ tục hành chính"),
    ),
    (
        "agencies",
        _("Số lượng cơ quan, đơn vị, tổ chức phải liên hệ để hoàn thiện hồ sơ thủ tục hành chính"),
    ),
    (
        "one_stop",
        _("Thực hiện tổ chức tiếp nhận hồ sơ, giải quyết, trả kết quả tại Bộ phận Một cửa"),
    ),
    ("disclosure", _("Công khai các thủ tục hành chính")),
    ("attitude", _("Thái độ của cán bộ, công chức, viên chức")),
]
INDICATOR_NAMES = [name for name, _label in INDICATORS]
FULL_SCORE = 2
COMMENT_LIMIT = 500


def _score_field(label):
    return models.PositiveSmallIntegerField(label, null=True, blank=True)


class Evaluation(models.Model):
    """The citizen's evaluation of one dossier: at most one (a unique constraint says so)."""

    dossier = models.OneToOneField(
        "intake.Dossier",
        verbose_name=_("hồ sơ"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    ward = models.ForeignKey(
        "wards.Ward", verbose_name=_("phường"), on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(_("đánh giá lúc"))
    channel = models.CharField(_("kênh đánh giá"), max_length=10, choices=EvaluationChannel)
    satisfaction = models.PositiveSmallIntegerField(_("mức độ hài lòng"), choices=Satisfaction)
    contacts = _score_field(INDICATORS[0][1])
    agencies = _score_field(INDICATORS[1][1])
    one_stop = _score_field(INDICATORS[2][1])
    disclosure = _score_field(INDICATORS[3][1])
    attitude = _score_field(INDICATORS[4][1])
    comment = models.CharField(_("ý kiến"), max_length=COMMENT_LIMIT, blank=True)
    counter = models.ForeignKey(
        "wards.Counter",
        verbose_name=_("quầy"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    device = models.ForeignKey(
        Device, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    ticket = models.ForeignKey(
        Ticket,
        verbose_name=_("số thứ tự"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    # Who submitted it through the API (a system's token); empty for the citizen's own devices.
    submitted_by = actor_field(_("người gửi"), optional=True)

    class Meta:
        verbose_name = _("đánh giá của công dân")
        verbose_name_plural = _("đánh giá của công dân")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["ward", "at"], name="hall_evaluation_ward_at")]
        constraints = [
            models.CheckConstraint(
                condition=Q(channel__in=EvaluationChannel.values),
                name="hall_evaluation_channel_known",
            ),
            models.CheckConstraint(
                condition=Q(satisfaction__gte=1, satisfaction__lte=5),
                name="hall_evaluation_satisfaction_range",
            ),
            *(
                models.CheckConstraint(
                    condition=Q(**{f"{name}__isnull": True}) | Q(**{f"{name}__lte": FULL_SCORE}),
                    name=f"hall_evaluation_{name}_range",
                )
                for name in INDICATOR_NAMES
            ),
        ]

    def __str__(self) -> str:
        return f"{self.dossier_id} {self.at:%d/%m/%Y %H:%M}"


class HallLog(AppendOnly):
    """One change of the hall's settings (groups, their counters, device keys) or an invitation
    to evaluate, for the chief to read back; appended in the change's transaction."""

    class Action(models.TextChoices):
        GROUP_CREATED = "group_created", _("Thêm nhóm dịch vụ")
        GROUP_UPDATED = "group_updated", _("Sửa nhóm dịch vụ")
        DEVICE_CREATED = "device_created", _("Tạo mã thiết bị")
        DEVICE_REVOKED = "device_revoked", _("Thu hồi mã thiết bị")
        EVALUATION_INVITED = "evaluation_invited", _("Mời công dân đánh giá")

    ward = models.ForeignKey("wards.Ward", on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(_("lúc"))
    actor = actor_field(_("người thực hiện"))
    action = models.CharField(_("thao tác"), max_length=20, choices=Action)
    group = models.ForeignKey(
        ServiceGroup, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    device = models.ForeignKey(
        Device, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # What changed, in words, as it stood then (a later rename does not rewrite it).
    detail = models.CharField(_("nội dung"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("lịch sử cài đặt xếp hàng")
        verbose_name_plural = _("lịch sử cài đặt xếp hàng")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["ward", "-at"], name="hall_log_ward_at")]

    def __str__(self) -> str:
        return f"{self.action} {self.at:%d/%m/%Y %H:%M}"
