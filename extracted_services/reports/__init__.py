"""The reports service (Flask): the sales-report ETL pipeline as a web service.

A query against a subscription: the monolith's ``reports`` app asks its own orders
tables at request time; this service subscribes to the orders' event stream, keeps
what it learned in a database of its own, and answers from that. Read ``app.py`` first.
"""
