"""Write every fresh set as a corpus folder: python -m tests.citations.fresh_sets BULK_FILE OUT"""

from __future__ import annotations

import sys
from pathlib import Path

from tests.citations.fresh_sets import SETS, TREATMENT_SETS, materialise

if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit("usage: python -m tests.citations.fresh_sets ../shared/bulk/ca1-opinions.jsonl.gz OUT")
    bulk, target = Path(sys.argv[1]), Path(sys.argv[2])
    for name in SETS + TREATMENT_SETS:
        print(materialise(name, bulk, target / name))
