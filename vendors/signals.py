"""What the vendors app tells the layers above it, without knowing them.

application_status_changed is sent inside application_transition's transaction, after the new
status is saved, with application (the locked row), from_status, to_status and by. A receiver's
writes commit or roll back with the step (booths releases an application's booths here)."""

from django.dispatch import Signal

application_status_changed = Signal()

# Sent inside vendors.services.erasure.vendor_erase's transaction with vendor (the locked row):
# receivers blank the business's personal data they hold (reminders: the recipients' addresses).
vendor_erased = Signal()
