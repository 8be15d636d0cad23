"""Sign-up and log-in by phone with a one-time code (issue 18): the whole flow with the console
channel (the code read from the mail outbox), wrong / expired / exhausted codes, the limits per
phone, per address and per day, no way to tell whether a phone has an account, the code never
stored, `next` kept and the consent recorded with the version of the text."""

import re
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from tests import factories
from vendors.forms.phone import PRIVACY_TEXT_VERSION
from vendors.models import OneTimeCode, OtpQuota, PhoneIdentity
from vendors.otp_channels import ChannelFailed, ConsoleChannel
from vendors.services import otp

PHONE, PHONE_TYPED = "+84912345678", "0912 345 678"
User = get_user_model()


@pytest.fixture(autouse=True)
def _console(settings):
    settings.OTP_BACKEND = "console"
    settings.OTP_DAILY_CAP, settings.OTP_ADDRESS_PER_HOUR = 500, 100
    settings.OTP_PHONE_WAIT_SECONDS, settings.OTP_PHONE_PER_HOUR = 60, 5
    settings.OTP_MAX_ATTEMPTS, settings.OTP_TTL_SECONDS = 5, 300


def last_code() -> str:
    return re.search(r"\b(\d{6})\b", mail.outbox[-1].body).group(1)


def ask(client, phone=PHONE_TYPED, next_url="", consent=True, address="10.0.0.1"):
    data = {"phone": phone, **({"consent": "on"} if consent else {}), **({"next": next_url} if next_url else {})}
    return client.post(reverse("vendors:phone_start"), data, REMOTE_ADDR=address)


def enter(client, code, next_url=""):
    return client.post(reverse("vendors:phone_code"), {"code": code, **({"next": next_url} if next_url else {})})


@pytest.mark.django_db
def test_phone_signup_creates_an_account_logs_in_and_keeps_the_intent_to_apply(client):
    fair = factories.EventFactory()
    apply_url = reverse("vendors:application_create", kwargs={"slug": fair.slug})

    asked = ask(client, next_url=apply_url)
    assert asked.status_code == 302
    assert asked["Location"] == reverse("vendors:phone_code") + "?next=" + apply_url.replace("/", "%2F")
    page = client.get(asked["Location"]).content.decode()
    assert "0912 345 678" in page and 'autocomplete="one-time-code"' in page and 'inputmode="numeric"' in page
    assert f'name="next" value="{apply_url}"' in page
    assert mail.outbox[0].to == ["84912345678@otp.invalid"]

    done = enter(client, last_code(), next_url=apply_url)

    assert done.status_code == 302 and done["Location"] == apply_url
    identity = PhoneIdentity.objects.select_related("user").get(phone=PHONE)
    assert client.session["_auth_user_id"] == str(identity.user.pk)
    assert identity.user.username == PHONE and identity.user.email == ""
    assert not identity.user.has_usable_password()
    assert identity.consent_version == PRIVACY_TEXT_VERSION and identity.consent_at is not None


@pytest.mark.django_db
def test_phone_login_of_a_known_phone_opens_the_same_account_and_without_next_goes_to_the_profile(client):
    ask(client)
    first = enter(client, last_code())
    assert first["Location"] == reverse("vendors:profile_create")
    user = PhoneIdentity.objects.get(phone=PHONE).user
    client.logout()
    OneTimeCode.objects.update(created_at=timezone.now() - timedelta(minutes=2))  # past the wait

    ask(client, phone="+84 912 345 678")
    enter(client, last_code())

    assert User.objects.filter(username__startswith="+84").count() == 1
    assert client.session["_auth_user_id"] == str(user.pk)


@pytest.mark.django_db
def test_a_next_elsewhere_is_dropped(client):
    ask(client, next_url="https://ke-gian.example/")
    assert enter(client, last_code(), next_url="https://ke-gian.example/")["Location"] == reverse(
        "vendors:profile_create"
    )


