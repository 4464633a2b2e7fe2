"""The weekly roster: shifts, task types, one worker's task in one shift of one day, and the log
of every change to it. An assignment is cancelled, never deleted.
"""

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from onestop.fields import actor_field
from postal.models._base import HistoryEntry

MORNING_ENDS = dt.time(12, 0)


class Shift(models.TextChoices):
    MORNING = "morning", _("Sáng")
    AFTERNOON = "afternoon", pgettext_lazy("shift", "Chiều")


def shift_of(local_moment: dt.datetime) -> "Shift":
    """The shift a local wall-clock moment falls in: morning before noon, afternoon after."""
    return Shift.MORNING if local_moment.time() < MORNING_ENDS else Shift.AFTERNOON


# The counter's working hours in each shift (wards.calendar counts deadlines in the same hours).
SHIFT_HOURS = {
    "morning": (dt.time(7, 0), dt.time(11, 30)),
    "afternoon": (dt.time(13, 30), dt.time(17, 0)),
}


def shift_in_progress(local_moment: dt.datetime, *, working_day: bool) -> "Shift | None":
    """The shift under way at a local moment of a day: None on a day off, before the morning
    opens, over lunch and after closing (at midnight no shift is under way)."""
    if not working_day:
        return None
    shift = shift_of(local_moment)
    opens, closes = SHIFT_HOURS[shift]
    return shift if opens <= local_moment.time() < closes else None


class TaskType(models.TextChoices):
    INTAKE = "intake", _("Tiếp nhận")
    RESULT_RETURN = "result_return", _("Trả kết quả")
    DATA_ENTRY = "data_entry", _("Nhập liệu")
    GUIDANCE = "guidance", _("Hướng dẫn")
    OUT_OF_LIST_INTAKE = "out_of_list_intake", _("Tiếp nhận ngoài danh mục")


# Tasks done facing citizens across a counter: the counter is part of the assignment.
COUNTER_TASKS = (TaskType.INTAKE, TaskType.RESULT_RETURN, TaskType.OUT_OF_LIST_INTAKE)


class AssignmentQuerySet(models.QuerySet):
    def active(self):
        return self.filter(cancelled_at__isnull=True)


class Assignment(models.Model):
    """One worker's task in one shift of one day (a cell of the chief's week grid)."""

    ward = models.ForeignKey("wards.Ward", verbose_name=_("phường"), on_delete=models.PROTECT)
    worker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("nhân viên"),
        on_delete=models.PROTECT,
        related_name="assignments",
    )
    date = models.DateField(_("ngày"))
    shift = models.CharField(_("ca"), max_length=10, choices=Shift)
    task_type = models.CharField(_("nhiệm vụ"), max_length=20, choices=TaskType)
    counter = models.ForeignKey(
        "wards.Counter",
        verbose_name=_("quầy"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assignments",
    )
    note = models.CharField(_("ghi chú"), max_length=300, blank=True)
    assigned_by = actor_field(_("người phân công"))
    created_at = models.DateTimeField(_("tạo lúc"))
    updated_at = models.DateTimeField(_("sửa lúc"))
    cancelled_at = models.DateTimeField(_("huỷ lúc"), null=True, blank=True)
    cancelled_by = actor_field(_("người huỷ"), optional=True)
    cancel_note = models.CharField(_("lý do huỷ"), max_length=300, blank=True)

    objects = AssignmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("phân công")
        verbose_name_plural = _("phân công")
        ordering = ["date", "shift", "worker_id"]
        indexes = [
            models.Index(fields=["ward", "date"], name="assignment_ward_date"),
            models.Index(fields=["worker", "date"], name="assignment_worker_date"),
        ]
        constraints = [
            # The heart of the roster: one live task per worker and shift, so a worker is never
            # at two counters at once, whatever path (form, API, two chiefs at once) writes it.
            models.UniqueConstraint(
                fields=["worker", "date", "shift"],
                condition=Q(cancelled_at__isnull=True),
                name="assignment_one_per_worker_shift",
            ),
            models.CheckConstraint(
                condition=Q(shift__in=Shift.values), name="assignment_shift_known"
            ),
            models.CheckConstraint(
                condition=Q(task_type__in=TaskType.values), name="assignment_task_known"
            ),
            models.CheckConstraint(
                condition=~Q(task_type__in=COUNTER_TASKS) | Q(counter__isnull=False),
                name="assignment_counter_task_has_counter",
            ),
            models.CheckConstraint(
                condition=Q(cancelled_at__isnull=True, cancelled_by__isnull=True, cancel_note="")
                | (Q(cancelled_at__isnull=False, cancelled_by__isnull=False) & ~Q(cancel_note="")),
                name="assignment_cancel_complete",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.worker} {self.date:%d/%m/%Y} {self.get_shift_display()}"

    @property
    def is_cancelled(self) -> bool:
        return self.cancelled_at is not None

    def describe(self) -> str:
        """How a refusal or a history line names this assignment."""
        where = f", {self.counter}" if self.counter_id else ""
        return _("%(task)s, ca %(shift)s %(date)s%(where)s") % {
            "task": self.get_task_type_display(),
            "shift": self.get_shift_display().lower(),
            "date": f"{self.date:%d/%m/%Y}",
            "where": where,
        }

    def snapshot(self) -> dict:
        """The values a change log keeps."""
        return {
            "worker": self.worker_id,
            "date": self.date.isoformat(),
            "shift": self.shift,
            "task_type": self.task_type,
            "counter": self.counter_id,
            "note": self.note,
        }


class AssignmentChange(HistoryEntry):
    """One line of an assignment's history: created, changed, copied or cancelled."""

    class Action(models.TextChoices):
        CREATED = "created", _("Phân công")
        COPIED = "copied", _("Sao chép từ tuần trước")
        UPDATED = "updated", _("Sửa")
        CANCELLED = "cancelled", _("Huỷ")

    assignment = models.ForeignKey(
        Assignment, verbose_name=_("phân công"), on_delete=models.PROTECT, related_name="changes"
    )
    action = models.CharField(_("thao tác"), max_length=10, choices=Action)
    before = models.JSONField(_("trước"), default=dict, blank=True)
    after = models.JSONField(_("sau"), default=dict, blank=True)
    note = models.CharField(_("ghi chú"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("lịch sử phân công")
        verbose_name_plural = _("lịch sử phân công")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.assignment_id} {self.action} {self.at:%d/%m/%Y %H:%M}"
