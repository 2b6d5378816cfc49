from django.apps import AppConfig


class OrdersConfig(AppConfig):
    name = "extracted_services.orders"
    label = "orders"
    verbose_name = "Orders service"
