from django.apps import AppConfig


class PaymentsConfig(AppConfig):
    name = "extracted_services.payments"
    label = "payments"
    verbose_name = "Payments service"
