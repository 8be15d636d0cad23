from .views import accounts, applying, checkin, directory, profile, review

app_name = "vendors"

urlpatterns = [
    *accounts.urlpatterns,
    *profile.urlpatterns,
    *applying.urlpatterns,
    *review.urlpatterns,
    *directory.urlpatterns,
    *checkin.urlpatterns,
]
