from . import views

app_name = "team"

urlpatterns = views.urlpatterns
