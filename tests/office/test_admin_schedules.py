"""django-celery-beat's admins as re-registered in tuanhang/office/admin/schedules.py: a bad value
gets a field message (in Vietnamese for the staff), never a server error."""

import pytest
from django.urls import reverse
from django.utils import translation
from django_celery_beat.models import CrontabSchedule, PeriodicTask

from tests import factories

CRONTAB = {"minute": "0", "hour": "7", "day_of_month": "*", "month_of_year": "*", "day_of_week": "*"}
# The management form of the admin's inline list of the tasks using a schedule.
INLINE = {"periodictask_set-TOTAL_FORMS": "0", "periodictask_set-INITIAL_FORMS": "0"}


@pytest.fixture
def superuser_client(client, db):
    client.force_login(factories.StaffUserFactory(is_superuser=True, username="quan.tri"))
    return client


def post_vi(client, url, data):
    with translation.override("vi"):
        return client.post(url, data, HTTP_ACCEPT_LANGUAGE="vi")


@pytest.mark.parametrize("timezone", ["x" * 10_000, "../../etc/passwd", "Asia/Hà_Nội", "Factory"])
def test_a_crontab_with_an_unknown_time_zone_gets_a_field_message(superuser_client, timezone):
    url = reverse("admin:django_celery_beat_crontabschedule_add")
    response = post_vi(superuser_client, url, {**CRONTAB, **INLINE, "timezone": timezone})
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["timezone"] == [
        "Hãy chọn một múi giờ trong danh sách, ví dụ Asia/Ho_Chi_Minh."
    ]
    assert not CrontabSchedule.objects.exists()


def test_an_invalid_crontab_shows_the_form_again(superuser_client):
    url = reverse("admin:django_celery_beat_crontabschedule_add")
    response = superuser_client.post(url, {**CRONTAB, **INLINE, "minute": "99", "timezone": "Asia/Ho_Chi_Minh"})
    assert response.status_code == 200
    assert "minute" in response.context["adminform"].form.errors
    assert not CrontabSchedule.objects.exists()


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("minute", "-1", "Hãy nhập giá trị crontab từ 0 đến 59, ví dụ *, 5, 1-5, */15 hoặc 1,15."),
        ("hour", "24", "Hãy nhập giá trị crontab từ 0 đến 23, ví dụ *, 5, 1-5, */15 hoặc 1,15."),
        ("day_of_month", "0", "Hãy nhập giá trị crontab từ 1 đến 31, ví dụ *, 5, 1-5, */15 hoặc 1,15."),
        ("month_of_year", "13", "Hãy nhập giá trị crontab từ 1 đến 12, ví dụ *, 5, 1-5, */15 hoặc 1,15."),
    ],
)
def test_a_crontab_value_celery_cannot_expand_gets_its_field_message(superuser_client, field, value, message):
    """ "-1" passed the package's validators and then raised celery's ParseException while the page
    showed the schedule in words: a 500 instead of the form again."""
    url = reverse("admin:django_celery_beat_crontabschedule_add")
    response = post_vi(superuser_client, url, {**CRONTAB, **INLINE, field: value, "timezone": "Asia/Ho_Chi_Minh"})
    assert response.status_code == 200
    assert response.context["adminform"].form.errors[field] == [message]
    assert not CrontabSchedule.objects.exists()


def test_a_crontab_with_a_known_time_zone_is_saved_and_shown(superuser_client):
    url = reverse("admin:django_celery_beat_crontabschedule_add")
    response = superuser_client.post(url, {**CRONTAB, **INLINE, "timezone": "Asia/Ho_Chi_Minh"})
    assert response.status_code == 302
    crontab = CrontabSchedule.objects.get()
    assert str(crontab.timezone) == "Asia/Ho_Chi_Minh"
    change = superuser_client.get(reverse("admin:django_celery_beat_crontabschedule_change", args=[crontab.pk]))
    assert change.status_code == 200
    assert change.context["adminform"].form.initial["timezone"] == "Asia/Ho_Chi_Minh"
    assert "Tại 07:00 (Asia/Ho_Chi_Minh)" in change.content.decode()  # the schedule in words


def _task_data(**extra):
    crontab = CrontabSchedule.objects.create(**CRONTAB, timezone="Asia/Ho_Chi_Minh")
    data = {"name": "Nhắc hạn nộp hồ sơ", "regtask": "", "task": "reminders.sweep", "enabled": "on"}
    data |= {"crontab": crontab.pk, "args": "[]", "kwargs": "{}", "headers": "{}", "priority": "", "expire_seconds": ""}
    return data | extra


def test_a_periodic_task_whose_task_name_is_too_long_gets_the_field_message(superuser_client):
    url = reverse("admin:django_celery_beat_periodictask_add")
    response = superuser_client.post(url, _task_data(task="t" * 5_000))
    assert response.status_code == 200
    assert "task" in response.context["adminform"].form.errors
    assert not PeriodicTask.objects.filter(name="Nhắc hạn nộp hồ sơ").exists()


def test_a_periodic_task_with_deeply_nested_arguments_gets_a_field_message(superuser_client):
    url = reverse("admin:django_celery_beat_periodictask_add")
    response = post_vi(superuser_client, url, _task_data(args="[" * 5_000))
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["args"] == [
        'Hãy nhập JSON hợp lệ, ví dụ [1, 2] hoặc {"key": "value"}.'
    ]


def test_a_periodic_task_without_a_task_name_is_still_asked_for_one(superuser_client):
    url = reverse("admin:django_celery_beat_periodictask_add")
    response = superuser_client.post(url, _task_data(task=""))
    assert response.status_code == 200
    assert "task" in response.context["adminform"].form.errors


def test_a_valid_periodic_task_is_saved(superuser_client):
    url = reverse("admin:django_celery_beat_periodictask_add")
    response = superuser_client.post(url, _task_data())
    assert response.status_code == 302
    assert PeriodicTask.objects.get(name="Nhắc hạn nộp hồ sơ").task == "reminders.sweep"


def test_the_crontab_list_describes_each_schedule_in_vietnamese_words(superuser_client):
    CrontabSchedule.objects.create(minute="0", hour="8", day_of_week="1-5", timezone="Asia/Ho_Chi_Minh")
    CrontabSchedule.objects.create(minute="0", hour="9", day_of_month="1", month_of_year="1,6")

    with translation.override("vi"):
        html = superuser_client.get(reverse("admin:django_celery_beat_crontabschedule_changelist")).content.decode()

    assert "Tại 08:00, từ thứ Hai đến thứ Sáu (Asia/Ho_Chi_Minh)" in html
    assert "chỉ vào tháng 1 và tháng 6" in html
    for english in ("Monday", "Friday", "January", "June", "At 08:00"):
        assert english not in html
