"""Monolith against services in figures: the tables of docs/comparison.md.

``python -m bench.compare`` reads the last benchmark and chaos runs and writes their
figures into the page; ``--check`` fails when the page no longer shows its record.
"""
