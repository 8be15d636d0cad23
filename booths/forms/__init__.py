"""Forms of the booth pages, one module per part."""
