"""Admin for participants, products and applications: businesses (participants, their
members and products), applications (and their decisions) and records (status changes,
documents, payments, check-ins: written by the services, shown read-only).

Decisions on applications (approve, waitlist, reject, cancel) are admin actions that go
through vendors.services.applications_decide after a confirmation page asking for the
reason; the status itself is never edited in a form."""

from . import applications, businesses, erasure, money, phone, records  # noqa: F401 (each registers its models)
