import datetime as dt

from django.core.files.base import ContentFile
from django.utils import timezone

from onestop.models import BackgroundTask, ExportFile
from tests.security.matrix import LOGIN, Rule, everyone


def _with_a_background_file(world):
    """The chief's logbook made in the background, with its file still kept."""
    now = timezone.now()
    world.background_task = BackgroundTask.objects.create(
        key="matrix:logbook",
        task_path="reports.tasks.logbook_export",
        requested_by=world.chief,
        city=world.city,
        state=BackgroundTask.State.DONE,
        max_attempts=5,
        created_at=now,
    )
    export = ExportFile(
        task=world.background_task,
        name="so-theo-doi.xlsx",
        content_type="application/octet-stream",
        created_at=now,
        expires_at=now + dt.timedelta(hours=1),
    )
    export.file.save("matrix.xlsx", ContentFile(b"xlsx"), save=False)
    export.save()


EXTENSIONS = [_with_a_background_file]
# A task's pages and file: its requester and the city admin of its city.
TASK_READERS = {"anonymous": LOGIN, "chief": 200, "city_admin": 200}


def task(world):
    return {"pk": world.background_task.pk}


RULES = [
    Rule("home", everyone(200)),
    Rule("login", everyone(302, anonymous=200)),
    Rule("logout", everyone(302, anonymous=302), method="post"),
    Rule(
        "set_language",
        everyone(302, anonymous=302),
        method="post",
        data=lambda w: {"language": "en"},
    ),
    Rule(
        "api-token", everyone(400, anonymous=400), method="post", data=lambda w: {"username": "x"}
    ),
    Rule("api-me", everyone(200, anonymous=403)),
    # The schema and its docs are for signed-in staff only (docs/security.md, "Less on show").
    Rule("api-schema", everyone(200, anonymous=404)),
    Rule("api-docs", everyone(200)),
    Rule("tasks", {"anonymous": LOGIN, "city_admin": 200, "other_city_admin": 200}),
    Rule("task", TASK_READERS, kwargs=task),
    Rule("task-progress", TASK_READERS, kwargs=task),
    Rule("task-file", TASK_READERS, kwargs=task),
]
