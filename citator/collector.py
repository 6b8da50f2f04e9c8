"""How a citator command sets Python's cyclic garbage collector: a process-wide choice made at
the command line's edge, never inside `citations/` (which stays pure and leaves process state alone).

Extracting references from a long opinion keeps hundreds of thousands of small objects alive at
once (eyecite's tokens and citations, our cites, targets and references) and allocates millions
more that die young. With CPython's default thresholds (700, 10, 10) every 700 allocations start
a collection, and each full collection walks every live object, the imported libraries' tables
included: on a 3 MB text that was 7,300 collections and 11 full ones, about a fifth of the CPU time
(bench/extract_scale.py; with the settings below, about 100 and none). So every command:

* freezes what is loaded when it starts (`gc.freeze`): modules, tables, configuration, which are
  never garbage, are then not walked by any collection;
* collects the young generation every `YOUNG_THRESHOLD` allocations rather than every 700, and
  the older generations as rarely as `MIDDLE_THRESHOLD` and `OLD_THRESHOLD` say.

Reference cycles are still collected (the collector stays on), only in fewer, larger batches: the
most garbage that can wait for a collection is a few tens of thousands of objects per generation.
The previous settings come back when the command ends (`with collector_for_commands(): ...`), so a
process that calls the CLI in-process (tests) is left as it was.
"""

from __future__ import annotations

import gc
from contextlib import contextmanager
from typing import Iterator

#: Allocations (net of deallocations) of tracked objects between two young-generation collections.
YOUNG_THRESHOLD = 50_000
#: Young collections between two collections of the middle generation.
MIDDLE_THRESHOLD = 20
#: Middle collections between two full collections (CPython also waits until the objects new to the
#: old generation reach a quarter of it).
OLD_THRESHOLD = 100


@contextmanager
def collector_for_commands() -> Iterator[None]:
    """Run the body with the collector set as the module docstring says; restore it afterwards."""
    before = gc.get_threshold()
    gc.freeze()
    gc.set_threshold(YOUNG_THRESHOLD, MIDDLE_THRESHOLD, OLD_THRESHOLD)
    try:
        yield
    finally:
        gc.set_threshold(*before)
        gc.unfreeze()
