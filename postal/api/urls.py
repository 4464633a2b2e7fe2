from rest_framework.routers import SimpleRouter

from postal.api.assignments import AssignmentViewSet
from postal.api.authorisations import AuthorisationViewSet
from postal.api.batches import DataEntryBatchViewSet
from postal.api.guidance import GuidanceViewSet

router = SimpleRouter()
router.register("assignments", AssignmentViewSet, basename="assignment")
router.register("authorisations", AuthorisationViewSet, basename="authorisation")
router.register("data-entry-batches", DataEntryBatchViewSet, basename="data-entry-batch")
router.register("guidance", GuidanceViewSet, basename="guidance")
urlpatterns = router.urls
