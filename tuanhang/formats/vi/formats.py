# Vietnamese formats. Django 5.2's own "vi" module leaves input formats unset (so
# "05/03/2024" would parse as 3 May) and does not group thousands; this one fixes both.
DATE_FORMAT = r"\N\g\à\y d \t\h\á\n\g n \n\ă\m Y"
TIME_FORMAT = "H:i"
DATETIME_FORMAT = r"H:i \N\g\à\y d \t\h\á\n\g n \n\ă\m Y"
YEAR_MONTH_FORMAT = r"\T\h\á\n\g n \n\ă\m Y"
MONTH_DAY_FORMAT = "j F"
SHORT_DATE_FORMAT = "d/m/Y"
SHORT_DATETIME_FORMAT = "H:i d/m/Y"
FIRST_DAY_OF_WEEK = 1  # Monday

DATE_INPUT_FORMATS = [
    "%d/%m/%Y",  # '25/10/2024'
    "%d/%m/%y",  # '25/10/24'
    "%d-%m-%Y",  # '25-10-2024'
    "%d.%m.%Y",  # '25.10.2024'
    "%Y-%m-%d",  # '2024-10-25' (ISO, what <input type=date> sends)
]
TIME_INPUT_FORMATS = ["%H:%M", "%H:%M:%S", "%Hh%M", "%Hh"]
DATETIME_INPUT_FORMATS = [
    "%d/%m/%Y %H:%M",
    "%d/%m/%Y %H:%M:%S",
    "%H:%M %d/%m/%Y",
    "%d/%m/%Y",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%dT%H:%M",
    "%Y-%m-%d",
]
DECIMAL_SEPARATOR = ","
THOUSAND_SEPARATOR = "."
NUMBER_GROUPING = 3
