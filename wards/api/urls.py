from rest_framework.routers import SimpleRouter

from wards.api.views import WardViewSet

router = SimpleRouter()
router.register("wards", WardViewSet, basename="ward")
urlpatterns = router.urls
