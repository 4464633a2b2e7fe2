from django.urls import path
from rest_framework.routers import SimpleRouter

from intake.api import files
from intake.api.views import DossierViewSet, ProcedureViewSet

router = SimpleRouter()
router.register("procedures", ProcedureViewSet, basename="procedure")
router.register("dossiers", DossierViewSet, basename="dossier")
urlpatterns = router.urls

# Digitised components of a dossier.
urlpatterns += [
    path(
        "dossiers/<str:code>/files/", files.DossierFileListView.as_view(), name="dossier-file-list"
    ),
    path(
        "dossiers/<str:code>/files/<int:file_id>/",
        files.DossierFileDownloadView.as_view(),
        name="dossier-file-detail",
    ),
    path(
        "dossiers/<str:code>/files/<int:file_id>/supersede/",
        files.DossierFileSupersedeView.as_view(),
        name="dossier-file-supersede",
    ),
]
