"""The chassis's one table, in every service's database: tasks that failed for good."""

from django.db import models
from django.utils import timezone


class FailedTask(models.Model):
    """A Celery task that failed its last try: its dead letter, to look at and resend.

    Written by the worker when Celery gives up on a task (chassis/failed_tasks.py);
    the broker keeps nothing once it has been acknowledged. ``kwargs`` are kept with
    their secrets removed (a sealed card stays sealed: only payments can open it).
    """

    task_name = models.CharField(max_length=200)
    task_id = models.CharField(max_length=255, blank=True, default="")
    # Where it was taken from, and where "Send again" puts it back.
    queue = models.CharField(max_length=200, blank=True, default="")
    kwargs = models.JSONField(default=dict)
    # Something was removed from the kwargs (a password, a card number): sending
    # them again would send the placeholder, so the admin will not.
    redacted = models.BooleanField(default=False)
    exception = models.TextField()
    traceback = models.TextField(blank=True, default="")  # its last lines
    request_id = models.CharField(max_length=128, default="-")
    failed_at = models.DateTimeField(default=timezone.now, db_index=True)
    retried_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-failed_at"]

    def __str__(self):
        state = "sent again" if self.retried_at else "failed"
        return f"{self.task_name} #{self.pk} ({state})"
