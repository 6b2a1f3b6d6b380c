"""Worker processes that never outlive the process that started them."""

from __future__ import annotations

import ctypes
import signal


def die_with_parent() -> None:
    """Pool initializer: ask Linux to kill this worker when its parent dies (no orphan keeps working, no
    lock stays held), and leave Ctrl-C to the parent, which stops the pool."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):  # not Linux: workers still exit when their pipe closes
        pass
    signal.signal(signal.SIGINT, signal.SIG_IGN)
