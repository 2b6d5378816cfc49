"""Dead-lettered tasks in every service's admin: what failed, why, and "Send again"."""

from django.contrib import admin, messages
from django.contrib.auth import get_permission_codename
from django.db.models import QuerySet
from django.http import HttpRequest

from .failed_tasks import failed_task_resend
from .models import FailedTask

SENT_AGAIN = "%(count)d task(s) sent again."
REFUSED = (
    "%(count)d task(s) not sent: a secret was removed from their kwargs, so they "
    "cannot be sent as they were. Send them again from the service that made them."
)


@admin.register(FailedTask)
class FailedTaskAdmin(admin.ModelAdmin):
    list_display = ["id", "task_name", "queue", "request_id", "failed_at", "retried_at"]
    list_filter = ["task_name", "queue", "failed_at", "retried_at"]
    search_fields = ["task_name", "task_id", "request_id"]
    readonly_fields = [
        "task_name",
        "task_id",
        "queue",
        "kwargs",
        "redacted",
        "exception",
        "traceback",
        "request_id",
        "failed_at",
        "retried_at",
    ]
    actions = ["send_again"]

    def has_add_permission(self, request):
        return False  # written by the worker when a task fails, never by hand

    def has_change_permission(self, request, obj=None):
        return False

    def has_send_again_permission(self, request: HttpRequest) -> bool:
        # Sending changes a row (retried_at): the model's "change" permission, which
        # the page itself never uses (rows stay read-only), as the outbox's "Retry".
        codename = get_permission_codename("change", self.opts)
        return request.user.has_perm(f"{self.opts.app_label}.{codename}")

    @admin.action(
        description="Send the selected tasks again", permissions=["send_again"]
    )
    def send_again(self, request: HttpRequest, queryset: QuerySet[FailedTask]) -> None:
        sent, refused = failed_task_resend(tasks=queryset)
        if sent:
            self.message_user(request, SENT_AGAIN % {"count": sent}, messages.SUCCESS)
        if refused:
            self.message_user(request, REFUSED % {"count": refused}, messages.WARNING)
