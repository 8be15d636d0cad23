from .views import accounts, applying, profile, review

app_name = "vendors"

urlpatterns = [*accounts.urlpatterns, *profile.urlpatterns, *applying.urlpatterns, *review.urlpatterns]
