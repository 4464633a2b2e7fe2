"""The personal-data access log (/nhat-ky-truy-cap/): who saw which dossier, who exported what.

A chief reads their ward's lines, a city admin their city's; other roles have no such page.
Paged by fetching one row past the page, never by counting a log that only grows.
"""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.utils.http import urlencode
from django.views.decorators.http import require_GET

from intake.privacy import may_read_access_log, personal_data_accesses_for_user
from onestop.models import Role
from onestop.paging import page_number

PAGE_SIZE = 50
MAX_PAGE = 10_000


@login_required
@require_GET
def access_log_view(request):
    if not may_read_access_log(request.user):
        raise PermissionDenied
    page = page_number(request.GET.get("page"), last=MAX_PAGE)
    offset = (page - 1) * PAGE_SIZE
    lines = personal_data_accesses_for_user(user=request.user)
    code = request.GET.get("ho_so", "").strip()[:40]
    if code:
        lines = lines.filter(dossier__code=code)
    rows = list(lines[offset : offset + PAGE_SIZE + 1])
    for row in rows:
        row.role_label = Role(row.role).label if row.role in Role.values else ""
        row.param_items = sorted(row.params.items()) if isinstance(row.params, dict) else []
    query = f"&{urlencode({'ho_so': code})}" if code else ""
    context = {
        "lines": rows[:PAGE_SIZE],
        "page": page,
        "first_number": offset + 1,
        "code": code,
        "next_url": f"?page={page + 1}{query}" if len(rows) > PAGE_SIZE else None,
        "previous_url": f"?page={page - 1}{query}" if page > 1 else None,
    }
    return render(request, "intake/privacy/access_log.html", context)
