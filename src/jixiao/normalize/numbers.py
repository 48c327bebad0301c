"""Moved to the ground floor: import from ``jixiao.reference.numbers``.

This alias keeps branches written before the move importing; the import-graph
test (``tests/test_imports.py``) still names any stage before normalize that
imports it.
"""

from jixiao.reference.numbers import *  # noqa: F403
