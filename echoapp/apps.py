"""The course's form-echo lab."""

from django.apps import AppConfig
from django.conf import settings
from django.utils.functional import cached_property

from echoapp.routers import MONGODB_ALIAS


def primary_key_class_path() -> str:
    """The submissions' primary key: an integer on SQL, an ObjectId on MongoDB.

    MongoDB has no auto-increment, so django-mongodb-backend refuses
    ``BigAutoField`` and gives every document an ``ObjectId`` instead. The
    initial migration calls this too, so the migration always matches the model.
    """
    if MONGODB_ALIAS in settings.DATABASES:
        return "django_mongodb_backend.fields.ObjectIdAutoField"
    return "django.db.models.BigAutoField"


class EchoappConfig(AppConfig):
    name = "echoapp"
    verbose_name = "Form-echo lab"

    @cached_property
    def default_auto_field(self) -> str:
        # Read when the model class is built, after settings are loaded.
        return primary_key_class_path()
