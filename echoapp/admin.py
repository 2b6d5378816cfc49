"""The echo lab's submissions in the Django admin."""

from django.contrib import admin

from .models import EchoSubmission


@admin.register(EchoSubmission)
class EchoSubmissionAdmin(admin.ModelAdmin):
    list_display = ["name", "message_start", "created_at"]
    search_fields = ["name", "message"]
    readonly_fields = ["created_at"]

    @admin.display(description="message")
    def message_start(self, obj: EchoSubmission) -> str:
        return obj.message[:80]
