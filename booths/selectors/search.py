"""Searching a fair's participants (issue 18): the one rule the public directory, the check-in page
and the staff review list share.

What is typed finds an application when the business's folded search text contains it
(vendors/search.py: names, non-personal tax code, province with its pre-2025 names, commune), or
when the application holds, at that fair, a booth (held or confirmed) whose code is what was typed
(tuanhang.kernel.codes.code_search_key: case, hyphens, spaces and leading zeros do not matter, "b-4"
finds B04, but "B4" does not find B40).

Both parts are uncorrelated `IN` subqueries, one each whatever the number of rows: the businesses
whose `search_text LIKE '%…%'` (the trigram index `vendor_search_trgm` answers it on PostgreSQL,
then the fair's applications are probed against the hashed ids), and the fair's assignments. A
join to the business with the LIKE in the join filter, as before issue 21, cannot use the index:
PostgreSQL scanned every business for every search. The booth part is left out when the text
cannot be a booth code.
"""

from django.db.models import BooleanField, ExpressionWrapper, Q, QuerySet, Value

from tuanhang.kernel.admin_search import search_bits
from tuanhang.kernel.codes import code_search_key, code_search_q
from tuanhang.kernel.vn import fold
from vendors.models import Vendor
from vendors.search import vendor_matches

from ..models import Assignment


def holding_booth(text: str, *, event) -> QuerySet | None:
    """Ids of the fair's applications holding a booth whose code is `text` (None when `text`
    cannot be a booth code): a subquery for `pk__in`."""
    key = code_search_key(text)
    if not key:
        return None
    return Assignment.objects.filter(
        code_search_q("booth__code", key), booth__event=event, status__in=Assignment.ACTIVE
    ).values("application_id")


def application_matches(text: str, *, event) -> Q:
    """The condition "this application of `event` is found by `text`", for a query of Application.
    An empty `text` (nothing left after folding) matches nothing."""
    folded = fold(text)
    if not folded:
        return Q(pk__in=[])
    condition = Q(vendor_id__in=Vendor.objects.filter(vendor_matches(folded, prefix="")).values("pk"))
    on_booth = holding_booth(text, event=event)
    if on_booth is not None:
        condition |= Q(pk__in=on_booth)
    return condition


def every_word_matches(text: str, *, event, also=None) -> Q | None:
    """For lists that look for each word on its own (the staff review list): every word of `text`
    (quoted phrases kept whole) finds the application, or `also(word)` does (e.g. an exact tax code);
    or the whole of `text` is the code of a booth it holds ("B 04"). None when no word is left."""
    words = [word for word in search_bits(text) if fold(word)]
    if not words:
        return None
    condition = Q()
    for word in words:
        condition &= application_matches(word, event=event) | (also(word) if also else Q(pk__in=[]))
    on_booth = holding_booth(text, event=event)
    if len(words) > 1 and on_booth is not None:
        condition |= Q(pk__in=on_booth)
    return condition


def found_on_booth(text: str, *, event):
    """An annotation: true for the applications found by their booth's code (to list them first)."""
    on_booth = holding_booth(text, event=event)
    if on_booth is None:
        return Value(False, output_field=BooleanField())
    return ExpressionWrapper(Q(pk__in=on_booth), output_field=BooleanField())
