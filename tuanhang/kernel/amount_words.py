"""An amount of đồng in Vietnamese words, as receipts write it ("Hai triệu năm trăm nghìn đồng").

num2words is not installed here, so the rules are written out: groups of three digits named
nghìn, triệu, tỷ (then nghìn tỷ, triệu tỷ…); inside a group "không trăm" and "linh" for the
zeros a reader must hear once a higher group was said ("một triệu không trăm linh năm"), "mười"
for the tens digit 1, "mốt" for 1, "tư" for 4 and "lăm" for 5 after a tens digit of 2 or more
(and "lăm" after "mười"). Groups that are all zeros are skipped."""

DIGITS = ["không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín"]
GROUPS = ["", "nghìn", "triệu"]


def _hundreds(n: int, full: bool) -> list[str]:
    """Words for 0 < n < 1000; `full` when a higher group precedes (say the zero hundreds)."""
    hundreds, tens, units = n // 100, n // 10 % 10, n % 10
    words = []
    if hundreds or full:
        words += [DIGITS[hundreds], "trăm"]
    if tens == 0:
        if units and words:
            words += ["linh", DIGITS[units]]
        elif units:
            words.append(DIGITS[units])
    elif tens == 1:
        words.append("mười")
        if units:
            words.append("lăm" if units == 5 else DIGITS[units])
    else:
        words += [DIGITS[tens], "mươi"]
        if units:
            words.append({1: "mốt", 4: "tư", 5: "lăm"}.get(units, DIGITS[units]))
    return words


def _below_billion(n: int, full: bool) -> list[str]:
    groups = [n // 1_000_000, n // 1000 % 1000, n % 1000]
    words = []
    for index, group in enumerate(groups):
        if not group:
            continue
        words += _hundreds(group, full or bool(words))
        if GROUPS[2 - index]:
            words.append(GROUPS[2 - index])
    return words


def number_words(n: int) -> str:
    """A whole number ≥ 0 in lower-case Vietnamese words."""
    if n < 0:
        raise ValueError("a negative amount has no words here")
    if n == 0:
        return DIGITS[0]
    billions, rest = divmod(n, 1_000_000_000)
    words = []
    if billions:
        words += [number_words(billions), "tỷ"]
    words += _below_billion(rest, bool(billions))
    return " ".join(words)


def vnd_in_words(n: int) -> str:
    """ "Hai triệu năm trăm nghìn đồng" for 2,500,000: capitalised, ending in "đồng"."""
    text = f"{number_words(n)} đồng"
    return text[0].upper() + text[1:]
