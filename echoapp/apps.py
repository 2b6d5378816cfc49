"""The course's form-echo lab."""

from types import ModuleType

from django.apps import AppConfig
from django.conf import settings

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

    def __init__(self, app_name: str, app_module: ModuleType | None) -> None:
        super().__init__(app_name, app_module)
        # Chosen as Django fills its app registry: after settings are loaded, before
        # the model class is built.
        self.default_auto_field = primary_key_class_path()
