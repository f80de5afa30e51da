from django.urls import path

from tmf import views

app_name = "tmf"

# Mounted at /tmf-api/: the spec's basePath is /tmf-api/troubleTicket/v4/.
urlpatterns = [
    path("troubleTicket/v4/troubleTicket", views.TroubleTicketList.as_view(), name="tickets"),
    path("troubleTicket/v4/troubleTicket/<str:ticket_id>", views.TroubleTicketDetail.as_view(), name="ticket"),
    path("troubleTicket/v4/hub", views.Hub.as_view(), name="hub"),
    path("troubleTicket/v4/hub/<str:subscription_id>", views.HubDetail.as_view(), name="hub_detail"),
]
