app_name = "tmf"

urlpatterns: list = []
