from django.urls import path

from followup import views

app_name = "followup"
urlpatterns = [
    path("complaints/<int:pk>/", views.complaint_page, name="complaint"),
    path("complaints/<int:pk>/do/<slug:verb>/", views.complaint_act, name="complaint_act"),
    path("notifications/", views.notifications, name="notifications"),
]

from followup import dashboard_views  # noqa: E402

urlpatterns += [
    path("dashboard/", dashboard_views.dashboard_page, name="dashboard"),
    path("dashboard/act-now/", dashboard_views.act_now, name="act_now"),
    path("dashboard/list/", dashboard_views.drill_down, name="drill_down"),
]
