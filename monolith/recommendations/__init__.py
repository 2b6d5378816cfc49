"""Recommendations: "customers also bought", trained on this database's paid orders.

The recommendations service (extracted_services/recommendations, FastAPI) learns
the same model from the order events it subscribes to; model.py and serving.py are
the same files on both sides. The difference is the lesson: a query against a
subscription.
"""
