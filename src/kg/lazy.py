"""Package names imported on first use, so `kg --help` never loads rdflib, networkx or matplotlib.

    # in a package's __init__.py
    __getattr__, __dir__ = lazy_exports(__name__, globals(), {"Endpoint": "app", "make_server": "http"})
"""
from __future__ import annotations

from importlib import import_module


def lazy_exports(package: str, namespace: dict, exports: dict[str, str]):
    """Module-level __getattr__ and __dir__ for `package`: each name in `exports` (name ->
    submodule) is imported from its submodule when first used, then kept in `namespace`."""

    def __getattr__(name: str):
        if name not in exports:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = namespace[name] = getattr(import_module(f".{exports[name]}", package), name)
        return value

    def __dir__() -> list[str]:
        return sorted({*namespace, *exports})

    return __getattr__, __dir__
