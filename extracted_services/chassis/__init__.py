"""The chassis: what every service needs, written once, and nothing about the shop.

Request ids, problem details, health and metrics, JWT checks, calls to other services
with timeouts, retries and a circuit breaker, Celery tasks sent by name, the outbox.
"""
