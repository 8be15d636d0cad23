import pytest
from django.test import Client

from tests import factories


@pytest.mark.django_db(transaction=True)
def test_tmp_profile_js(page, live_server):
    user = factories.UserFactory(email="a@b.vn")
    factories.CategoryFactory(name="Nông sản")
    client = Client()
    client.force_login(user)
    page.context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}])
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto("/profile/new/")
    page.screenshot(path="/tmp/profile_top.png", full_page=True)
    box = page.locator("#id_province").locator("xpath=preceding-sibling::input[@type='search']")
    box.fill("hai duong")
    options = page.locator("#id_province option").all_inner_texts()
    print("filtered:", options)
    page.select_option("#id_province", "31")
    page.wait_for_function("document.querySelectorAll('#id_commune option').length > 10")
    n = page.locator("#id_commune option").count()
    print("communes:", n)
    cbox = page.locator("#id_commune").locator("xpath=preceding-sibling::input[@type='search']")
    cbox.fill("thuy nguyen")
    print("commune filtered:", page.locator("#id_commune option").all_inner_texts())
    page.select_option("#id_commune", label="Phường Thuỷ Nguyên")
    page.fill("#id_name", "Công ty TNHH Thử")
    page.check("#id_kind_0")
    page.fill("#id_tax_code", "0100109106")
    page.fill("#id_phone", "0912 345 678")
    page.click("#submit-id-save")
    page.wait_for_url("**/products/")
    page.screenshot(path="/tmp/products_empty.png", full_page=True)
    print("errors:", errors)
    from vendors.models import Vendor
    v = Vendor.objects.get()
    print(v.province_id, v.commune.name)
    page.goto("/products/new/")
    page.screenshot(path="/tmp/product_form.png", full_page=True)
    page.goto("/profile/")
    page.screenshot(path="/tmp/profile_edit.png", full_page=True)
    assert not errors
