"""Reference data: the provinces of 2025 with their old names, communes, product categories and
the document types a fair may ask for."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from tuanhang.kernel.uploads import random_upload_path


class Province(models.Model):
    """One of the 34 provincial units in force since 1 July 2025, with its official code."""

    class Kind(models.TextChoices):
        PROVINCE = "tinh", _("province")
        CITY = "thanh_pho", _("centrally-governed city")

    code = models.CharField(_("code"), max_length=2, primary_key=True)
    name = models.CharField(_("name"), max_length=64, unique=True)
    full_name = models.CharField(_("full name"), max_length=80)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    merged_from = models.CharField(
        _("merged from"), max_length=200, blank=True, help_text=_("The pre-2025 provinces merged into this unit.")
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("province / city")
        verbose_name_plural = _("provinces / cities")

    def __str__(self):
        return self.name


class ProvinceAlias(models.Model):
    """Another way of writing a province: an old (pre-2025) name or a spelling variant.

    `key` is the alias after tuanhang.kernel.vn.normalise_tones, so case, tone placement and
    Unicode normalisation do not matter when resolving.
    """

    province = models.ForeignKey(Province, on_delete=models.CASCADE, related_name="aliases", verbose_name=_("province"))
    alias = models.CharField(_("alias"), max_length=80)
    key = models.CharField(_("lookup key"), max_length=80, unique=True, editable=False)
    is_former_province = models.BooleanField(_("former province"), default=False)

    class Meta:
        ordering = ["province", "alias"]
        verbose_name = _("province alias")
        verbose_name_plural = _("province aliases")

    def __str__(self):
        return f"{self.alias} → {self.province}"


class Commune(models.Model):
    """A commune, ward or special zone (xã / phường / đặc khu) of the 2025 structure."""

    code = models.CharField(_("code"), max_length=5, primary_key=True)
    name = models.CharField(_("name"), max_length=80)
    kind = models.CharField(_("kind"), max_length=16)
    province = models.ForeignKey(
        Province, on_delete=models.CASCADE, related_name="communes", verbose_name=_("province")
    )

    class Meta:
        ordering = ["province", "name"]
        verbose_name = _("commune / ward")
        verbose_name_plural = _("communes / wards")

    def __str__(self):
        return self.name


class Category(models.Model):
    """A product category (nhóm hàng): nông sản, thực phẩm chế biến, OCOP…"""

    name = models.CharField(_("name"), max_length=120, unique=True)
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    is_food = models.BooleanField(
        _("food"), default=False, help_text=_("Food categories require food-safety documents.")
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("product category")
        verbose_name_plural = _("product categories")

    def __str__(self):
        return self.name


class DocumentType(models.Model):
    """A kind of document a fair may ask for (business registration, food-safety certificate…)."""

    name = models.CharField(_("name"), max_length=160, unique=True)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    description = models.TextField(_("description"), blank=True)
    personal = models.BooleanField(
        _("contains personal identity data"),
        default=False,
        help_text=_(
            "An ID card (CCCD) or another paper showing a person's identity: only the business, the organiser's "
            "administrators and reviewers may open it, and it is removed some months after the fair."
        ),
    )
    # Offered again with the business's next application (settings.DOCUMENT_REUSE_MONTHS); off for a
    # form filled in for each fair. A personal document is never reused, whatever this says.
    reusable = models.BooleanField(
        _("can be reused for the next fair"),
        default=True,
        help_text=_(
            "A business applying to another fair is offered the file it sent before. Turn off for a paper filled "
            "in for each fair, such as the registration form."
        ),
    )
    # A blank form the organiser provides (PDF, DOCX or XLSX, checked by content like uploads):
    # offered for download on the fair's page and next to the document in the application.
    template = models.FileField(
        _("template to download"),
        upload_to=random_upload_path("templates"),
        blank=True,
        help_text=_("A blank form businesses download and fill in: PDF, DOCX or XLSX, at most 10 MB."),
    )
    template_content_type = models.CharField(_("template content type"), max_length=80, blank=True, editable=False)
    # The fair's registration form (phiếu đăng ký tham gia) printed by the site: blank on the fair's
    # page, prefilled with the business's data on its application (vendors/registration_form.py).
    generated_form = models.BooleanField(
        _("registration form printed by the site"),
        default=False,
        help_text=_(
            "The fair's registration form: the site prints it as a PDF, blank on the fair's page and filled in "
            "with the business's data on its application, to be signed, stamped and uploaded as this document."
        ),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("document type")
        verbose_name_plural = _("document types")

    def __str__(self):
        return self.name
