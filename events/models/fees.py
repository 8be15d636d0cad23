"""Where a fair's fees are paid: the organiser's receiving bank accounts."""

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tuanhang.kernel.vietqr import bank
from tuanhang.kernel.vn import fold

from ..fees import bank_name


# A bank's NAPAS BIN (the six digits VietQR names it by) from the bundled list, an account number as
# banks print it, and the account holder's name as banks show it on a transfer: upper-case ASCII, no
# diacritics.
def validate_bin(value) -> None:
    if bank(value) is None:
        raise ValidationError(
            _("Choose the bank from the list: %(bin)s is not a NAPAS bank BIN we know."),
            code="unknown_bin",
            params={"bin": value},
        )


validate_account_number = RegexValidator(r"^[0-9]{4,19}$", _("An account number has 4 to 19 digits, no spaces."))
validate_account_name = RegexValidator(
    r"^[A-Z0-9 .,&()/-]+$",
    _("Write the account name in capitals without diacritics, as the bank shows it, e.g. TRUNG TAM KHUYEN CONG."),
)


class OrganiserBankAccount(models.Model):
    """An account of an organiser that receives booth fees; a fair names the one it uses."""

    organiser = models.ForeignKey(
        "events.Organiser", on_delete=models.CASCADE, related_name="bank_accounts", verbose_name=_("organiser")
    )
    bank_bin = models.CharField(
        _("bank (BIN)"),
        max_length=6,
        validators=[validate_bin],
        help_text=_("The bank, from the NAPAS list bundled with tuanhang; stored as its 6-digit BIN."),
    )
    account_number = models.CharField(_("account number"), max_length=19, validators=[validate_account_number])
    account_name = models.CharField(_("account name"), max_length=70, validators=[validate_account_name])
    branch = models.CharField(_("branch"), max_length=120, blank=True)

    class Meta:
        ordering = ["organiser", "bank_bin", "account_number"]
        verbose_name = _("receiving bank account")
        verbose_name_plural = _("receiving bank accounts")
        constraints = [
            models.UniqueConstraint(
                fields=["organiser", "bank_bin", "account_number"], name="bank_account_once_per_organiser"
            ),
            models.CheckConstraint(condition=Q(bank_bin__regex=r"^\d{6}$"), name="bank_account_bin_six_digits"),
        ]

    def __str__(self):
        return f"{self.bank_name} · {self.account_number} · {self.account_name}"

    @property
    def bank_name(self) -> str:
        return bank_name(self.bank_bin)

    def clean(self):
        # Staff paste numbers with spaces or dots and names in lower case; store them as banks show them.
        self.account_number = "".join(ch for ch in self.account_number if ch.isdigit()) or self.account_number
        self.account_name = fold(self.account_name).upper()
