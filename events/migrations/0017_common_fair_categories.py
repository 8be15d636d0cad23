"""The common categories of Vietnamese fairs on a fresh installation (editable in the admin).
A category already there under the same name (accents and case aside) or slug is left alone; the
demo (tuanhang/office/demo/data.py) uses the same names, so seeding it adds none twice."""

from django.db import migrations
from django.utils.text import slugify

from tuanhang.kernel.vn import fold

# (name, food), in display order.
COMMON_CATEGORIES = [
    ("Hàng tiêu dùng thiết yếu", False),
    ("Nông sản", True),
    ("Thực phẩm chế biến", True),
    ("Thủy hải sản", True),
    ("Bánh kẹo", True),
    ("Chè – cà phê", True),
    ("Đồ uống", True),
    ("Gia vị", True),
    ("Sản phẩm OCOP", False),
    ("Thủ công mỹ nghệ – làng nghề", False),
    ("Cơ khí", False),
    ("Dệt may – thời trang", False),
    ("Mỹ phẩm – dược liệu", False),
    ("Đồ gia dụng", False),
    ("Điện tử – điện máy", False),
    ("Dịch vụ", False),
]


def add_common_categories(apps, schema_editor):
    Category = apps.get_model("events", "Category")
    names = {fold(name) for name in Category.objects.values_list("name", flat=True)}
    slugs = set(Category.objects.values_list("slug", flat=True))
    for position, (name, is_food) in enumerate(COMMON_CATEGORIES, start=1):
        slug = slugify(fold(name))
        if fold(name) in names or slug in slugs:
            continue
        Category.objects.create(name=name, slug=slug, is_food=is_food, position=position)


class Migration(migrations.Migration):
    dependencies = [("events", "0016_category_aliases")]

    operations = [migrations.RunPython(add_common_categories, migrations.RunPython.noop)]
