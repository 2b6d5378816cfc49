"""``manage.py recover``: one pass of recovery.py's chores, then exit."""

from django.core.management.base import BaseCommand

from extracted_services.orders.recovery import recover_once


class Command(BaseCommand):
    help = (
        "Finish what crashes left half done, once: delete expired Idempotency-Key "
        "claims, give back the stock of placements that died, ask payments again "
        "about orders pending too long, and send again stock releases catalog has "
        "not confirmed. The outbox relay does this every few seconds; this is the "
        "same pass, by hand."
    )

    def handle(self, *args, **options) -> None:
        counts = recover_once()
        self.stdout.write(
            f"{counts.claims_expired} claim(s) expired, "
            f"{counts.reservations_released} reservation(s) released, "
            f"{counts.payments_asked_again} payment(s) asked again, "
            f"{counts.releases_sent_again} release(s) sent again"
        )
