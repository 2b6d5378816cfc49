"""The outbox in the admin: what the relay has sent, and what waits.

Each service with an outbox registers it: ``admin.site.register(OutboxMessage,
OutboxMessageAdmin)``. Read-only: a message is written by the code that causes it.
"""

from django.contrib import admin


class OutboxMessageAdmin(admin.ModelAdmin):
    list_display = ["id", "task_name", "queue", "request_id", "published_at"]
    list_filter = ["task_name", "published_at"]
    readonly_fields = ["task_name", "queue", "payload", "request_id", "created_at"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
