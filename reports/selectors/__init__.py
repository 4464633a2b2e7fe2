"""The reads behind every report; each module owns one part of it."""

from reports.selectors.access import REPORT_ROLES, may_read_reports, report_ward, report_wards
from reports.selectors.figures import COUNTS, POSTAL_COUNTS, SATISFIED, Figures
from reports.selectors.hall import HALL_NAMES, hall_figures_add
from reports.selectors.links import dossier_list_url, figure_filters, figure_links
from reports.selectors.logbook import logbook_entries
from reports.selectors.report import PHASE_GROUPS, Report, Row, field_report, ward_report
from reports.selectors.trends import TREND_MONTHS, MonthPoint, monthly_trend, trend_months

__all__ = [
    "COUNTS",
    "HALL_NAMES",
    "PHASE_GROUPS",
    "POSTAL_COUNTS",
    "REPORT_ROLES",
    "SATISFIED",
    "TREND_MONTHS",
    "Figures",
    "MonthPoint",
    "Report",
    "Row",
    "dossier_list_url",
    "field_report",
    "figure_filters",
    "figure_links",
    "hall_figures_add",
    "logbook_entries",
    "may_read_reports",
    "monthly_trend",
    "report_ward",
    "report_wards",
    "trend_months",
    "ward_report",
]
