"""The public site, on the roof of the house: the fair pages, the exhibitor directory, the booth
map pages, the business's own dashboard, sitemaps. It may import every app and the kernel, never
the staff office (tuanhang/office)."""
