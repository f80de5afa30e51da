from django.urls import path

from routing import views

app_name = "routing"
urlpatterns = [
    path("complaints/<int:pk>/triage/", views.triage, name="triage"),
    path("complaints/<int:pk>/first-response/", views.first_response, name="first_response"),
    path("queue/", views.queue, name="queue"),
    path("orders/<int:pk>/", views.order_page, name="order"),
    path("orders/<int:pk>/<slug:verb>/", views.order_act, name="order_act"),
]
