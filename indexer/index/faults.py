"""Named points in the write path where tests inject a failure (never set in production).

``TZSEARCH_FAULT=stage:action`` makes the process fail when it reaches ``stage``: ``raise`` (an exception),
``kill`` (SIGKILL itself: nothing runs after, like a power cut or ``kill -9``) or ``enospc`` (an OSError
"No space left on device", like a full disk). Stages: ``write`` (a record is written), ``build`` (a part is
built), ``merge`` (parts are combined), ``commit`` (after the store of record's commit, before the manifest),
``publish`` (just before the manifest is replaced), ``published`` (just after), ``collect`` (files are
collected). The tests of the index lifecycle (tests/test_lifecycle.py) run an import with each.
"""

from __future__ import annotations

import errno
import os
import signal

ENV = "TZSEARCH_FAULT"


class InjectedFault(RuntimeError):
    """The failure a test asked for."""


def fault_point(stage: str) -> None:
    """Fail here when the environment asks for it (a dictionary lookup otherwise)."""
    spec = os.environ.get(ENV)
    if not spec:
        return
    want, _, action = spec.partition(":")
    if want != stage:
        return
    if action == "kill":
        os.kill(os.getpid(), signal.SIGKILL)
    if action == "enospc":
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
    raise InjectedFault(f"injected failure at {stage}")
