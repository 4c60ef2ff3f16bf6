app_name = "mentors"
urlpatterns = []
