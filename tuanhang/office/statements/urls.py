"""The "reconcile" namespace: the staff's bank statement pages (the webhooks keep "statements",
outside the language prefix)."""

from .views import urlpatterns

app_name = "reconcile"

__all__ = ["urlpatterns"]
