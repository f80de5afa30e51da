from django.urls import path

from complaints import views

app_name = "complaints"
urlpatterns = [
    path("<int:pk>/", views.complaint_detail, name="detail"),
]
