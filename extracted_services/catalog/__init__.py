"""The catalog service (port 8101): categories, products, stock, reservations."""
