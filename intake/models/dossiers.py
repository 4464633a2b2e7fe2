"""The dossier (hồ sơ), its states and national codes, and the numbering of its code."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from intake.models.catalogue import Procedure, term_text


class Channel(models.IntegerChoices):
    """How the dossier reached the ward (the national channel codes)."""

    DIRECT = 1, _("Trực tiếp")
    ONLINE = 2, _("Trực tuyến")
    POSTAL = 3, _("Qua dịch vụ bưu chính công ích")


class Status(models.TextChoices):
    RECEIVED = "received", _("Đã tiếp nhận")
    PROCESSING = "processing", _("Đang xử lý")
    NEEDS_SUPPLEMENT = "needs_supplement", _("Chờ bổ sung")
    RESULT_READY = "result_ready", _("Có kết quả")
    IN_DELIVERY = "in_delivery", _("Đang chuyển phát")
    RETURNED = "returned", _("Đã trả kết quả")
    REFUSED = "refused", _("Từ chối")
    WITHDRAWN = "withdrawn", _("Đã rút")


class NationalStatus(models.IntegerChoices):
    """Status codes of the national public-service portal, kept for exports and sync."""

    NEW = 1, _("Mới đăng ký")
    ACCEPTED = 2, _("Được tiếp nhận")
    NOT_ACCEPTED = 3, _("Không được tiếp nhận")
    PROCESSING = 4, _("Đang xử lý")
    SUPPLEMENT_REQUESTED = 5, _("Yêu cầu bổ sung giấy tờ")
    FINANCIAL_OBLIGATION = 6, _("Yêu cầu thực hiện nghĩa vụ tài chính")
    WITHDRAWN = 7, _("Công dân yêu cầu rút hồ sơ")
    STOPPED = 8, _("Dừng xử lý")
    RESOLVED = 9, _("Đã xử lý xong")
    RETURNED = 10, _("Đã trả kết quả")


class ReceiverKind(models.TextChoices):
    POSTAL_WORKER = "postal_worker", _("Nhân viên bưu điện")
    OFFICER = "officer", _("Công chức")


class Timeliness(models.TextChoices):
    EARLY = "early", _("Trước hạn")
    ON_TIME = "on_time", _("Đúng hạn")
    LATE = "late", _("Trễ hạn")


class ReturnMethod(models.TextChoices):
    COUNTER = "counter", _("Tại quầy")
    POST = "post", _("Qua bưu điện")


class Satisfaction(models.IntegerChoices):
    VERY_DISSATISFIED = 1, _("Rất không hài lòng")
    DISSATISFIED = 2, _("Không hài lòng")
    NEUTRAL = 3, _("Bình thường")
    SATISFIED = 4, _("Hài lòng")
    VERY_SATISFIED = 5, _("Rất hài lòng")


FINISHED = (Status.RETURNED, Status.REFUSED, Status.WITHDRAWN)
RESOLVED = (Status.RESULT_READY, Status.IN_DELIVERY, Status.RETURNED)
OPEN = (Status.RECEIVED, Status.PROCESSING, Status.NEEDS_SUPPLEMENT)


class NotifyConsent(models.TextChoices):
    """How the citizen agreed to be told of their dossier's progress, chosen at intake."""

    NONE = "none", _("Không nhận")
    SMS = "sms", _("Tin nhắn SMS")
    EMAIL = "email", _("Email")


