"""Reads shared by the vendor journey's views, tasks and prints; one module per part."""
