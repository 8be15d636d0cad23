"""Questions the vendors app asks the layers above it (tuanhang.kernel.hooks)."""

from tuanhang.kernel.hooks import Hook

# {application id: number of booths it holds or has confirmed now}, for the given ids. The booths
# app answers it; without booths nobody holds one.
booths_held = Hook("vendors.booths_held", default=lambda application_ids: {})
