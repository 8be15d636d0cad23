"""Bank memos as statements show them, made up from a seeded generator: what businesses type and
what banks add. Used to mangle codes and to measure how often a memo without a code yields one."""

import random
import string

# Words businesses write in transfer memos; many start with TH, the default prefix.
_WORD_TEXT = (
    "thanh toan tien gian hang hoi cho tuan hang viet nam cong ty tnhh thuong mai dich vu san xuat "
    "hop tac xa ho kinh doanh chuyen khoan phi tham gia dat coc con lai thu thuy thao thinh thong "
    "thang the thien tho thai thuc pham nong san ocop hai phong vsip thuy nguyen nop tien cho ban "
    "to chuc trung tam khuyen cong nguyen van tran thi le hoang pham vu dang bui do ho ngo duong ly"
)
WORDS = _WORD_TEXT.split()
VIETNAMESE = ["Thanh toán", "tiền gian hàng", "Hội chợ", "Đặt cọc", "Công ty", "Thủy Nguyên", "Đỗ Thị Thu"]


def bank_reference(rng: random.Random) -> str:
    kind = rng.randrange(4)
    if kind == 0:
        return "FT" + "".join(rng.choices(string.digits, k=10)) + "".join(rng.choices(string.ascii_uppercase, k=4))
    if kind == 1:
        return "MBVCB." + "".join(rng.choices(string.digits, k=rng.randint(6, 10)))
    if kind == 2:
        return "IBFT " + "".join(rng.choices(string.ascii_uppercase + string.digits, k=rng.randint(6, 12)))
    return "CT tu " + "".join(rng.choices(string.digits, k=rng.randint(9, 13)))


def random_memo(rng: random.Random) -> str:
    """A memo with no payment code in it on purpose: words, Vietnamese phrases, bank references,
    phone numbers and random letters and digits, in any order."""
    parts = []
    for _ in range(rng.randint(2, 8)):
        kind = rng.randrange(10)
        if kind < 5:
            parts.append(rng.choice(WORDS))
        elif kind < 6:
            parts.append(rng.choice(VIETNAMESE))
        elif kind < 8:
            parts.append(bank_reference(rng))
        elif kind < 9:
            parts.append("0" + "".join(rng.choices(string.digits, k=9)))
        else:
            parts.append("".join(rng.choices(string.ascii_uppercase + string.digits, k=rng.randint(3, 12))))
    return rng.choice([" ", ".", "-", " "]).join(parts)
