"""Questions the vendors app asks the layers above it (tuanhang.kernel.hooks)."""

from tuanhang.kernel.hooks import Hook

# {application id: number of booths it holds or has confirmed now}, for the given ids. The booths
# app answers it; without booths nobody holds one.
booths_held = Hook("vendors.booths_held", default=lambda application_ids: {})

# Send a one-time code through Zalo ZNS: (phone E.164, code, template_id, ttl_minutes) → the channel's
# reply, raising vendors.otp_channels.ChannelFailed when nothing was sent. The reminders app answers
# it with the Official Account's token; without it the answer is None ("Zalo is not available").
otp_zalo_send = Hook("vendors.otp_zalo_send", default=lambda phone, code, *, template_id, ttl_minutes: None)

# {application id: {booth type id: booths of that type it holds or has confirmed}}, for the given ids:
# what vendors.services.amounts charges for once booths are assigned. The booths app answers it.
booth_types_held = Hook("vendors.booth_types_held", default=lambda application_ids: {})
