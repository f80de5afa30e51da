"""The URLs the OpenAPI schema describes: /api/ only (the TMF621 interface publishes its own spec)."""

from django.urls import include, path

urlpatterns = [path("api/", include("api.urls"))]
