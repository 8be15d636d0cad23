"""Casso's signed webhook (v2): X-Casso-Signature "t=<ms>,v1=<hex>", an HMAC-SHA512 with the key over
the timestamp, a dot and the body as compact JSON with sorted keys. The signatures here are made
with hmac in the test; a delivery signed with another key, altered after signing, or signed more
than five minutes ago is refused and records nothing."""

import hashlib
import hmac
import json
import time

import pytest

from tests import factories
from tests.vendors._statement_support import account_for, approved, memo_for
from tuanhang.kernel.bank_feeds import casso_signature_valid
from vendors.models import Payment, StatementLine

KEY = "checksum-key-of-the-integration-0123456789"
NUMBER = "0071000123456"


@pytest.fixture
def fair(db, settings):
    settings.BANK_WEBHOOK_KEYS = {"casso": KEY}
    event = factories.EventFactory()
    event.account = account_for(event.organiser, number=NUMBER)
    return event


def delivery(application, amount=2_500_000):
    return {
        "error": 0,
        "data": {
            "id": 70321,
            "reference": "FT26324777",
            "description": memo_for(application),
            "amount": amount,
            "runningBalance": 31_500_000,
            "transactionDateTime": "2026-11-20 10:15:02",
            "accountNumber": NUMBER,
            "bankName": "Vietcombank",
            "bankAbbreviation": "VCB",
            "counterAccountName": "CÔNG TY TNHH GỐM BÁT TRÀNG",
        },
    }


def signature(body, *, key=KEY, at=None) -> str:
    stamp = str(int((time.time() if at is None else at) * 1000))
    canonical = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    digest = hmac.new(key.encode(), f"{stamp}.{canonical}".encode(), hashlib.sha512).hexdigest()
    return f"t={stamp},v1={digest}"


def post(client, body, header=None, raw=None):
    headers = {"X-Casso-Signature": header} if header is not None else {}
    data = raw if raw is not None else json.dumps(body, ensure_ascii=False, indent=2)  # any layout: keys re-sorted
    return client.post("/hooks/bank/casso/", data, content_type="application/json", headers=headers)


def test_a_signed_delivery_pays_the_application(client, fair):
    application = approved(fair)
    body = delivery(application)

    response = post(client, body, signature(body))

    assert response.json() == {"success": True, "states": ["matched"]}
    payment = Payment.objects.get(application=application)
    assert (payment.amount, payment.reference, str(payment.paid_on)) == (2_500_000, "FT26324777", "2026-11-20")


def test_a_delivery_signed_with_another_key_is_refused(client, fair):
    body = delivery(approved(fair))

    response = post(client, body, signature(body, key="another-key"))

    assert response.status_code == 403 and not StatementLine.objects.exists()


def test_a_delivery_changed_after_signing_is_refused(client, fair):
    application = approved(fair)
    signed = signature(delivery(application, amount=2_500))

    response = post(client, delivery(application, amount=2_500_000), signed)

    assert response.status_code == 403 and not Payment.objects.exists()


@pytest.mark.parametrize("minutes", [-6, 6])
def test_a_signature_more_than_five_minutes_off_is_refused(client, fair, minutes):
    body = delivery(approved(fair))

    response = post(client, body, signature(body, at=time.time() + minutes * 60))

    assert response.status_code == 403 and not StatementLine.objects.exists()


@pytest.mark.parametrize("header", [None, "", "t=1,v1=abc", "v1=00"])
def test_an_unsigned_or_garbled_delivery_is_refused(client, fair, header):
    body = delivery(approved(fair))

    response = post(client, body, header)

    assert response.status_code == 403 and not StatementLine.objects.exists()


def test_a_body_that_is_not_json_is_refused(client, fair):
    response = post(client, None, signature({"error": 0}), raw="not json")

    assert response.status_code == 403


def test_casso_published_sample_verifies_at_its_own_time():
    """The sample of Casso's developer documentation (test key, a test transaction)."""
    sample = {
        "error": 0,
        "data": {
            "id": 0,
            "reference": "MA_GIAO_DICH_THU_NGHIEM",
            "description": "giao dich thu nghiem",
            "amount": 599000,
            "runningBalance": 25000000,
            "transactionDateTime": "2024-10-03 15:06:37",
            "accountNumber": "88888888",
            "bankName": "VPBank",
            "bankAbbreviation": "VPB",
            "virtualAccountNumber": "",
            "virtualAccountName": "",
            "counterAccountName": "NGUYEN VAN A",
            "counterAccountNumber": "8888888888",
            "counterAccountBankId": "970415",
            "counterAccountBankName": "VietinBank",
        },
    }
    key = "mgExMrjj4i7a1p8Cs6LmFbpCd8lbw4sSX4LZXPag7TKazeIogtR90tvWYTkwQbvs"
    header = (
        "t=1727948258788,v1=ed0a4bd2e826d5cb69988cdb141e6c1a080e21f3b57eb72cd78192220042b9e7dde0868fc667faea8e22"
        "4900fa7904e7c88dfa098032fb2d6b6996856e8b7ff3"
    )

    assert casso_signature_valid(header, sample, key, now=1727948258.788 + 60)
    assert not casso_signature_valid(header, sample, key, now=1727948258.788 + 301)
    assert not casso_signature_valid(header, {**sample, "error": 1}, key, now=1727948258.788)
