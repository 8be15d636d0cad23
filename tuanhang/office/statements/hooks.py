"""/hooks/bank/<provider>/: the bank-feed services' webhooks (issue 20 item 3), off unless
settings.BANK_WEBHOOK_KEYS has the provider's key. A delivery whose key or signature is wrong (or
stale) answers 403, one
for an account no organiser has (or several have) 404; each transaction goes through the same
matcher as an uploaded statement, and a retried delivery finds its lines already there."""

import json

from django.conf import settings
from django.http import Http404, JsonResponse
from django.urls import path
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from events.models import OrganiserBankAccount
from tuanhang.kernel.bank_feeds import PROVIDERS, FeedError, authentic, transactions
from tuanhang.kernel.bank_statements import Profile, Statement
from vendors.services.statements import ImportRaced, statement_import

MAX_BODY = 256 * 1024


@csrf_exempt
@require_POST
def bank_hook(request, provider):
    key = settings.BANK_WEBHOOK_KEYS.get(provider, "")
    if provider not in PROVIDERS or not key:
        raise Http404
    if len(request.body) > MAX_BODY:
        return JsonResponse({"success": False, "error": "too large"}, status=413)
    try:
        payload = json.loads(request.body)
    except ValueError:
        payload = None  # refused below: unsigned, or not the service's format
    legacy = settings.BANK_WEBHOOK_CASSO_LEGACY
    if not authentic(provider, request.headers, key, payload, legacy=legacy):
        return JsonResponse({"success": False, "error": "unauthorised"}, status=403)
    try:
        found = transactions(provider, payload)
    except FeedError:
        return JsonResponse({"success": False, "error": "bad payload"}, status=400)
    by_account = {}
    for number, line in found:
        by_account.setdefault(number, []).append(line)
    states = []
    for number, lines in by_account.items():
        accounts = list(OrganiserBankAccount.objects.filter(account_number=number)[:2])
        if len(accounts) != 1:
            return JsonResponse({"success": False, "error": "unknown account"}, status=404)
        statement = Statement(profile=Profile(code=provider, name=provider, columns={}), header_row=0, lines=lines)
        try:
            result = statement_import(
                account=accounts[0], statement=statement, file_name=f"{provider} webhook", by=None, source="webhook"
            )
        except ImportRaced:
            return JsonResponse({"success": False, "error": "busy, retry"}, status=409)
        states += [o.state for o in result.lines]
    return JsonResponse({"success": True, "states": states})


urlpatterns = [path("hooks/bank/<slug:provider>/", bank_hook, name="bank_hook")]
