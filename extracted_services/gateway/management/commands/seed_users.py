"""``manage.py seed_users``: the demo users, as the monolith's ``seed_demo`` makes.

Their passwords are public (README.md): for local machines only.
"""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand

# (username, password, staff): the monolith's demo users, so one sign-in fits both.
DEMO_USERS = [
    ("alice", "alice-local-only-123", False),
    ("bob", "bob-local-only-123", False),
    ("admin", "admin-local-only-123", True),
]


class Command(BaseCommand):
    help = (
        "Make the demo users alice, bob (customers) and admin (staff), with the "
        "public passwords of README.md. Safe to run again: existing users keep "
        "their passwords."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing when the gateway already has users.",
        )

    def handle(self, *args, if_empty: bool, **options):
        users = get_user_model()
        if if_empty and users.objects.exists():
            self.stdout.write("The gateway already has users: left as they are.")
            return
        for username, password, staff in DEMO_USERS:
            user, created = users.objects.get_or_create(
                username=username,
                defaults={
                    "email": f"{username}@example.com",
                    "is_staff": staff,
                    "is_superuser": staff,
                },
            )
            if created:  # an existing user keeps the password they may have changed
                user.set_password(password)
                user.save(update_fields=["password"])
            state = "created" if created else "already there"
            self.stdout.write(f"User {username}: {state}.")
