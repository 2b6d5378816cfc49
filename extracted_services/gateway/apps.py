from django.apps import AppConfig


class GatewayConfig(AppConfig):
    name = "extracted_services.gateway"
    label = "gateway"
    verbose_name = "Gateway"
