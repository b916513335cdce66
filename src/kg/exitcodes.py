"""Exit codes of every `kg` command: the one table (the README repeats it).

Every command returns one of these; nothing else defines an exit status.
"""
from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    OK = 0             # success (a build succeeds even if some inputs failed: see the build report)
    INVALID = 1        # SHACL violations (kg validate; kg build --strict)
    USAGE = 2          # bad usage: unknown option, malformed -p, missing file, invalid SPARQL
    INPUT_FAILED = 3   # no recognised input at all; kg build --strict: at least one input failed
    WARNINGS = 4       # kg build --strict: extraction warnings (facts the parser may have missed)
    FILE_ERROR = 5     # a file or folder cannot be read or written: damaged graph, read-only or full output
    REMOTE = 6         # kg push: the remote store or the network failed
    INTERRUPTED = 130  # stopped by Ctrl-C or SIGTERM; previous outputs left intact

    @property
    def meaning(self) -> str:
        return _MEANINGS[self]


_MEANINGS = {
    ExitCode.OK: "success (a build succeeds even if some inputs failed: see the build report)",
    ExitCode.INVALID: "SHACL violations (`kg validate`; `kg build --strict`)",
    ExitCode.USAGE: "bad usage: unknown option, malformed `-p`, missing file, invalid SPARQL",
    ExitCode.INPUT_FAILED: "no recognised input at all; `kg build --strict`: at least one input failed",
    ExitCode.WARNINGS: "`kg build --strict`: extraction warnings (facts the parser may have missed)",
    ExitCode.FILE_ERROR: "a file or folder cannot be read or written (damaged graph, read-only or full output folder)",
    ExitCode.REMOTE: "`kg push`: the remote store or the network failed",
    ExitCode.INTERRUPTED: "interrupted (Ctrl-C, SIGTERM); previous outputs left intact",
}