@pytest.mark.django_db
def test_without_the_consent_box_no_code_is_sent(client):
    response = ask(client, consent=False)
    assert response.status_code == 200
    assert "Vui lòng đánh dấu ô đồng ý" in response.content.decode()
    assert mail.outbox == [] and not OneTimeCode.objects.exists()


@pytest.mark.django_db
def test_the_start_page_states_the_privacy_text_and_its_version(client):
    page = client.get(reverse("vendors:phone_start")).content.decode()
    assert 'type="tel"' in page and f"Phiên bản của văn bản này: {PRIVACY_TEXT_VERSION}" in page
    assert "Luật Bảo vệ dữ liệu cá nhân năm 2025" in page


@pytest.mark.django_db
def test_a_wrong_code_counts_a_try_and_five_wrong_tries_kill_the_code(client):
    ask(client)
    right = last_code()
    wrong = f"{(int(right) + 1) % 1_000_000:06d}"

    first = enter(client, wrong).content.decode()
    assert "Mã này không đúng. Bạn còn 4 lần thử." in first
    for _ in range(4):
        last = enter(client, wrong).content.decode()
    assert "Bạn đã nhập sai mã này quá nhiều lần. Hãy yêu cầu mã mới." in last

    refused = enter(client, right)
    assert refused.status_code == 200 and "_auth_user_id" not in client.session
    assert not PhoneIdentity.objects.exists()


@pytest.mark.django_db
def test_an_expired_code_is_refused():
    start = timezone.now()
    otp.otp_request(phone=PHONE, now=start)
    with pytest.raises(otp.OtpInvalid) as expired:
        otp.otp_verify(phone=PHONE, code=last_code(), now=start + timedelta(seconds=301))
    assert expired.value.code == "expired"


@pytest.mark.django_db
def test_a_used_code_does_not_work_twice_and_a_newer_code_replaces_the_older():
    start = timezone.now()
    otp.otp_request(phone=PHONE, now=start)
    older = last_code()
    otp.otp_request(phone=PHONE, now=start + timedelta(seconds=61))
    newer = last_code()
    with pytest.raises(otp.OtpInvalid):
        otp.otp_verify(phone=PHONE, code=older, now=start + timedelta(seconds=62))
    otp.otp_verify(phone=PHONE, code=newer, now=start + timedelta(seconds=63))
    with pytest.raises(otp.OtpInvalid) as again:
        otp.otp_verify(phone=PHONE, code=newer, now=start + timedelta(seconds=64))
    assert again.value.code == "expired"


@pytest.mark.django_db
def test_the_code_is_stored_only_as_its_hmac():
    otp.otp_request(phone=PHONE)
    code = last_code()
    record = OneTimeCode.objects.values().get()
    assert all(code not in str(value) for value in record.values())
    assert record["code_hash"] == otp.code_digest(PHONE, code) != otp.code_digest("+84912345679", code)


@pytest.mark.django_db
def test_a_phone_waits_between_codes_and_gets_five_an_hour(client):
    start = timezone.now().replace(minute=0, second=0)
    otp.otp_request(phone=PHONE, now=start)
    with pytest.raises(otp.OtpRefused) as wait:
        otp.otp_request(phone=PHONE, now=start + timedelta(seconds=30))
    assert (wait.value.code, wait.value.wait_seconds) == ("wait", 31)
    for minute in range(1, 5):
        otp.otp_request(phone=PHONE, now=start + timedelta(minutes=minute))
    with pytest.raises(otp.OtpRefused) as hour:
        otp.otp_request(phone=PHONE, now=start + timedelta(minutes=6))
    assert hour.value.code == "phone_hour"
    assert len(mail.outbox) == 5
    otp.otp_request(phone=PHONE, now=start + timedelta(minutes=61))  # the next hour
    assert len(mail.outbox) == 6


