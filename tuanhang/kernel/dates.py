"""Calendar arithmetic shared by the apps."""

import calendar
import datetime as dt


def months_after(moment: dt.datetime, months: int) -> dt.datetime:
    """`moment` plus whole calendar months, or minus when negative (31 January + 1 month → 28/29
    February)."""
    month_index = moment.month - 1 + months
    year, month = moment.year + month_index // 12, month_index % 12 + 1
    day = min(moment.day, calendar.monthrange(year, month)[1])
    return moment.replace(year=year, month=month, day=day)
