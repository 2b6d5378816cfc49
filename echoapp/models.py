"""What the echo lab stores: each valid submission of the form."""

from django.db import models


class EchoSubmission(models.Model):
    """One valid submission of the echo form.

    The ``id`` is implicit: ``EchoappConfig.default_auto_field`` makes it an integer
    on SQL databases and an ObjectId when the submissions live in MongoDB.
    """

    name = models.CharField(max_length=100)
    message = models.TextField(max_length=2000)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.name}: {self.message[:40]}"
