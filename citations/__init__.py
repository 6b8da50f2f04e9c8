"""The citations stage: text in, references and treatments out (no network, no database).

The verbs the other stages use are exported here. They are imported on first use, not when the
package is: reading an opinion needs eyecite (and, for `citator bulk`, Hyperscan), whose import
costs more than the whole start-up of commands that never read an opinion (`status`, `config`,
`serve`).
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

#: Exported name -> the module of this package that defines it.
_EXPORTS = {
    "read_opinion": "reading",
    "TREATMENT_RANKING": "models",
    "TREATMENTS": "models",
    "treatment_model_identity": "provenance",
    "ModelIdentity": "provenance",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_EXPORTS})
