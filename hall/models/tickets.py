"""The counter hall: service groups and the counters serving them, kiosk, display and evaluation
tablet devices, queue tickets and their events.

A ticket is numbered per group and local day (TicketSequence, one statement under a row lock, and
a unique constraint as the last guard). Its timestamps stay on the row — issued, first called,
served (the call the citizen answered), done — so waits and service times can be computed from
the tickets alone. Every change of a ticket appends a TicketEvent; nothing is deleted.
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from onestop.fields import actor_field
from postal.models import AppendOnly


class GroupKind(models.TextChoices):
    INTAKE = "intake", _("Tiếp nhận hồ sơ")
    RESULT_RETURN = "result_return", _("Trả kết quả")
    GUIDANCE = "guidance", _("Hướng dẫn")
    POST = "post", _("Dịch vụ bưu chính")


class ServiceGroup(models.Model):
    """What a citizen picks on the kiosk; the counters that serve it call its tickets."""

    ward = models.ForeignKey(
        "wards.Ward", verbose_name=_("phường"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("loại"), max_length=20, choices=GroupKind)
    name = models.CharField(_("tên trên máy lấy số"), max_length=80)
    # Intake is split by field (hộ tịch, chứng thực…); empty for the other kinds.
    field = models.CharField(_("lĩnh vực"), max_length=120, blank=True)
    first_number = models.PositiveIntegerField(
        _("số đầu tiên trong ngày"),
        default=1,
        help_text=_("Ví dụ 1001: mỗi nhóm một dải số để công dân phân biệt."),
    )
    position = models.PositiveSmallIntegerField(_("thứ tự"), default=0)
    active = models.BooleanField(_("đang dùng"), default=True)
    counters = models.ManyToManyField(
        "wards.Counter", verbose_name=_("quầy phục vụ"), blank=True, related_name="+"
    )

    # Set by the selectors that count the queue (not stored).
    waiting: int
    open: bool

    class Meta:
        verbose_name = _("nhóm dịch vụ")
        verbose_name_plural = _("nhóm dịch vụ")
        ordering = ["ward", "position", "first_number", "id"]
        constraints = [
            models.UniqueConstraint(fields=["ward", "name"], name="hall_group_unique_name"),
            models.CheckConstraint(
                condition=Q(kind__in=GroupKind.values), name="hall_group_kind_known"
            ),
            models.CheckConstraint(condition=~Q(name=""), name="hall_group_has_name"),
            models.CheckConstraint(
                condition=Q(first_number__gte=1), name="hall_group_first_positive"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Device(models.Model):
    """A kiosk or a hall display, bound to its ward by a key the chief creates and revokes.

    The key is never stored: the row keeps its SHA-256 digest and a nonce from which SECRET_KEY
    derives the same key again (as API tokens do), so the chief can show the link again.
    """

    class Kind(models.TextChoices):
        KIOSK = "kiosk", _("Máy lấy số")
        DISPLAY = "display", _("Màn hình gọi số")
        EVALUATION = "evaluation", _("Máy tính bảng đánh giá")

    ward = models.ForeignKey(
        "wards.Ward", verbose_name=_("phường"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("loại thiết bị"), max_length=10, choices=Kind)
    name = models.CharField(_("tên thiết bị"), max_length=80)
    digest = models.CharField(max_length=64, unique=True, editable=False)
    nonce = models.CharField(max_length=32, editable=False)
    created_at = models.DateTimeField(_("tạo lúc"))
    created_by = actor_field(_("người tạo"))
    revoked_at = models.DateTimeField(_("thu hồi lúc"), null=True, blank=True)
    revoked_by = actor_field(_("người thu hồi"), optional=True)
    # An evaluation tablet stands at one counter; the worker there invites the citizen to rate
    # a dossier, and the tablet shows that dossier's form until it is answered.
    counter = models.ForeignKey(
        "wards.Counter",
        verbose_name=_("quầy"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    invited_dossier = models.ForeignKey(
        "intake.Dossier", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    invited_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("thiết bị xếp hàng")
        verbose_name_plural = _("thiết bị xếp hàng")
        ordering = ["ward", "kind", "name", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=["kiosk", "display", "evaluation"]),
                name="hall_device_kind_known",
            ),
            models.CheckConstraint(
                condition=~Q(kind="evaluation") | Q(counter__isnull=False),
                name="hall_device_tablet_has_counter",
            ),
            models.CheckConstraint(
                condition=Q(revoked_at__isnull=True, revoked_by__isnull=True)
                | Q(revoked_at__isnull=False, revoked_by__isnull=False),
                name="hall_device_revoke_complete",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.name}"

    @property
    def live(self) -> bool:
        return self.revoked_at is None


class TicketSequence(models.Model):
    """The last number given in a group on a local day; its row is the lock numbers queue on."""

    group = models.ForeignKey(ServiceGroup, on_delete=models.PROTECT, related_name="+")
    day = models.DateField()
    last_number = models.PositiveIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["group", "day"], name="hall_sequence_group_day")
        ]

    def __str__(self) -> str:
        return f"{self.group_id} {self.day} {self.last_number}"


class TicketStatus(models.TextChoices):
    WAITING = "waiting", _("Đang chờ")
    CALLED = "called", _("Đang phục vụ")
    DONE = "done", _("Đã phục vụ")
    DROPPED = "dropped", _("Vắng mặt, đã huỷ")


class Ticket(models.Model):
    ward = models.ForeignKey(
        "wards.Ward", verbose_name=_("phường"), on_delete=models.PROTECT, related_name="+"
    )
    group = models.ForeignKey(
        ServiceGroup, verbose_name=_("nhóm dịch vụ"), on_delete=models.PROTECT, related_name="+"
    )
    # The group the number was given in: a transfer moves the ticket, the number stays.
    issued_group = models.ForeignKey(
        ServiceGroup, verbose_name=_("nhóm lấy số"), on_delete=models.PROTECT, related_name="+"
    )
    day = models.DateField(_("ngày"))
    number = models.PositiveIntegerField(_("số thứ tự"))
    status = models.CharField(
        _("trạng thái"), max_length=10, choices=TicketStatus, default=TicketStatus.WAITING
    )
    device = models.ForeignKey(
        Device,
        verbose_name=_("máy lấy số"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    issued_at = models.DateTimeField(_("lấy số lúc"))
    # Not called before this moment: a ticket skipped as absent waits N minutes.
    eligible_at = models.DateTimeField(_("được gọi từ"))
    # Transferred to one counter: only that counter calls it.
    for_counter = models.ForeignKey(
        "wards.Counter",
        verbose_name=_("chuyển đến quầy"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    counter = models.ForeignKey(
        "wards.Counter",
        verbose_name=_("quầy gọi"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    called_by = actor_field(_("người gọi"), optional=True)
    called_at = models.DateTimeField(_("gọi lần đầu lúc"), null=True, blank=True)
    last_called_at = models.DateTimeField(_("gọi gần nhất lúc"), null=True, blank=True)
    served_at = models.DateTimeField(_("bắt đầu phục vụ lúc"), null=True, blank=True)
    done_at = models.DateTimeField(_("xong lúc"), null=True, blank=True)
    skips = models.PositiveSmallIntegerField(_("số lần vắng mặt"), default=0)

    class Meta:
        verbose_name = _("số thứ tự")
        verbose_name_plural = _("số thứ tự")
        ordering = ["-day", "issued_at", "id"]
        indexes = [
            models.Index(fields=["ward", "day", "status"], name="hall_ticket_ward_day_status"),
            models.Index(fields=["group", "status", "issued_at"], name="hall_ticket_queue"),
            models.Index(fields=["counter", "status"], name="hall_ticket_counter_status"),
            # The ticket list behind the figures: a ward's days, newest first.
            models.Index(fields=["ward", "day", "issued_at", "id"], name="hall_ticket_ward_list"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["issued_group", "day", "number"], name="hall_ticket_unique_number"
            ),
            models.CheckConstraint(
                condition=Q(status__in=TicketStatus.values), name="hall_ticket_status_known"
            ),
            models.CheckConstraint(
                condition=~Q(status="called") | Q(counter__isnull=False, called_at__isnull=False),
                name="hall_ticket_called_has_counter",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} ({self.day:%d/%m/%Y})"


class TicketEvent(AppendOnly):
    """One change of a ticket, appended in the transaction that made it; never changed."""

    class Action(models.TextChoices):
        ISSUED = "issued", _("Lấy số")
        CALLED = "called", _("Gọi số")
        RECALLED = "recalled", _("Gọi lại")
        SKIPPED = "skipped", _("Vắng mặt")
        DROPPED = "dropped", _("Huỷ vì vắng mặt")
        TRANSFERRED = "transferred", _("Chuyển")
        LINKED = "linked", _("Ghi nhận việc đã làm")
        DONE = "done", _("Xong")

    ticket = models.ForeignKey(Ticket, on_delete=models.PROTECT, related_name="events")
    ward = models.ForeignKey("wards.Ward", on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(_("lúc"))
    action = models.CharField(_("thao tác"), max_length=12, choices=Action)
    actor = actor_field(_("người thực hiện"), optional=True)
    counter = models.ForeignKey(
        "wards.Counter", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    from_status = models.CharField(max_length=10, blank=True)
    to_status = models.CharField(max_length=10, blank=True)
    to_group = models.ForeignKey(
        ServiceGroup, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    to_counter = models.ForeignKey(
        "wards.Counter", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    dossier = models.ForeignKey(
        "intake.Dossier", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    guidance = models.ForeignKey(
        "postal.GuidanceSession", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    what = models.CharField(_("việc đã làm"), max_length=20, blank=True)

    class Meta:
        verbose_name = _("sự kiện số thứ tự")
        verbose_name_plural = _("sự kiện số thứ tự")
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["ward", "action", "-at"], name="hall_event_calls")]
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    action__in=[
                        "issued",
                        "called",
                        "recalled",
                        "skipped",
                        "dropped",
                        "transferred",
                        "linked",
                        "done",
                    ]
                ),
                name="hall_event_action_known",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.ticket_id} {self.action} {self.at:%H:%M:%S}"


# The histogram of waits and service times kept in each figures row: bucket i counts the
# tickets whose duration (in seconds) is at least BUCKET_BOUNDS[i - 1] minutes and less than
# BUCKET_BOUNDS[i] minutes; the last bucket holds everything from 240 minutes on. One minute
# wide to 10 minutes, then 2, 5, 10, 30 and 60 minutes wide: a 90th percentile read from the
# rows of any range of days is exact to that width.
BUCKET_BOUNDS: tuple[int, ...] = (
    *range(1, 11),
    12,
    14,
    16,
    18,
    20,
    25,
    30,
    40,
    50,
    60,
    90,
    120,
    180,
    240,
)
BUCKETS = len(BUCKET_BOUNDS) + 1
MEASURES = ("wait", "service")


def bucket_column(measure: str, index: int) -> str:
    return f"{measure}_{index:02d}"


class DailyHallFigures(models.Model):
    """The hall's figures of one ward, local day, counter, service group and receiver kind.

    `served` tickets were finished at the counter: their wait is from the ticket's issue to its
    first call, their service from the call the citizen answered to done; both are summed in
    seconds and counted in the minute buckets (`wait_00`…, `service_00`…). `dropped` tickets
    were skipped as absent too often: they have no wait or service of their own. `transferred`
    counts the served tickets that were transferred on the way: each counts once, at the
    counter and in the group that finished it. Written in the transaction that finishes or
    drops the ticket (hall.figures); `manage.py check_report_figures` proves the rows equal the
    figures recomputed from the tickets.
    """

    ward = models.ForeignKey("wards.Ward", on_delete=models.PROTECT, related_name="+")
    day = models.DateField(_("ngày"))
    counter = models.ForeignKey("wards.Counter", on_delete=models.PROTECT, related_name="+")
    group = models.ForeignKey(ServiceGroup, on_delete=models.PROTECT, related_name="+")
    receiver_kind = models.CharField(_("người phục vụ là"), max_length=15)
    served = models.IntegerField(default=0)
    dropped = models.IntegerField(default=0)
    transferred = models.IntegerField(default=0)
    wait_seconds = models.BigIntegerField(default=0)
    service_seconds = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("số liệu xếp hàng theo ngày")
        verbose_name_plural = _("số liệu xếp hàng theo ngày")
        constraints = [
            models.UniqueConstraint(
                fields=["ward", "day", "counter", "group", "receiver_kind"],
                name="hall_figures_unique_key",
            ),
        ]
        indexes = [models.Index(fields=["ward", "day"], name="hall_figures_ward_day")]

    def __str__(self) -> str:
        return f"{self.ward_id} {self.day} {self.counter_id} {self.group_id} {self.receiver_kind}"


for _measure in MEASURES:
    for _index in range(BUCKETS):
        DailyHallFigures.add_to_class(
            bucket_column(_measure, _index), models.IntegerField(default=0)
        )
