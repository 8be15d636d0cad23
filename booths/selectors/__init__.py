"""Reads for booths shared by views, tasks and prints; one module per part."""
