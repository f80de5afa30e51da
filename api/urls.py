"""/api/v1/: the resources of each app's `api.py`, the OpenAPI schema and its Swagger UI.

Anything else under /api/ answers 404 in the API's error shape.
"""

from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.routers import SimpleRouter

from api.errors import not_found
from complaints.api import AttachmentViewSet, ComplaintViewSet, CustomerViewSet
from followup.api import ComplaintFollowUpViewSet, WorkOrderReviewViewSet
from routing.api import CategoryViewSet, ComplaintDispatchViewSet, TeamViewSet, WorkOrderViewSet

app_name = "api"

router = SimpleRouter(use_regex_path=False)
router.register("complaints", ComplaintViewSet, basename="complaint")
router.register("complaints", ComplaintDispatchViewSet, basename="complaint-dispatch")
router.register("complaints", ComplaintFollowUpViewSet, basename="complaint-followup")
router.register("work-orders", WorkOrderViewSet, basename="work-order")
router.register("work-orders", WorkOrderReviewViewSet, basename="work-order-review")
router.register("customers", CustomerViewSet, basename="customer")
router.register("attachments", AttachmentViewSet, basename="attachment")
router.register("teams", TeamViewSet, basename="team")
router.register("categories", CategoryViewSet, basename="category")

urlpatterns = [
    path("v1/schema/", SpectacularAPIView.as_view(urlconf="api.schema_urls"), name="schema"),
    path("v1/docs/", SpectacularSwaggerView.as_view(url_name="api:schema"), name="docs"),
    path("v1/", include(router.urls)),
    re_path(r"^", not_found),
]
