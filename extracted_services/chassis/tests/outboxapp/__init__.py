"""A test-only app: the concrete outbox a service would define in its models.py."""
