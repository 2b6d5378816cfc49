"""The recommendations service (FastAPI): "customers also bought", learned from events.

main.py builds the app; api.py is its one public endpoint; consumer.py reads order
events into store.py; train.py turns them into a model (model.py) that serving.py
swaps in while the server answers.
"""
