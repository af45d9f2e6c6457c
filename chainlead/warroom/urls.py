app_name = "warroom"
urlpatterns = []
