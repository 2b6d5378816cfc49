"""The outbox as a service declares it: the chassis's abstract model, made real."""

from extracted_services.chassis.outbox import OutboxMessage as BaseOutboxMessage


class OutboxMessage(BaseOutboxMessage):
    pass
