"""The businesses' accounts and profiles. The root URLconf (tuanhang/urls.py) adds the public
site's applying pages and directory and the office's review and check-in pages to the same
"vendors" namespace, so their names stay as they were."""

from .views import accounts, phone, privacy, profile, vietqr

app_name = "vendors"

urlpatterns = [
    *accounts.urlpatterns,
    *phone.urlpatterns,
    *profile.urlpatterns,
    *privacy.urlpatterns,
    *vietqr.urlpatterns,
]
