"""Send the echo lab's submissions to MongoDB, and keep everything else off it.

settings/base.py installs this router only when ``MONGODB_URI`` is set
(docs/decisions/0001-store-echo-submissions-in-mongodb-with-django-mongodb-backend-not-djongo.md).
"""

MONGODB_ALIAS = "mongodb"  # the key of the MongoDB entry in settings.DATABASES
APP_LABEL = "echoapp"


class EchoMongoRouter:
    """echoapp reads, writes and migrates on MongoDB; no other app touches it.

    Returning ``None`` means "no opinion": Django asks the next router and in the
    end uses the default database. Relations need no rule: Django's default only
    allows them between objects in the same database.
    """

    def db_for_read(self, model, **hints):
        return MONGODB_ALIAS if model._meta.app_label == APP_LABEL else None

    def db_for_write(self, model, **hints):
        return MONGODB_ALIAS if model._meta.app_label == APP_LABEL else None

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        if app_label == APP_LABEL:
            return db == MONGODB_ALIAS
        if db == MONGODB_ALIAS:
            # auth, sessions, the shop...: their integer primary keys need SQL.
            return False
        return None
