"""Sales reports, in the monolith: a query against its own orders tables.

A query against a subscription: here a report is one ORM aggregation over the paid
orders at the moment it is asked; the reports service (extracted_services/reports)
answers the same contract from sales lines it loaded from the orders' event stream.
"""
