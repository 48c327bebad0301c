"""Prefect flows: thin sequences of jixiao library calls."""
