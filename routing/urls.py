from django.urls import path

from routing import views

app_name = "routing"
urlpatterns = [
    path("complaints/<int:pk>/triage/", views.triage, name="triage"),
    path("complaints/<int:pk>/first-response/", views.first_response, name="first_response"),
]
