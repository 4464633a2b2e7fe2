"""The guidance log (/huong-dan/): one line per citizen guided, typed in a few keystrokes."""

from django.contrib import messages
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from onestop import clock
from onestop.errors import DomainError
from postal.forms import GuidanceForm
from postal.selectors import guidance_for_user
from postal.services import guidance_log
from postal.views._base import back, show_refusal, ward_staff_required

SHOWN = 50


@ward_staff_required
@require_http_methods(["GET", "POST"])
def guidance(request):
    """Log a session (the form keeps focus for the next citizen) and see the ward's latest."""
    user = request.user
    form = GuidanceForm(user=user)
    if request.method == "POST":
        form = GuidanceForm(request.POST, user=user)
        if form.is_valid():
            try:
                session = guidance_log(
                    user=user,
                    topic=form.cleaned_data["topic"],
                    outcome=form.cleaned_data["outcome"],
                    procedure=form.cleaned_data["procedure"],
                )
            except DomainError as error:
                show_refusal(form, error)
            else:
                messages.success(
                    request, _("Đã ghi lượt hướng dẫn: %(topic)s.") % {"topic": session.topic}
                )
                return back(request, "postal:guidance")
    start = timezone.localtime(clock.now()).replace(hour=0, minute=0, second=0, microsecond=0)
    sessions = guidance_for_user(user=user).filter(ward_id=user.ward_id)
    context = {
        "form": form,
        "sessions": sessions.order_by("-at", "-id")[:SHOWN],
        "today_count": sessions.filter(at__gte=start).count(),
        "mine_today": sessions.filter(at__gte=start, worker=user).count(),
    }
    return render(request, "postal/guidance.html", context)
