"""Run every benchmark script in ``bench/`` (``bench_*.py``) and print their tables."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).parent

if __name__ == "__main__":
    rc = 0
    for script in sorted(HERE.glob("bench_*.py")):
        print(f"\n## {script.name}\n", flush=True)
        rc |= subprocess.run([sys.executable, str(script)], cwd=HERE.parent).returncode
    raise SystemExit(rc)
