"""The hall's figures: the panel on the chief's dashboard and the ticket list behind the
reports' figures."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_GET

from hall.forms import TicketFilterForm
from hall.models import BUCKET_BOUNDS
from hall.selectors import hall_board, may_read_figures, ticket_list_for_user, tickets_page
from onestop.paging import page_number
from postal.views._base import chief_required
from wards.models import Ward

TICKETS_PAGE = 50


@chief_required
@require_GET
def board(request):
    """The hall on the chief's dashboard (loaded into it by htmx, refreshed every 30 s)."""
    return render(
        request,
        "hall/_board.html",
        {"board": hall_board(user=request.user), "bounds": BUCKET_BOUNDS},
    )


@login_required
@require_GET
def ticket_list(request):
    """The tickets behind a figure, filtered by ward, days, group, counter and receiver kind."""
    if not may_read_figures(request.user):
        raise Http404
    form = TicketFilterForm(request.GET)
    rows, number, has_next = None, 1, False
    if form.is_valid():
        try:
            tickets = ticket_list_for_user(user=request.user, filters=form.cleaned_data)
        except Ward.DoesNotExist:
            raise Http404 from None
        # One row more than the page shows says whether there is a next page: a year of a
        # city's tickets is never counted.
        number = page_number(request.GET.get("page"))
        rows = tickets_page(tickets, start=(number - 1) * TICKETS_PAGE, size=TICKETS_PAGE)
        has_next = len(rows) > TICKETS_PAGE
        rows = rows[:TICKETS_PAGE]
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "tickets": rows,
        "page": number,
        "has_next": has_next,
        "query": query.urlencode(),
    }
    return render(request, "hall/ticket_list.html", context)
