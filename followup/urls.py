from django.urls import path

from followup import views

app_name = "followup"
urlpatterns = [
    path("complaints/<int:pk>/", views.complaint_page, name="complaint"),
    path("complaints/<int:pk>/do/<slug:verb>/", views.complaint_act, name="complaint_act"),
    path("notifications/", views.notifications, name="notifications"),
]
