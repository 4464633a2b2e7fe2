from rest_framework.routers import SimpleRouter

from intake.api.views import ProcedureViewSet

router = SimpleRouter()
router.register("procedures", ProcedureViewSet, basename="procedure")
urlpatterns = router.urls
