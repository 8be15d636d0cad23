"""The VietQR image of what an application still owes, behind a signed, expiring link: the Zalo
message carries it (ZNS templates carry no per-message image) and the dashboard offers it as a
download. No login: the token is the permission, and it names one application only."""

from django.http import Http404, HttpResponse
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from ..models import Application
from ..selectors.money import paid_total
from ..selectors.vietqr import PaymentQR, application_id_from_token, payment_qr


def _application(application_id: int) -> Application | None:
    return (
        Application.objects.select_related("owed", "event__bank_account")
        .annotate(paid=paid_total())
        .filter(pk=application_id)
        .first()
    )


@require_GET
def payment_qr_png(request, token: str):
    """The PNG made afresh from what is owed now; 404 for a bad or expired token, or nothing to pay."""
    application_id = application_id_from_token(token)
    application = _application(application_id) if application_id is not None else None
    qr = payment_qr(application, application.event) if application is not None else None
    if not isinstance(qr, PaymentQR):
        raise Http404(_("This payment QR code is no longer valid."))
    response = HttpResponse(qr.png(), content_type="image/png")
    # The amount changes as payments arrive: never served from a cache; not for search engines.
    response["Cache-Control"] = "private, no-cache"
    response["X-Robots-Tag"] = "noindex"
    response["Referrer-Policy"] = "no-referrer"
    if request.GET.get("download"):
        response["Content-Disposition"] = f'attachment; filename="vietqr-{qr.memo}.png"'
    return response


urlpatterns = [
    path("pay/qr/<str:token>.png", payment_qr_png, name="payment_qr_png"),
]
