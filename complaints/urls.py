from django.urls import path

from complaints import views

app_name = "complaints"
urlpatterns = [
    path("new/", views.new_call, name="new"),
    path("lookup/", views.customer_lookup, name="lookup"),
    path("<int:pk>/correct/", views.correct_draft_view, name="correct"),
    path("<int:pk>/read-back/", views.read_back, name="read_back"),
    path("attachments/<int:pk>/", views.attachment_download, name="attachment"),
]
