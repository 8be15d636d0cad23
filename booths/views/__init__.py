"""Booth pages, one module per part (each exports urlpatterns)."""
