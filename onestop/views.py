"""Login, the home page of each role, the lockout page, and the background tasks' pages."""

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import render
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.module_loading import import_string
from django.views.decorators.http import require_GET

from onestop import selectors
from onestop.forms import LoginForm
from onestop.models import BackgroundTask, ExportFile
from onestop.paging import page_number
from onestop.tasks import KINDS


class LoginView(auth_views.LoginView):
    form_class = LoginForm
    redirect_authenticated_user = True


def locked_out(request, credentials=None, *args, **kwargs):
    """django-axes lockout: a clear page with HTTP 429, never a bare error."""
    minutes = int(settings.AXES_COOLOFF_TIME * 60)
    return render(request, "registration/locked_out.html", {"cooloff_minutes": minutes}, status=429)


@login_required
def home(request):
    """Each role's home page, as the app that owns it names it in settings.HOME_VIEWS."""
    view_path = settings.HOME_VIEWS.get(request.user.role) or settings.HOME_VIEWS[""]
    return import_string(view_path)(request)


# --- background tasks ---------------------------------------------------------------------------

TASKS_PAGE_SIZE = 50
TASKS_MAX_PAGE = 10_000


@login_required
@require_GET
def task_list(request):
    """The city admin's tasks: queued, running, waiting to retry, failed with the reason, done."""
    if not selectors.may_read_tasks(request.user):
        raise Http404
    tasks = selectors.background_tasks_for_user(user=request.user)
    state = request.GET.get("trang_thai", "")
    if state in BackgroundTask.State.values:
        tasks = tasks.filter(state=state)
    else:
        state = ""
    kind = request.GET.get("loai", "")
    if kind in KINDS:
        tasks = tasks.filter(task_path=kind)
    else:
        kind = ""
    page = page_number(request.GET.get("page"), last=TASKS_MAX_PAGE)
    offset = (page - 1) * TASKS_PAGE_SIZE
    rows = list(tasks[offset : offset + TASKS_PAGE_SIZE + 1])
    for row in rows:
        row.kind_label = KINDS.get(row.task_path, row.task_path)
    query = urlencode({k: v for k, v in (("trang_thai", state), ("loai", kind)) if v})
    query = f"&{query}" if query else ""
    return render(
        request,
        "onestop/tasks.html",
        {
            "tasks": rows[:TASKS_PAGE_SIZE],
            "states": BackgroundTask.State.choices,
            "kinds": sorted(KINDS.items(), key=lambda item: str(item[1])),
            "state": state,
            "kind": kind,
            "page": page,
            "first_number": offset + 1,
            "next_url": f"?page={page + 1}{query}" if len(rows) > TASKS_PAGE_SIZE else None,
            "previous_url": f"?page={page - 1}{query}" if page > 1 else None,
            "waiting_too_long": selectors.tasks_waiting_too_long(user=request.user),
        },
    )


def _task(request, pk) -> BackgroundTask:
    try:
        return selectors.background_task_for_user(user=request.user, pk=pk)
    except BackgroundTask.DoesNotExist as missing:
        raise Http404 from missing


def _progress_context(record: BackgroundTask) -> dict:
    now = timezone.now()
    export = getattr(record, "file", None)
    return {
        "task": record,
        "kind_label": KINDS.get(record.task_path, record.task_path),
        "finished": record.state in (BackgroundTask.State.DONE, BackgroundTask.State.FAILED),
        "export": export,
        "export_kept": export is not None and export.removed_at is None and export.expires_at > now,
        "waiting_too_long": record.state == BackgroundTask.State.QUEUED
        and record.created_at < now - selectors.WAITING_TOO_LONG,
    }


@login_required
@require_GET
def task_detail(request, pk):
    """One task for its requester: a progress bar that follows it, then the download."""
    record = _task(request, pk)
    return render(request, "onestop/task.html", _progress_context(record))


@login_required
@require_GET
def task_progress(request, pk):
    """The progress bar alone, which the task page asks for every second until the end."""
    record = _task(request, pk)
    return render(request, "onestop/_task_progress.html", _progress_context(record))


@login_required
@require_GET
def task_file(request, pk):
    """The file a task made, for its requester and the city admin, while it is kept."""
    try:
        export = selectors.export_file_for_user(user=request.user, pk=pk)
    except (BackgroundTask.DoesNotExist, ExportFile.DoesNotExist) as missing:
        raise Http404 from missing
    return FileResponse(
        export.file.open("rb"),
        as_attachment=True,
        filename=export.name,
        content_type=export.content_type,
    )
