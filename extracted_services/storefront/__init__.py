"""The storefront (port 8104): the shop's pages in services mode, behind the gateway."""
