"""The bank-feed webhooks (issue 20 item 3): a SePay or Casso delivery carrying the configured key
feeds the statement matcher; a wrong or missing key is refused and records nothing; a retried
delivery records nothing more; without a key the address does not exist."""

import json

import pytest

from tests import factories
from tests.vendors._statement_support import account_for, approved, memo_for
from vendors.models import Payment, StatementLine

KEY = "khoa-bi-mat-0123456789"


@pytest.fixture
def fair(db, settings):
    settings.BANK_WEBHOOK_KEYS = {"sepay": KEY, "casso": KEY}
    event = factories.EventFactory()
    event.account = account_for(event.organiser, number="0071000123456")
    return event


def sepay(application, **extra):
    return {
        "id": 92704,
        "gateway": "Vietcombank",
        "transactionDate": "2026-11-20 14:02:37",
        "accountNumber": "0071000123456",
        "code": None,
        "content": memo_for(application),
        "transferType": "in",
        "transferAmount": 2_500_000,
        "accumulated": 19_077_000,
        "subAccount": None,
        "referenceCode": "MBVCB.3278907687",
        **extra,
    }


def post(client, provider, body, **headers):
    return client.post(f"/hooks/bank/{provider}/", json.dumps(body), content_type="application/json", headers=headers)


def test_a_sepay_delivery_with_its_api_key_pays_the_application(client, fair):
    application = approved(fair)

    response = post(client, "sepay", sepay(application), Authorization=f"Apikey {KEY}")
    retried = post(client, "sepay", sepay(application), Authorization=f"Apikey {KEY}")

    assert (response.status_code, response.json()) == (200, {"success": True, "states": ["matched"]})
    assert retried.json()["states"] == ["duplicate"]
    payment = Payment.objects.get(application=application)
    assert (payment.amount, payment.reference, str(payment.paid_on)) == (2_500_000, "MBVCB.3278907687", "2026-11-20")


@pytest.mark.parametrize("header", [{}, {"Authorization": "Apikey sai-khoa"}, {"Authorization": f"Bearer {KEY}"}])
def test_a_sepay_delivery_without_the_key_is_refused(client, fair, header):
    response = post(client, "sepay", sepay(approved(fair)), **header)

    assert response.status_code == 403
    assert not StatementLine.objects.exists() and not Payment.objects.exists()


def test_a_legacy_casso_delivery_with_its_security_key_feeds_the_matcher_when_allowed(client, fair, settings):
    settings.BANK_WEBHOOK_CASSO_LEGACY = True
    paid, unknown = approved(fair), "CHUYEN KHOAN KHONG MA"
    body = {
        "error": 0,
        "data": [
            {
                "id": 1,
                "tid": "TF230903",
                "description": memo_for(paid),
                "amount": 1_000_000,
                "cusum_balance": 5_000_000,
                "when": "2026-11-20 09:08:22",
                "bank_sub_acc_id": "0071000123456",
            },
            {
                "id": 2,
                "tid": "TF230904",
                "description": unknown,
                "amount": 300_000,
                "cusum_balance": 5_300_000,
                "when": "2026-11-20 09:10:00",
                "bank_sub_acc_id": "0071000123456",
            },
        ],
    }

    refused = post(client, "casso", body, **{"secure-token": "sai"})
    response = post(client, "casso", body, **{"secure-token": KEY})
    settings.BANK_WEBHOOK_CASSO_LEGACY = False
    replayed = post(client, "casso", body, **{"secure-token": KEY})

    assert refused.status_code == 403
    assert response.json() == {"success": True, "states": ["partial", "unmatched"]}
    assert replayed.status_code == 403 and StatementLine.objects.count() == 2


def test_the_hook_does_not_exist_without_a_key(client, fair, settings):
    settings.BANK_WEBHOOK_KEYS = {}

    response = post(client, "sepay", sepay(approved(fair)), Authorization="Apikey ")

    assert response.status_code == 404 and not Payment.objects.exists()
