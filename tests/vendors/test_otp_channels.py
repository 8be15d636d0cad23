"""The channels one-time codes go through (issue 18), against HTTP servers this test starts on
127.0.0.1: the SMS gateway (success, refusal, timeout, nobody listening) and Zalo ZNS through the
reminders' OA token (registered from the roof with vendors.hooks.otp_zalo_send). A timeout after
the request is out counts as sent: the code stays valid and nothing is sent a second time."""

import json
import socket

import pytest
from django.core import mail

from tests.reminders.test_zalo import Server, answer, store, zns_stalling
from vendors.models import OneTimeCode
from vendors.otp_channels import ChannelFailed, SmsGatewayChannel, ZaloOtpChannel
from vendors.services import otp

PHONE = "+84912345678"


@pytest.fixture
def server():
    servers = []

    def start(handle):
        servers.append(Server(handle))
        return servers[-1]

    yield start
    for one in servers:
        one.close()


@pytest.fixture
def sms(settings, server):
    def configure(handle, timeout=5):
        gateway = server(handle)
        settings.OTP_BACKEND, settings.OTP_SMS_URL = "sms", gateway.url + "/send?account=1"
        settings.OTP_SMS_API_KEY, settings.OTP_SMS_TIMEOUT = "khoa-bi-mat", timeout
        return gateway

    return configure


def test_sms_gateway_gets_the_number_and_text_with_the_key(sms, db):
    gateway = sms(lambda server, handler, body: answer(handler, {"id": "sms-42"}))

    record = otp.otp_request(phone=PHONE)

    headers, body = gateway.requests[0]
    sent = json.loads(body)
    assert headers["Authorization"] == "Bearer khoa-bi-mat"
    assert sent["to"] == PHONE and "mã đăng nhập" in sent["text"]
    code = sent["text"].split()[0]
    assert len(code) == 6 and code.isdigit()
    assert record.channel_reply == "sms sms-42"
    otp.otp_verify(phone=PHONE, code=code)


def test_sms_gateway_refusal_is_a_failure_and_keeps_no_code(sms, db):
    sms(lambda server, handler, body: answer(handler, {"error": "bad number"}, status=400))
    with pytest.raises(otp.OtpRefused) as refused:
        otp.otp_request(phone=PHONE)
    assert refused.value.code == "channel"
    assert not OneTimeCode.objects.exists()


def test_sms_gateway_error_in_a_200_answer_is_a_failure(sms, db):
    sms(lambda server, handler, body: answer(handler, {"error": "no credit"}))
    with pytest.raises(ChannelFailed, match="no credit"):
        SmsGatewayChannel().send_code(PHONE, "123456")


def test_sms_gateway_timeout_after_the_request_counts_as_sent_and_is_not_repeated(sms, db):
    gateway = sms(zns_stalling, timeout=1)

    record = otp.otp_request(phone=PHONE)

    assert record.channel_reply.startswith("unconfirmed")
    assert len(gateway.requests) == 1
    assert OneTimeCode.objects.get().pk == record.pk  # the code works if the message arrives
    with pytest.raises(otp.OtpRefused) as wait:  # asking again waits like after any code
        otp.otp_request(phone=PHONE)
    assert wait.value.code == "wait" and len(gateway.requests) == 1


def test_sms_gateway_nobody_listening_is_a_failure(settings, db):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    settings.OTP_SMS_URL = f"http://127.0.0.1:{port}/send"
    with pytest.raises(ChannelFailed, match="cannot connect"):
        SmsGatewayChannel().send_code(PHONE, "123456")


# --- Zalo ZNS ------------------------------------------------------------------------------------


@pytest.fixture
def zns(settings, server):
    def configure(handle):
        endpoint = server(handle)
        settings.OTP_BACKEND, settings.OTP_ZALO_TEMPLATE_ID = "zalo", "otp-tpl-1"
        settings.ZALO_ZNS_ENDPOINT, settings.ZALO_ZNS_BACKEND, settings.ZALO_ZNS_TIMEOUT = endpoint.url, "http", 1
        settings.ZALO_ZNS_ENABLED = False  # the reminders' switch does not concern codes
        store(("access-otp", "refresh-otp"))
        return endpoint

    return configure


def test_zalo_sends_the_otp_template_with_the_oa_token(zns, db):
    endpoint = zns(lambda server, handler, body: answer(handler, {"error": 0, "data": {"msg_id": "z-9"}}))

    record = otp.otp_request(phone=PHONE)

    headers, body = endpoint.requests[0]
    sent = json.loads(body)
    assert headers["access_token"] == "access-otp"
    assert (sent["phone"], sent["template_id"]) == ("84912345678", "otp-tpl-1")
    assert record.channel_reply == "Zalo ZNS msg_id z-9"
    otp.otp_verify(phone=PHONE, code=sent["template_data"]["otp"])


def test_zalo_error_answer_is_a_failure(zns, db):
    zns(lambda server, handler, body: answer(handler, {"error": -108, "message": "Phone number is invalid"}))
    with pytest.raises(ChannelFailed, match="-108"):
        ZaloOtpChannel().send_code(PHONE, "123456")


def test_zalo_timeout_counts_as_sent(zns, db):
    zns(zns_stalling)
    assert otp.otp_request(phone=PHONE).channel_reply.startswith("unconfirmed")


def test_zalo_without_a_template_id_fails_clearly(settings, db):
    settings.OTP_ZALO_TEMPLATE_ID = ""
    with pytest.raises(ChannelFailed, match="OTP_ZALO_TEMPLATE_ID"):
        ZaloOtpChannel().send_code(PHONE, "123456")


def test_console_backend_is_not_used_by_the_gateways(sms, db):
    sms(lambda server, handler, body: answer(handler, {"id": "x"}))
    otp.otp_request(phone=PHONE)
    assert mail.outbox == []
