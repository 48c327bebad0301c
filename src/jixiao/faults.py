"""Named crash points for the crash-safety tests.

``JIXIAO_CRASH_AT=<name>`` makes the process kill itself (SIGKILL, as a power
cut or the OOM killer would) when it reaches that point; unset, a point costs
one dictionary lookup. Points: after_fetch, after_extract, mid_load,
before_publish, after_publish, mid_export.
"""

from __future__ import annotations

import os
import signal


def point(name: str) -> None:
    if os.environ.get("JIXIAO_CRASH_AT") == name:
        os.kill(os.getpid(), signal.SIGKILL)
