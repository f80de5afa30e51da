from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from followup import views as followup_views

urlpatterns = [
    path("", followup_views.home, name="home"),
    path("login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("complaints/", include("complaints.urls")),
    path("", include("routing.urls")),
    path("", include("followup.urls")),
    path("api/", include("api.urls")),
    path("tmf-api/", include("tmf.urls")),
    path("admin/", admin.site.urls),
]

admin.site.site_header = _("Complaint desk configuration")
admin.site.site_title = _("Complaint desk")
admin.site.index_title = _("Teams, categories, time limits, calendar and users")
