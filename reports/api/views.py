"""GET /api/v1/reports/bieu06/ and /api/v1/reports/pilot/: the report pages' figures as JSON.

One row per ward in the caller's scope (a chief: their ward; a city admin: their city's), each
naming its ward, and a totals row. Same definitions, same queries as the pages (reports.selectors).
Biểu 06's fields come in the form's column order, (3) to (13), then the figures the form does not
print (all receipts; refused and withdrawn, its separate table); `as_of` says when the
end-of-period figures are counted.
"""

from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import permissions, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from onestop.api.serializers import WardRefSerializer
from onestop.errors import InvalidInput
from reports import selectors
from reports.periods import parse_date, range_period


class ReportReader(permissions.BasePermission):
    message = "Chỉ trưởng bộ phận một cửa và quản trị thành phố xem báo cáo."

    def has_permission(self, request, view):
        return selectors.may_read_reports(request.user)


# In the form's column order, (3) to (13), then what is not on the form. Field names are stable.
BIEU06_HELP = {
    "total": "Column (3) of the form: handled in the period, received_online + "
    "received_direct_postal + carried_over.",
    "received_online": "Column (4): received in the period through channel 2 (online).",
    "received_direct_postal": "Column (5): received in the period through channels 1 (direct) "
    "and 3 (public postal service).",
    "carried_over": "Column (6): received before the period and not finished (resolved, "
    "refused, withdrawn) at its start.",
    "resolved": "Column (7): result ready (resolved_at) in the period.",
    "resolved_early": "Column (8): resolved before the appointment's date.",
    "resolved_on_time": "Column (9): resolved on the appointment's date.",
    "resolved_late": "Column (10): resolved after the appointment's date, or after two or more "
    "supplement requests.",
    "pending": "Column (11): not finished at the period's end (at as_of while it is not over).",
    "pending_within": "Column (12): pending whose promised date (apology's, else "
    "appointment) is not before the period's end (as_of while it is not over).",
    "pending_overdue": "Column (13): pending whose promised date is before the period's end "
    "(as_of while it is not over).",
    "received": "Not on the form: received in the period, all channels (columns 4 + 5).",
    "refused": "Not on the form (its separate table): refused in the period, including "
    "dossiers whose processing was stopped (Thông báo dừng giải quyết hồ sơ).",
    "withdrawn": "Not on the form (its separate table): withdrawn in the period.",
}

PILOT_HELP = {
    "received": "Received in the period.",
    "received_postal_worker": "Received in the period by a postal worker.",
    "received_officer": "Received in the period by an officer.",
    "postal_worker_share": "Percentage of the period's dossiers received by postal workers.",
    "on_time_share_postal_worker": "Percentage resolved early or on time, of the dossiers "
    "received by postal workers and resolved in the period.",
    "on_time_share_officer": "The same for dossiers received by officers.",
    "returned_postal_worker": "Returned in the period, received by a postal worker.",
    "returned_officer": "Returned in the period, received by an officer.",
    "out_of_list": "Out-of-list intakes received in the period.",
    "returned_counter": "Results returned at the counter in the period.",
    "returned_post": "Results delivered by post in the period.",
    "refused": "Refused in the period.",
    "withdrawn": "Withdrawn in the period.",
    "mean_processing_days": "Mean working days from receipt to result, pauses for supplements "
    "excluded, of the dossiers resolved in the period.",
    "digitised_share": "Percentage of the period's dossiers with at least one current scan.",
    "satisfaction_share": "Percentage rated satisfied or very satisfied, of the dossiers "
    "returned with a rating in the period.",
    "shifts_intake": "Postal workers' intake shifts in the period.",
    "shifts_result_return": "Result-return shifts.",
    "shifts_data_entry": "Data-entry shifts.",
    "shifts_guidance": "Guidance shifts.",
    "shifts_out_of_list_intake": "Out-of-list intake shifts.",
    "guidance_sessions": "Guidance sessions logged in the period.",
    "data_entry_total": "Paper dossiers in the data-entry batches at work in the period.",
    "data_entry_done": "Of those, entered by the period's end.",
    "data_entry_progress": "data_entry_done as a percentage of data_entry_total.",
    "on_time_share": "National index: percentage resolved early or on time.",
    "online_share": "National index: percentage received online.",
    "direct_share": "National index: percentage received directly.",
    "postal_share": "National index: percentage received through the public postal service.",
}
SHARE_FIELDS = {
    "postal_worker_share",
    "on_time_share_postal_worker",
    "on_time_share_officer",
    "mean_processing_days",
    "digitised_share",
    "satisfaction_share",
    "data_entry_progress",
    "on_time_share",
    "online_share",
    "direct_share",
    "postal_share",
}