class Dossier(models.Model):
    """A citizen's dossier (hồ sơ) for one procedure, from intake to the returned result."""

    code = models.CharField(_("mã hồ sơ"), max_length=40, unique=True)
    ward = models.ForeignKey(
        "wards.Ward", verbose_name=_("phường tiếp nhận"), on_delete=models.PROTECT
    )
    counter = models.ForeignKey(
        "wards.Counter",
        verbose_name=_("quầy"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
    )
    procedure = models.ForeignKey(
        Procedure, verbose_name=_("thủ tục"), on_delete=models.PROTECT, related_name="dossiers"
    )
    # Snapshot of the catalogue at intake: editing a procedure never rewrites history.
    procedure_code = models.CharField(_("mã thủ tục"), max_length=20)
    procedure_name = models.CharField(_("tên thủ tục"), max_length=400)
    processing_days = models.PositiveSmallIntegerField(_("thời hạn giải quyết"))
    term_unit = models.CharField(
        _("đơn vị thời hạn"),
        max_length=15,
        choices=Procedure.TermUnit,
        default=Procedure.TermUnit.WORKING_DAYS,
    )
    # Empty: the window of the edition that governs the dossier (intake.editions).
    supplement_window_days = models.PositiveSmallIntegerField(
        _("thời hạn yêu cầu bổ sung (ngày làm việc)"), null=True, blank=True
    )
    fee = models.PositiveIntegerField(_("phí, lệ phí (đồng)"), null=True, blank=True)
    level = models.CharField(_("cấp giải quyết"), max_length=10, choices=Procedure.Level)
    resolving_agency = models.CharField(_("cơ quan giải quyết"), max_length=200)
    channel = models.PositiveSmallIntegerField(_("kênh nộp"), choices=Channel)

    applicant_name = models.CharField(_("họ tên người nộp"), max_length=200)
    applicant_name_search = models.CharField(max_length=200, editable=False)
    applicant_id_number = models.CharField(_("số CCCD"), max_length=12)
    applicant_phone = models.CharField(_("số điện thoại"), max_length=15, blank=True)
    applicant_address = models.CharField(_("địa chỉ"), max_length=300)
    applicant_email = models.EmailField(_("thư điện tử"), blank=True)
    # Also the database's default, so rows written without the ORM (COPY) consent to nothing.
    notify_consent = models.CharField(
        _("nhận thông báo qua"),
        max_length=5,
        choices=NotifyConsent,
        default=NotifyConsent.NONE,
        db_default=NotifyConsent.NONE,
    )
    components = models.JSONField(_("thành phần hồ sơ"), default=list, blank=True)
    sets = models.PositiveSmallIntegerField(_("số bộ hồ sơ"), default=1)

    received_at = models.DateTimeField(_("tiếp nhận lúc"))
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người tiếp nhận"),
        on_delete=models.PROTECT,
        related_name="received_dossiers",
    )
    receiver_kind = models.CharField(_("người tiếp nhận là"), max_length=15, choices=ReceiverKind)
    appointment_at = models.DateTimeField(_("hẹn trả kết quả"))
    apology_appointment_at = models.DateTimeField(
        _("hẹn lại (phiếu xin lỗi)"), null=True, blank=True
    )

    status = models.CharField(
        _("trạng thái"), max_length=20, choices=Status, default=Status.RECEIVED
    )
    national_status = models.PositiveSmallIntegerField(
        _("mã trạng thái quốc gia"), choices=NationalStatus, default=NationalStatus.ACCEPTED
    )
    resolved_at = models.DateTimeField(_("có kết quả lúc"), null=True, blank=True)
    timeliness = models.CharField(
        _("tiến độ"), max_length=10, choices=Timeliness, blank=True, default=""
    )
    returned_at = models.DateTimeField(_("trả kết quả lúc"), null=True, blank=True)
    returned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người trả kết quả"),
        on_delete=models.PROTECT,
        related_name="returned_dossiers",
        null=True,
        blank=True,
    )
    return_method = models.CharField(
        _("hình thức trả"), max_length=10, choices=ReturnMethod, blank=True, default=""
    )
    supplement_count = models.PositiveSmallIntegerField(_("số lần yêu cầu bổ sung"), default=0)
    paused_since = models.DateTimeField(_("tạm dừng tính thời gian từ"), null=True, blank=True)
    paused_seconds = models.PositiveIntegerField(_("thời gian tạm dừng (giây làm việc)"), default=0)
    satisfaction = models.PositiveSmallIntegerField(
        _("mức độ hài lòng"), choices=Satisfaction, null=True, blank=True
    )
    out_of_list = models.BooleanField(_("tiếp nhận ngoài danh mục"), default=False)
    notes = models.TextField(_("ghi chú"), blank=True)
    lookup_pin_hash = models.CharField(max_length=64, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("hồ sơ")
        verbose_name_plural = _("hồ sơ")
        ordering = ["-received_at", "-id"]
        indexes = [
            models.Index(fields=["ward", "-received_at", "-id"], name="dossier_ward_received"),
            # A city admin's list spans wards: read newest first without sorting the city.
            models.Index(fields=["-received_at", "-id"], name="dossier_received"),
            models.Index(
                fields=["ward", "status", "appointment_at"], name="dossier_ward_status_due"
            ),
            models.Index(fields=["ward", "applicant_id_number"], name="dossier_ward_id_number"),
            models.Index(fields=["procedure", "-received_at"], name="dossier_procedure_received"),
            # The few out-of-list dossiers, so the chief's "awaiting review" list can be read
            # beside the open ones without reading the whole ward.
            models.Index(
                fields=["ward", "received_at"],
                condition=Q(out_of_list=True),
                name="dossier_ward_out_of_list",
            ),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(sets__gte=1), name="dossier_sets_positive"),
            models.CheckConstraint(
                condition=Q(term_unit__in=["working_days", "calendar_days"]),
                name="dossier_term_unit_known",
            ),
            models.CheckConstraint(
                condition=Q(channel__in=Channel.values), name="dossier_channel_known"
            ),
            models.CheckConstraint(
                condition=Q(status__in=Status.values), name="dossier_status_known"
            ),
            models.CheckConstraint(
                condition=Q(national_status__gte=1, national_status__lte=10),
                name="dossier_national_status_range",
            ),
            models.CheckConstraint(
                condition=Q(satisfaction__isnull=True)
                | Q(satisfaction__gte=1, satisfaction__lte=5),
                name="dossier_satisfaction_range",
            ),
            models.CheckConstraint(
                condition=Q(appointment_at__gte=models.F("received_at")),
                name="dossier_appointment_after_receipt",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=RESOLVED)
                | (Q(resolved_at__isnull=False) & ~Q(timeliness="")),
                name="dossier_resolved_has_timeliness",
            ),
            models.CheckConstraint(
                condition=~Q(status=Status.RETURNED)
                | Q(returned_at__isnull=False, returned_by__isnull=False) & ~Q(return_method=""),
                name="dossier_returned_has_return",
            ),
            models.CheckConstraint(
                condition=Q(paused_since__isnull=True) | Q(status=Status.NEEDS_SUPPLEMENT),
                name="dossier_paused_only_awaiting_supplement",
            ),
            models.CheckConstraint(
                condition=Q(apology_appointment_at__isnull=True)
                | Q(apology_appointment_at__gt=models.F("appointment_at")),
                name="dossier_apology_later_than_appointment",
            ),
        ]

    def __str__(self) -> str:
        return self.code

    @property
    def due_at(self):
        """The date the citizen was last promised: the apology's, when there is one."""
        return self.apology_appointment_at or self.appointment_at

    @property
    def term_label(self) -> str:
        return term_text(self.processing_days, self.term_unit)

    @property
    def is_open(self) -> bool:
        return self.status in OPEN


class DossierSequence(models.Model):
    """The last dossier number given in a ward on a local day; its row lock orders intakes."""

    ward = models.ForeignKey("wards.Ward", on_delete=models.PROTECT)
    day = models.DateField()
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["ward", "day"], name="dossier_sequence_unique_day"),
        ]

    def __str__(self) -> str:
        return f"{self.ward_id} {self.day:%d/%m/%Y}: {self.last_number}"
