"""The procedure catalogue (thủ tục hành chính) and, later, the dossiers received against it."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from onestop.text import fold


class Procedure(models.Model):
    """An administrative procedure a ward counter receives, as the catalogue states it."""

    class Level(models.TextChoices):
        WARD = "ward", _("Cấp phường")
        DISTRICT = "district", _("Cấp thành phố")
        PROVINCE = "province", _("Cấp tỉnh")

    code = models.CharField(
        _("mã thủ tục"),
        max_length=20,
        unique=True,
        help_text=_("Mã trên Cơ sở dữ liệu quốc gia về TTHC, hoặc mã nội bộ khi chưa xác minh."),
    )
    code_is_national = models.BooleanField(_("mã quốc gia đã xác minh"), default=True)
    name = models.CharField(_("tên thủ tục"), max_length=400)
    field = models.CharField(_("lĩnh vực"), max_length=100)
    level = models.CharField(_("cấp thực hiện"), max_length=10, choices=Level)
    resolving_agency = models.CharField(_("cơ quan giải quyết"), max_length=200, blank=True)
    processing_days = models.PositiveSmallIntegerField(
        _("thời hạn giải quyết (ngày làm việc)"),
        null=True,
        blank=True,
        help_text=_("0 là trả trong ngày; để trống khi chưa xác minh."),
    )
    fee = models.PositiveIntegerField(
        _("phí, lệ phí (đồng)"), null=True, blank=True, help_text=_("Để trống khi chưa xác minh.")
    )
    postal_eligible = models.BooleanField(_("tiếp nhận qua bưu điện"), default=False)
    components = models.JSONField(
        _("thành phần hồ sơ"),
        default=list,
        blank=True,
        help_text=_('Danh sách {"name": …, "originals": số bản chính, "copies": số bản sao}.'),
    )
    notes = models.TextField(_("ghi chú"), blank=True)
    source = models.CharField(_("nguồn"), max_length=300, blank=True)
    active = models.BooleanField(_("đang áp dụng"), default=True)
    effective_from = models.DateField(_("hiệu lực từ"), null=True, blank=True)
    effective_to = models.DateField(_("hiệu lực đến"), null=True, blank=True)
    search_text = models.CharField(max_length=500, editable=False, db_index=True)

    class Meta:
        verbose_name = _("thủ tục hành chính")
        verbose_name_plural = _("thủ tục hành chính")
        ordering = ["field", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(effective_to__isnull=True)
                | Q(effective_from__isnull=True)
                | Q(effective_to__gte=models.F("effective_from")),
                name="procedure_effective_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} – {self.name}"

    def save(self, *args, **kwargs):
        # The folded copy is derived data, kept beside the name so search can use an index.
        self.search_text = fold(f"{self.code} {self.name}")
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "search_text"}
        super().save(*args, **kwargs)

    @property
    def is_same_day(self) -> bool:
        return self.processing_days == 0


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
    processing_days = models.PositiveSmallIntegerField(_("thời hạn giải quyết (ngày làm việc)"))
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
    def is_open(self) -> bool:
        return self.status in OPEN


class DossierEvent(models.Model):
    """One line of the dossier's control sheet (Mẫu 05). Written once, never changed."""

    dossier = models.ForeignKey(Dossier, on_delete=models.PROTECT, related_name="events")
    at = models.DateTimeField(_("thời điểm"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người thực hiện"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
    )
    actor_role = models.CharField(_("vai trò"), max_length=20, blank=True)
    action = models.CharField(_("thao tác"), max_length=30)
    from_status = models.CharField(_("từ trạng thái"), max_length=20, choices=Status, blank=True)
    to_status = models.CharField(_("sang trạng thái"), max_length=20, choices=Status)
    note = models.TextField(_("ghi chú"), blank=True)
    counter = models.ForeignKey(
        "wards.Counter", verbose_name=_("quầy"), on_delete=models.PROTECT, null=True, blank=True
    )
    from_unit = models.CharField(_("bên giao"), max_length=200, blank=True)
    to_unit = models.CharField(_("bên nhận"), max_length=200, blank=True)
    appointment_at = models.DateTimeField(_("hẹn trả mới"), null=True, blank=True)
    request_id = models.CharField(max_length=64, blank=True, default="")

    class Meta:
        verbose_name = _("sự kiện hồ sơ")
        verbose_name_plural = _("nhật ký hồ sơ")
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["dossier", "at"], name="event_dossier_at")]
        constraints = [
            models.UniqueConstraint(
                fields=["dossier", "request_id"],
                condition=~Q(request_id=""),
                name="event_request_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.dossier_id} {self.action} {self.at:%d/%m/%Y %H:%M}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise TypeError("Dossier events are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise TypeError("Dossier events are append-only.")


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


class FigureColumns(models.Model):
    """The report figures of one day (intake.figures says what each column counts).

    Flow columns count what happened on the day: receipts by channel and receiver, results by
    timeliness, returns, refusals, withdrawals. The stock of dossiers in hand on a day is the
    sum of receipts minus finishes over the days before it, and the overdue ones among them the
    sum of `overdue_from - overdue_until`, so a report over any range of days reads these rows
    instead of the dossiers. `manage.py check_report_figures` proves they equal the figures
    recomputed from the dossiers.
    """

    day = models.DateField(_("ngày"))
    received_online = models.IntegerField(default=0)
    received_direct = models.IntegerField(default=0)
    received_postal = models.IntegerField(default=0)
    received_postal_worker = models.IntegerField(default=0)
    received_officer = models.IntegerField(default=0)
    out_of_list = models.IntegerField(default=0)
    digitised = models.IntegerField(default=0)
    resolved_early = models.IntegerField(default=0)
    resolved_on_time = models.IntegerField(default=0)
    resolved_late = models.IntegerField(default=0)
    resolved_postal_worker = models.IntegerField(default=0)
    resolved_officer = models.IntegerField(default=0)
    punctual_postal_worker = models.IntegerField(default=0)
    punctual_officer = models.IntegerField(default=0)
    paused_seconds = models.BigIntegerField(default=0)
    working_days = models.IntegerField(default=0)
    returned_postal_worker = models.IntegerField(default=0)
    returned_officer = models.IntegerField(default=0)
    returned_counter = models.IntegerField(default=0)
    returned_post = models.IntegerField(default=0)
    rated = models.IntegerField(default=0)
    satisfied = models.IntegerField(default=0)
    refused = models.IntegerField(default=0)
    withdrawn = models.IntegerField(default=0)
    overdue_from = models.IntegerField(default=0)
    overdue_until = models.IntegerField(default=0)

    class Meta:
        abstract = True


class DailyFigures(FigureColumns):
    """A ward's report figures for one local day: what the ward and city reports read."""

    ward = models.ForeignKey("wards.Ward", on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("số liệu báo cáo theo ngày")
        verbose_name_plural = _("số liệu báo cáo theo ngày")
        constraints = [
            models.UniqueConstraint(fields=["ward", "day"], name="daily_figures_ward_day"),
        ]

    def __str__(self) -> str:
        return f"{self.ward_id} {self.day:%d/%m/%Y}"


class DailyProcedureFigures(FigureColumns):
    """The same figures per procedure: a ward's Biểu 06 by field (lĩnh vực) reads these."""

    ward = models.ForeignKey("wards.Ward", on_delete=models.PROTECT, related_name="+")
    procedure = models.ForeignKey(Procedure, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("số liệu báo cáo theo ngày và thủ tục")
        verbose_name_plural = _("số liệu báo cáo theo ngày và thủ tục")
        constraints = [
            models.UniqueConstraint(
                fields=["ward", "procedure", "day"], name="daily_procedure_figures_key"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.ward_id} {self.procedure_id} {self.day:%d/%m/%Y}"


class DossierFile(models.Model):
    """A scanned component of a dossier (số hóa, Decision 468/QĐ-TTg).

    The bytes live in Django's default storage under a random name and are read only through a
    view that checks the reader's scope, never through a public media URL. Nothing is deleted:
    a wrong scan is marked superseded, with an event, and stays in the history.
    """

    class Kind(models.TextChoices):
        PDF = "application/pdf", "PDF"
        JPEG = "image/jpeg", "JPEG"
        PNG = "image/png", "PNG"

    dossier = models.ForeignKey(
        Dossier, verbose_name=_("hồ sơ"), on_delete=models.PROTECT, related_name="files"
    )
    component = models.CharField(
        _("thành phần hồ sơ"),
        max_length=300,
        blank=True,
        help_text=_("Tên thành phần trong danh sách của hồ sơ; để trống là giấy tờ khác."),
    )
    original_name = models.CharField(_("tên tệp khi tải lên"), max_length=255)
    content_type = models.CharField(_("loại tệp"), max_length=30, choices=Kind)
    size = models.PositiveIntegerField(_("dung lượng (byte)"))
    sha256 = models.CharField(_("mã băm SHA-256"), max_length=64)
    storage_name = models.CharField(max_length=255, unique=True, editable=False)
    uploaded_at = models.DateTimeField(_("tải lên lúc"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người tải lên"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    upload_event = models.OneToOneField(
        DossierEvent, on_delete=models.PROTECT, related_name="uploaded_file", editable=False
    )
    superseded_at = models.DateTimeField(_("thay thế lúc"), null=True, blank=True)
    superseded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người đánh dấu thay thế"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    superseded_reason = models.CharField(_("lý do thay thế"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("tệp số hóa")
        verbose_name_plural = _("tệp số hóa")
        ordering = ["uploaded_at", "id"]
        indexes = [
            models.Index(fields=["dossier", "uploaded_at"], name="dossierfile_dossier_at"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(size__gt=0), name="dossierfile_not_empty"),
            models.CheckConstraint(
                condition=Q(content_type__in=["application/pdf", "image/jpeg", "image/png"]),
                name="dossierfile_kind_known",
            ),
            models.CheckConstraint(
                condition=Q(superseded_at__isnull=True, superseded_by__isnull=True)
                | Q(superseded_at__isnull=False, superseded_by__isnull=False),
                name="dossierfile_superseded_complete",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.dossier_id} {self.original_name}"

    @property
    def is_current(self) -> bool:
        return self.superseded_at is None

    @property
    def extension(self) -> str:
        return {"application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png"}[
            self.content_type
        ]


class PersonalDataAccess(models.Model):
    """One view of a dossier's full personal data, or one export, by one user (append-only).

    Written by `intake.privacy.personal_data_access_log` from the views that show a dossier in
    full (detail page and API, receipt, slips, the return page) and from every export (reports,
    the Mẫu 06 logbook, the postal hand-over list). The ward's chief reads their ward's lines,
    a city admin their city's; nobody changes or removes one.
    """

    at = models.DateTimeField(_("thời điểm"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người xem"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    role = models.CharField(_("vai trò"), max_length=20, blank=True)
    # The ward whose data was read (the dossier's, or the ward an export covers); a city-wide
    # export has no ward but its city. A chief reads the lines of their ward, a city admin those
    # of their city's wards and the city's own.
    ward = models.ForeignKey(
        "wards.Ward",
        verbose_name=_("phường"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    city = models.ForeignKey(
        "wards.City",
        verbose_name=_("thành phố"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    dossier = models.ForeignKey(
        Dossier,
        verbose_name=_("hồ sơ"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    export = models.CharField(_("tệp xuất"), max_length=60, blank=True)
    params = models.JSONField(_("tham số"), default=dict, blank=True)

    class Meta:
        verbose_name = _("lần truy cập dữ liệu cá nhân")
        verbose_name_plural = _("nhật ký truy cập dữ liệu cá nhân")
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["ward", "-at", "-id"], name="pda_ward_at"),
            models.Index(fields=["city", "-at", "-id"], name="pda_city_at"),
            models.Index(fields=["dossier", "-at"], name="pda_dossier_at"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(dossier__isnull=False) | ~Q(export=""),
                name="pda_names_dossier_or_export",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.at:%d/%m/%Y %H:%M} {self.user_id} {self.dossier_id or self.export}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise TypeError("Personal data accesses are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise TypeError("Personal data accesses are append-only.")
