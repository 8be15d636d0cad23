"""Admin import of participant lists with a preview (filled in by the import work)."""


class VendorImportMixin:
    """Mixed into VendorAdmin: adds the import page to the participant admin."""
