"""`make bench`: every benchmark in turn, each printing its figures next to its same-run baseline."""

import subprocess
import sys
from pathlib import Path

BENCHES = [
    ("pipeline", ["--seconds", "60", "--latency-seconds", "20"]),
    ("http_write", []),
    ("search", []),
    ("rewards_ingest", []),
    ("matching", []),
    ("webhooks", []),
    ("load", ["--seconds", "300", "--concurrency", "16"]),
]


def main() -> int:
    here = Path(__file__).parent
    failed = []
    for name, args in BENCHES:
        if not (here / f"{name}.py").exists():
            continue
        print(f"=== bench.{name} {' '.join(args)}", flush=True)
        if subprocess.run([sys.executable, "-m", f"bench.{name}", *args], cwd=here.parent).returncode != 0:
            failed.append(name)
    if failed:
        print(f"failed: {failed}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
