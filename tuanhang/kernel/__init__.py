"""The kernel: generic helpers every app may use, and which import no app of ours.

Vietnamese text and collation (vn, collation), form fields (forms), admin search (admin_search),
database helpers (db), uploads, spreadsheets, PDF rendering (pdf), the site's address (sites), the
table-import core (tabular) and abstract models the apps' tables share (models).
The import-linter contract in pyproject.toml holds that nothing here imports events, vendors,
booths or the roof.
"""
