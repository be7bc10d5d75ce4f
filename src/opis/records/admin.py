"""The Django admin's view of the audit trail: read-only for everyone, superusers included.

The trail is append-only (``AuditEvent`` refuses changes and deletions); the admin offers no
add, change or delete at all, so nobody is shown a button that would fail.
"""

from django.contrib import admin

from opis.records.accounts import CURATOR, has_role
from opis.records.models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ("at", "actor", "action", "object", "outcome")
    list_filter = ("action", "outcome")
    search_fields = ("actor", "object")
    date_hierarchy = "at"

    def has_module_permission(self, request) -> bool:
        return has_role(request.user, CURATOR)

    def has_view_permission(self, request, obj=None) -> bool:
        return has_role(request.user, CURATOR)

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
