"""The staff office, on the roof of the house: the fair dashboard, review, check-in, printing,
reminders, reports, the demo seed and the admin wiring. It may import every app and the kernel,
never the public site (tuanhang/public)."""
