"""Cached pieces of pages, each under a key that carries the version of the patient's data it was built from.

See versions.py for how the version changes on every write, and receivers.py
for which writes count.
"""
