"""Local time in whole seconds, and `wards.calendar`'s working-time arithmetic on it.

Times are whole seconds of local wall-clock time (Asia/Ho_Chi_Minh has kept UTC+7 since 1975):
ordinal × 86400 + second of the day. The generator asks millions of times, so `WorkingClock`
computes on a table of the city's working days instead of datetimes (the tests compare the two).
"""

import datetime as dt

from wards import calendar

DAY = 86_400
HOUR = 3_600
UTC_OFFSET = 7 * HOUR
_OPEN = 7 * HOUR
_MORNING_END = 11 * HOUR + 1_800
_AFTERNOON_START = 13 * HOUR + 1_800
_CLOSE = 17 * HOUR
_SAME_DAY_CUTOFF = 15 * HOUR
_MORNING_LENGTH = _MORNING_END - _OPEN
WORKING_DAY = _MORNING_LENGTH + _CLOSE - _AFTERNOON_START
NOON = 12 * HOUR


def local_seconds(moment: dt.datetime) -> int:
    """An aware datetime as whole seconds of Vietnam wall-clock time (ordinal × 86400 + second
    of the day), rounded down."""
    local = moment.astimezone(calendar.VIETNAM_TZ)
    return local.toordinal() * DAY + local.hour * HOUR + local.minute * 60 + local.second


def aware(seconds: int) -> dt.datetime:
    """The aware datetime (Asia/Ho_Chi_Minh) of local seconds."""
    day = dt.date.fromordinal(seconds // DAY)
    rest = seconds % DAY
    return dt.datetime(
        day.year, day.month, day.day, rest // HOUR, rest // 60 % 60, rest % 60,
        tzinfo=calendar.VIETNAM_TZ,
    )  # fmt: skip


def _worked_by(time_of_day: int) -> int:
    if time_of_day <= _OPEN:
        return 0
    if time_of_day <= _MORNING_END:
        return time_of_day - _OPEN
    if time_of_day <= _AFTERNOON_START:
        return _MORNING_LENGTH
    if time_of_day <= _CLOSE:
        return _MORNING_LENGTH + time_of_day - _AFTERNOON_START
    return WORKING_DAY


class WorkingClock:
    """`wards.calendar`'s working-time arithmetic for one city, on local seconds.

    The same conventions (effective start, whole days keep the wall-clock time, a remainder
    ending at 11:30 or 17:00 stays there, same-day procedures after 15:00 are due the next
    working day), computed from a table of the city's working days between `first` and `last`
    instead of datetimes: a bulk generator asks millions of times.
    """

    def __init__(self, cal: calendar.WorkingCalendar, first: dt.date, last: dt.date):
        self.base = first.toordinal()
        length = last.toordinal() - self.base + 1
        self.working = [cal.is_working_day(first + dt.timedelta(days=i)) for i in range(length)]
        # rank[i]: working days before day i; days[rank[i]] is day i itself when it works,
        # otherwise the first working day after it.
        self.rank = [0] * (length + 1)
        self.days: list[int] = []
        for i, works in enumerate(self.working):
            self.rank[i] = len(self.days)
            if works:
                self.days.append(self.base + i)
        self.rank[length] = len(self.days)

    def _start(self, seconds: int) -> tuple[int, int]:
        """(index in days, time of day) from which an instant starts counting."""
        i = seconds // DAY - self.base
        time_of_day = seconds % DAY
        if self.working[i]:
            if time_of_day <= _OPEN:
                return self.rank[i], _OPEN
            if time_of_day <= _MORNING_END:
                return self.rank[i], time_of_day
            if time_of_day < _AFTERNOON_START:
                return self.rank[i], _AFTERNOON_START
            if time_of_day <= _CLOSE:
                return self.rank[i], time_of_day
        return self.rank[i + 1], _OPEN

    def is_working_day(self, ordinal: int) -> bool:
        return self.working[ordinal - self.base]

    def add(self, start: int, seconds: int) -> int:
        """calendar.add_working_time(start, seconds)."""
        k, time_of_day = self._start(start)
        whole, rest = divmod(seconds, WORKING_DAY)
        k += whole
        if rest:
            worked = _worked_by(time_of_day) + rest
            if worked > WORKING_DAY:
                k += 1
                worked -= WORKING_DAY
            if worked <= _MORNING_LENGTH:
                time_of_day = _OPEN + worked
            else:
                time_of_day = _AFTERNOON_START + worked - _MORNING_LENGTH
        return self.days[k] * DAY + time_of_day

    def appointment(self, received: int, processing_days: int) -> int:
        """calendar.appointment_at(received, processing_days)."""
        k, time_of_day = self._start(received)
        if processing_days == 0:
            if time_of_day > _SAME_DAY_CUTOFF:
                k += 1
            return self.days[k] * DAY + _CLOSE
        return self.days[k + processing_days] * DAY + time_of_day

    def term(self, received: int, days: int, unit: str) -> int:
        """calendar.term_appointment_at(received, days, unit)."""
        if unit == calendar.WORKING_DAYS or days == 0:
            return self.appointment(received, days)
        if unit != calendar.CALENDAR_DAYS:
            raise ValueError(f"unknown term unit {unit!r}")
        # The receipt's own day does not count; a last day off moves to the next working day.
        last = received // DAY + days - self.base
        return self.days[self.rank[last]] * DAY + _CLOSE

    def working_day_index(self, seconds: int) -> int:
        """The index in `days` of calendar.effective_day(seconds)."""
        return self._start(seconds)[0]

    def between(self, start: int, end: int) -> int:
        """calendar.working_time_between(start, end), in seconds."""
        start_i, end_i = start // DAY - self.base, end // DAY - self.base
        start_working = self.working[start_i]
        worked_at_start = _worked_by(start % DAY) if start_working else 0
        worked_at_end = _worked_by(end % DAY) if self.working[end_i] else 0
        if start_i == end_i:
            return worked_at_end - worked_at_start
        rest_of_first_day = (WORKING_DAY if start_working else 0) - worked_at_start
        days_between = self.rank[end_i] - self.rank[start_i + 1]
        return rest_of_first_day + days_between * WORKING_DAY + worked_at_end

    @staticmethod
    def timeliness(resolved: int, appointment: int) -> str:
        """calendar.timeliness(resolved, appointment)."""
        resolved_day, appointment_day = resolved // DAY, appointment // DAY
        if resolved_day < appointment_day:
            return "early"
        return "on_time" if resolved_day == appointment_day else "late"


def aware_or_none(seconds: int | None) -> dt.datetime | None:
    return None if seconds is None else aware(seconds)
