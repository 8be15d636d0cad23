# English interface, Vietnamese conventions: the people using it are in Vietnam, so dates are
# still written and typed day first ("05/03/2024" is 5 March), times in 24 hours, and weeks
# start on Monday, whichever language the pages are in. Only the words are English.
from tuanhang.formats.vi.formats import (  # noqa: F401 (Django reads these names from this module)
    DATE_INPUT_FORMATS,
    DATETIME_INPUT_FORMATS,
    FIRST_DAY_OF_WEEK,
    SHORT_DATE_FORMAT,
    SHORT_DATETIME_FORMAT,
    TIME_FORMAT,
    TIME_INPUT_FORMATS,
)

DATE_FORMAT = "j F Y"
DATETIME_FORMAT = "H:i, j F Y"
YEAR_MONTH_FORMAT = "F Y"
MONTH_DAY_FORMAT = "j F"
DECIMAL_SEPARATOR = "."
THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3
