from django.urls import path

from hall.api import views

urlpatterns = [
    path("hall/tickets/", views.TicketCreateView.as_view(), name="hall-ticket-create"),
    path("hall/tickets/<int:pk>/", views.TicketDetailView.as_view(), name="hall-ticket-detail"),
    path("hall/call-next/", views.CallNextView.as_view(), name="hall-call-next"),
    path("hall/display/", views.DisplayView.as_view(), name="hall-display"),
    path("hall/evaluations/", views.EvaluationCreateView.as_view(), name="hall-evaluation-create"),
]