def _figures_serializer(name: str, help_texts: dict[str, str]) -> type[serializers.Serializer]:
    fields = {}
    for field, text in help_texts.items():
        if field in SHARE_FIELDS:
            fields[field] = serializers.FloatField(allow_null=True, help_text=text)
        elif field.startswith(("shifts_", "guidance_", "data_entry_")):
            fields[field] = serializers.IntegerField(allow_null=True, help_text=text)
        else:
            fields[field] = serializers.IntegerField(help_text=text)
    return type(name, (serializers.Serializer,), fields)


Bieu06Figures = _figures_serializer("Bieu06Figures", BIEU06_HELP)
PilotFigures = _figures_serializer("PilotFigures", PILOT_HELP)


def _report_serializer(name: str, figures, extra=None) -> type[serializers.Serializer]:
    row = type(
        f"{name}Row",
        (figures,),
        {
            "ward": WardRefSerializer(),
            "pilot_phase": serializers.IntegerField(help_text="0 none, 1 first, 2 second"),
        },
    )
    return type(
        name,
        (serializers.Serializer,),
        {
            "from": serializers.DateField(help_text="First day of the period."),
            "to": serializers.DateField(help_text="Last day of the period (included)."),
            "rows": row(many=True),
            "totals": figures(),
            **(extra or {}),
        },
    )


Bieu06Report = _report_serializer(
    "Bieu06Report",
    Bieu06Figures,
    {
        "as_of": serializers.DateTimeField(
            help_text="The instant pending, pending_within and pending_overdue are counted at: "
            "the period's end (midnight after `to`), or the moment of the request while the "
            "period is not over."
        )
    },
)
PilotReport = _report_serializer("PilotReport", PilotFigures)

PARAMETERS = [
    OpenApiParameter("from", str, required=True, description="First day, YYYY-MM-DD."),
    OpenApiParameter("to", str, required=True, description="Last day (included), YYYY-MM-DD."),
    OpenApiParameter("ward", str, required=False, description="One ward's slug."),
]


class _ReportView(APIView):
    permission_classes = [permissions.IsAuthenticated, ReportReader]
    names: dict[str, str] = {}
    with_as_of = False

    def get(self, request):
        params = request.query_params
        missing = {
            name: [_("Bắt buộc (YYYY-MM-DD).")] for name in ("from", "to") if not params.get(name)
        }
        if missing:
            raise serializers.ValidationError(missing)
        first = _iso(params["from"], "from")
        last = _iso(params["to"], "to")
        period = range_period(first, last)
        report = selectors.ward_report(
            user=request.user, period=period, ward_slug=params.get("ward", "")[:50]
        )

        def figures(row):
            return {name: row.values.get(name) for name in self.names}

        rows = [
            {
                "ward": row.ward,
                "pilot_phase": row.ward.pilot_phase,
                **figures(row),
            }
            for row in report.ward_rows
        ]
        body = {
            "from": period.first_day.isoformat(),
            "to": period.last_day.isoformat(),
            "rows": [{**r, "ward": WardRefSerializer(r["ward"]).data} for r in rows],
            "totals": figures(report.total),
        }
        if self.with_as_of:
            body["as_of"] = serializers.DateTimeField().to_representation(report.as_of)
        return Response(body)


def _iso(value: str, field: str):
    value = value.strip()
    if len(value) != 10 or value[4] != "-":
        raise InvalidInput(_("Ngày phải có dạng YYYY-MM-DD."), field=field)
    return parse_date(value, field)


class Bieu06View(_ReportView):
    """Biểu 06 (Circular 01/2020/TT-VPCP) per ward for a period, and the totals."""

    names = BIEU06_HELP
    with_as_of = True

    @extend_schema(
        parameters=PARAMETERS,
        responses={200: Bieu06Report, 400: OpenApiTypes.OBJECT, 403: OpenApiTypes.OBJECT},
        operation_id="reports_bieu06",
    )
    def get(self, request):
        return super().get(request)


class PilotView(_ReportView):
    """The pilot's figures and the national index subset per ward for a period."""

    names = PILOT_HELP

    @extend_schema(
        parameters=PARAMETERS,
        responses={200: PilotReport, 400: OpenApiTypes.OBJECT, 403: OpenApiTypes.OBJECT},
        operation_id="reports_pilot",
    )
    def get(self, request):
        return super().get(request)
