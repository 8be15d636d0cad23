"""Writes for participants, their accounts, products and applications.

One module per part: core (profiles, application life cycle), importing (spreadsheet import).
Later modules: accounts, products, applying, review. Import from the module that defines a
function or from here for the core ones.
"""

from .core import (  # noqa: F401
    APPLICATION_TRANSITIONS,
    DECISIONS,
    application_create,
    application_transition,
    applications_decide,
    decided_message,
    undecided_message,
    vendor_save,
    vendors_import,
)
