"""The access log in the admin: read-only, for the installation's administrators (the organiser's
administrators read their organiser's log on its staff page, /staff/organisers/<id>/access-log/)."""

from django.contrib import admin

from events.admin_scoping import is_superuser
from events.models import AccessLog


@admin.register(AccessLog)
class AccessLogAdmin(admin.ModelAdmin):
    list_display = ("changed_at", "user_name", "kind", "label", "organiser", "event", "personal", "address")
    list_filter = ("kind", "personal", "organiser")
    list_select_related = ("organiser", "event")
    search_fields = ("user_name", "label", "object_id")
    date_hierarchy = "changed_at"

    def has_module_permission(self, request):
        return is_superuser(request)

    def has_view_permission(self, request, obj=None):
        return is_superuser(request)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
