"""The outbox in the admin: what the relay has sent, what waits, what is dead-lettered.

Each service with an outbox registers it: ``admin.site.register(OutboxMessage,
OutboxMessageAdmin)``. Read-only: a message is written by the code that causes it.
One action changes a row: "Retry", for a dead-lettered message once its cause is
fixed (chassis/outbox.py, docs/reliability.md).
"""

from django.contrib import admin, messages
from django.contrib.auth import get_permission_codename
from django.db.models import QuerySet
from django.http import HttpRequest

from .outbox import OutboxMessage, outbox_retry

RETRIED = "%(count)d message(s) will be sent again by the relay."


class StateFilter(admin.SimpleListFilter):
    """Where a message is in its life: waiting, sent, or dead-lettered."""

    title = "state"
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return [("waiting", "waiting"), ("sent", "sent"), ("dead", "dead-lettered")]

    def queryset(self, request, queryset):
        if self.value() == "waiting":
            return queryset.filter(published_at__isnull=True, dead_at__isnull=True)
        if self.value() == "sent":
            return queryset.filter(published_at__isnull=False)
        if self.value() == "dead":
            return queryset.filter(dead_at__isnull=False, published_at__isnull=True)
        return queryset


class OutboxMessageAdmin(admin.ModelAdmin):
    list_display = [
        "id",
        "task_name",
        "queue",
        "request_id",
        "published_at",
        "attempts",
        "dead_at",
    ]
    list_filter = [StateFilter, "task_name", "published_at"]
    readonly_fields = [
        "task_name",
        "queue",
        "payload",
        "request_id",
        "created_at",
        "attempts",
        "last_error",
        "next_attempt_at",
        "dead_at",
    ]
    actions = ["retry"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_retry_permission(self, request: HttpRequest) -> bool:
        # Retrying changes a row: it takes the model's "change" permission, which
        # the page itself never uses (has_change_permission keeps rows read-only).
        codename = get_permission_codename("change", self.opts)
        return request.user.has_perm(f"{self.opts.app_label}.{codename}")

    @admin.action(description="Retry the selected messages", permissions=["retry"])
    def retry(self, request: HttpRequest, queryset: QuerySet[OutboxMessage]) -> None:
        count = outbox_retry(pks=list(queryset.values_list("pk", flat=True)))
        self.message_user(request, RETRIED % {"count": count}, messages.SUCCESS)