@pytest.mark.django_db
def test_asking_again_too_soon_goes_to_the_code_page_with_the_wait(client):
    ask(client)
    again = ask(client)
    assert again.status_code == 302
    page = client.get(again["Location"]).content.decode()
    assert "Một mã vừa được gửi đến số này" in page
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_the_daily_cap_stops_codes_and_suggests_email(client, settings):
    settings.OTP_DAILY_CAP = 2
    ask(client, phone="0912000001")
    ask(client, phone="0912000002")

    refused = ask(client, phone="0912000003")

    page = refused.content.decode()
    assert refused.status_code == 200 and len(mail.outbox) == 2
    assert "Hôm nay hệ thống đã gửi hết số mã đăng nhập qua tin nhắn" in page
    assert "đăng nhập bằng địa chỉ e-mail" in page
    assert OtpQuota.objects.get(key="day").count == 2  # a refusal rolls its counting back


@pytest.mark.django_db
def test_the_per_address_limit_is_per_address(client, settings):
    settings.OTP_ADDRESS_PER_HOUR = 3
    for n in range(3):
        ask(client, phone=f"091200000{n}", address="100.64.0.7")
    refused = ask(client, phone="0912000009", address="100.64.0.7")
    assert "Mạng của bạn đã yêu cầu quá nhiều mã" in refused.content.decode()
    assert ask(client, phone="0912000009", address="100.64.0.8").status_code == 302
    assert len(mail.outbox) == 4


@pytest.mark.django_db
def test_known_and_unknown_phones_get_the_same_answers(client):
    known_user = factories.UserFactory(username="+84912345678")
    PhoneIdentity.objects.create(
        user=known_user, phone=PHONE, verified_at=timezone.now(), consent_version="x", consent_at=timezone.now()
    )
    pages = []
    for phone in (PHONE_TYPED, "0912 345 679"):
        visitor = type(client)()
        asked = ask(visitor, phone=phone)
        page = visitor.get(asked["Location"]).content.decode()
        page = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", page).replace(phone, "PHONE")
        pages.append((asked.status_code, asked["Location"], page))
    assert pages[0] == pages[1]
    assert [message.to for message in mail.outbox] == [["84912345678@otp.invalid"], ["84912345679@otp.invalid"]]


@pytest.mark.django_db
def test_a_channel_failure_says_so_and_costs_nothing(client, monkeypatch):
    def broken(self, phone, code):
        raise ChannelFailed("gateway down")

    monkeypatch.setattr(ConsoleChannel, "send_code", broken)
    refused = ask(client)
    assert "Hiện chưa gửi được mã" in refused.content.decode()
    assert not OneTimeCode.objects.exists()
    assert set(OtpQuota.objects.values_list("count", flat=True)) == {0}

    monkeypatch.undo()
    assert ask(client).status_code == 302 and len(mail.outbox) == 1  # no wait imposed by the failure


@pytest.mark.django_db
def test_phone_login_off_shows_email_instead(client, settings):
    settings.OTP_BACKEND = "off"
    page = client.get(reverse("vendors:phone_start")).content.decode()
    assert 'id="phone-login-off"' in page
    assert 'id="phone-login-link"' not in client.get(reverse("vendors:login")).content.decode()
    assert ask(client).status_code == 200 and mail.outbox == []


@pytest.mark.django_db
def test_login_signup_and_fair_pages_link_to_the_phone_flow(client):
    fair = factories.EventFactory()
    for name in ("vendors:login", "vendors:signup"):
        assert 'id="phone-login-link"' in client.get(reverse(name)).content.decode()
    fair_page = client.get(reverse("public:fair", kwargs={"slug": fair.slug}))
    apply_url = reverse("vendors:application_create", kwargs={"slug": fair.slug})
    assert f"{reverse('vendors:phone_start')}?next={apply_url.replace('/', '%2F')}" in fair_page.content.decode()


@pytest.mark.django_db
def test_the_business_profile_needs_a_phone_and_offers_the_verified_one(client):
    ask(client)
    enter(client, last_code())

    page = client.get(reverse("vendors:profile_create")).content.decode()
    assert 'value="0912 345 678"' in page

    refused = client.post(reverse("vendors:profile_create"), {"name": "Hộ kinh doanh Ba Lan", "phone": ""})
    assert "Hãy nhập số điện thoại: ban tổ chức sẽ gọi số này vào ngày dàn dựng gian hàng." in refused.content.decode()
