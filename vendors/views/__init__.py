"""Views of the vendor journey, one module per part (each with its own urlpatterns)."""
