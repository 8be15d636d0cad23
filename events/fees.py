"""A fair's fee schedule as numbers: the fee of a booth type, the subsidy of a booth and the
deposit part of an amount due. Pure rules over Event and BoothType fields, no queries; what an
application owes is put together from them by vendors.services.amounts."""

from django.utils import timezone
from django.utils.translation import gettext as _

from tuanhang.kernel.vietqr import bank, banks


def booth_type_fee(price: int | None, event) -> int:
    """The fee of one booth of a type whose own fee is `price` (None: the fair's fee per booth)."""
    return event.booth_fee if price is None else price


def fee_after_subsidy(fee: int, percent: int) -> int:
    """What one booth of fee `fee` costs the participant after a subsidy of `percent` %, rounded
    down to the whole đồng (as the fair's published fee after subsidy always was)."""
    return fee * (100 - percent) // 100


def booth_subsidy(fee: int, percent: int) -> int:
    """The part of one booth's fee a subsidy of `percent` % pays: the rest of fee_after_subsidy(),
    so the subsidy takes the odd đồng."""
    return fee - fee_after_subsidy(fee, percent)


def deposit_part(due: int, event) -> int:
    """The deposit asked of an amount due: the fixed deposit, or the share `deposit_percent` of the
    amount due rounded half up to the whole đồng (VND has no smaller unit); never more than is due."""
    if event.deposit_percent:
        return min(due, (due * event.deposit_percent + 50) // 100)
    return min(due, event.deposit)


def bank_choices() -> list[tuple[str, str]]:
    """The bundled NAPAS bank list as form choices, by BIN: "Vietcombank — Ngân hàng TMCP Ngoại
    thương Việt Nam (970436)", in the list's order (by short name)."""
    return [(entry.bin, f"{entry.short_name} — {entry.name} ({entry.bin})") for entry in banks()]


def bank_name(bin_code: str) -> str:
    """The bank's short name for a BIN, or the BIN itself when the bundled list does not know it."""
    entry = bank(bin_code)
    return entry.short_name if entry else bin_code


def fee_schedule_errors(event) -> dict[str, str]:
    """What is wrong with a fair's fee schedule, by field, in the interface language: a deposit
    larger than the fee of one booth, both a fixed deposit and a share, deadlines not before the
    opening or a balance due before the deposit, an account of another organiser."""
    errors = {}
    one_booth = fee_after_subsidy(event.booth_fee, event.subsidy_percent)
    if event.deposit and event.deposit_percent:
        errors["deposit_percent"] = _("Give either a fixed deposit or a share, not both.")
    elif event.deposit > one_booth:
        errors["deposit"] = _("The deposit cannot be more than the fee of one booth after subsidy (%(fee)s ₫).") % {
            "fee": f"{one_booth:,}".replace(",", ".")
        }
    opens_on = timezone.localtime(event.opens_at).date() if event.opens_at else None
    for field in ("deposit_due_on", "balance_due_on"):
        day = getattr(event, field)
        if day and opens_on and day >= opens_on:
            errors[field] = _("This deadline must fall before the fair opens (%(date)s).") % {
                "date": f"{opens_on:%d/%m/%Y}"
            }
    if event.deposit_due_on and event.balance_due_on and event.deposit_due_on > event.balance_due_on:
        errors.setdefault("balance_due_on", _("The balance cannot be due before the deposit."))
    account = event.bank_account
    if account is not None and account.organiser_id != event.organiser_id:
        errors["bank_account"] = _("This account belongs to another organiser.")
    programme = event.subsidy_programme
    if programme is not None and programme.organiser_id != event.organiser_id:
        errors["subsidy_programme"] = _("This programme belongs to another organiser.")
    return errors
