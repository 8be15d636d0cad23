"""VietQR images: building 1,000 of them (the payload of a transfer to the fair's account with the
application's payment code as memo, then the PNG the e-mail and the Zalo link carry), as a fair's
approval run or a batch of e-mails does. Pure CPU: no database, no network.

Figures: vietqr_1000_seconds (median of RUNS rounds, with _min and _max; target ≤ 10 s, i.e. 10 ms
an image, so that building the QR never dominates sending an e-mail), vietqr_png_bytes (the mean
PNG size: what each e-mail carries) and vietqr_payload_chars (the longest payload of the round).

Where the time goes (cProfile, 2026-12-07): segno's encoding is about 7 ms a code, 85 % of it
choosing the mask (all eight are drawn and scored, in Python); the PNG was another 5 ms through
segno's Python row writer and is now 1.5 ms through Pillow, same pixels (`qr_png`). The mask
choice is kept: a fixed mask would be quicker but skips what keeps the symbol readable."""

import time

from bench.run import figure, spread, spread_names
from tuanhang.kernel.vietqr import build_payload, payment_code, qr_png

N = 1_000
RUNS = 5
FIGURES = (*spread_names("vietqr_1000_seconds"), "vietqr_png_bytes", "vietqr_payload_chars")

# Receiving accounts as organisers have them: Vietcombank, VietinBank, BIDV, Agribank.
ACCOUNTS = (
    ("970436", "0011001234567"),
    ("970415", "113000042024"),
    ("970418", "12610000123456"),
    ("970405", "2400205123456"),
)


def one_round() -> tuple[float, int, int]:
    started = time.perf_counter()
    size = longest = 0
    for i in range(N):
        bin_code, account = ACCOUNTS[i % len(ACCOUNTS)]
        amount = 1_000_000 + 37_500 * i  # every amount different, 7 to 8 digits
        payload = build_payload(bin_code, account, amount, payment_code("TH", 10_000 + i))
        size += len(qr_png(payload))
        longest = max(longest, len(payload))
    return time.perf_counter() - started, size // N, longest


def run(ctx):
    rounds = [one_round() for _ in range(RUNS)]
    return [
        *spread("vietqr_1000_seconds", [seconds for seconds, *_ in rounds], "s", target=("<=", 10), digits=2),
        figure("vietqr_png_bytes", rounds[-1][1], "bytes per PNG"),
        figure("vietqr_payload_chars", rounds[-1][2], "characters"),
    ]
