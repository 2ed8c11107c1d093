"""Benchmark ``marsad batch``: serial against a process pool (and optionally Dask).

Writes the first N articles of a marsad JSONL corpus (default: SaudiNewsNet) to a
temporary file, runs ``python -m marsad batch`` on it once per mode as a child process
(on a snapshot of ``src/marsad`` taken at the start, unless ``--live``) and prints one
JSON object: wall time, articles/s (with and without the fixed start-up cost, measured
on a one-article input), CPU seconds and cores kept busy, events, failures, the peak
resident memory of the parent, of the largest process and of the whole process tree
(sampled from /proc), the load average, and whether each mode wrote the first mode's
bytes exactly.

    python scripts/bench_scale.py [-n 400] [--jobs 2] [--modes serial,pool,dask]
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
DEFAULT = REPO.parent / "shared" / "data" / "corpora" / "saudinewsnet.jsonl.gz"
_PAGE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096


def write_sample(corpus: Path, n: int, dest: Path) -> int:
    """Copy the first ``n`` non-blank lines of ``corpus`` (gzip or not) to ``dest``."""
    opener: Any = gzip.open if corpus.suffix == ".gz" else open
    count = 0
    with opener(corpus, "rt", encoding="utf-8") as src, dest.open("w", encoding="utf-8") as out:
        for line in src:
            if count >= n:
                break
            if line.strip():
                out.write(line if line.endswith("\n") else line + "\n")
                count += 1
    return count


def _children() -> dict[int, list[int]]:
    kids: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            stat = Path(entry.path, "stat").read_text()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        kids.setdefault(ppid, []).append(int(entry.name))
    return kids


def _rss_bytes(pid: int) -> int:
    try:
        return int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * _PAGE
    except (OSError, IndexError, ValueError):
        return 0


class TreeMemory:
    """Samples the RSS of a process, of its largest descendant and of them all summed."""

    def __init__(self, pid: int, every: float = 0.1) -> None:
        self.pid = pid
        self.every = every
        self.peak_total = 0
        self.peak_single = 0
        self.peak_root = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, daemon=True)

    def __enter__(self) -> TreeMemory:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def _loop(self) -> None:
        while not self._stop.is_set():
            kids = _children()
            tree, todo = [], [self.pid]
            while todo:
                p = todo.pop()
                tree.append(p)
                todo.extend(kids.get(p, []))
            sizes = [_rss_bytes(p) for p in tree]
            self.peak_total = max(self.peak_total, sum(sizes))
            self.peak_single = max(self.peak_single, max(sizes, default=0))
            self.peak_root = max(self.peak_root, sizes[0])
            self._stop.wait(self.every)


def snapshot_source(dest: Path) -> Path:
    """Copy ``src/marsad`` to ``dest`` so that every mode runs the same code.

    Other people may commit to the working tree while the benchmark runs; the child
    processes import this copy (through PYTHONPATH) instead of the live tree.
    """
    shutil.copytree(
        REPO / "src" / "marsad", dest / "marsad", ignore=shutil.ignore_patterns("__pycache__")
    )
    return dest


def run_batch(
    inp: Path, out: Path, mode_args: list[str], pythonpath: Path | None = None
) -> dict[str, Any]:
    """Run ``marsad batch`` once; wall time, peak memory and the summary counts."""
    cmd = [sys.executable, "-m", "marsad", "batch", str(inp), "-o", str(out), "-q", *mode_args]
    env = dict(os.environ)
    if pythonpath is not None:
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(pythonpath), env.get("PYTHONPATH")]))
    load = os.getloadavg()[0]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stderr=subprocess.PIPE, text=True, cwd=REPO, env=env)
    with TreeMemory(proc.pid) as mem:
        _, err = proc.communicate()
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    # every descendant was waited for by its parent, so its CPU time is counted here
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed ({proc.returncode}):\n{err}")
    summary = next(x for x in err.splitlines() if x.startswith("marsad batch:"))
    parts = dict(
        (words[1], words[0]) for words in (x.split() for x in summary.split(":", 1)[1].split(","))
    )
    return {
        "wall_s": round(wall, 2),
        "cpu_s": round(cpu, 2),
        "cores_busy": round(cpu / wall, 2),
        "articles": int(parts["articles"]),
        "events": int(parts["events"]),
        "failed": int(parts["failed"]),
        "lost": int(parts["lost"]),
        "peak_rss_tree_mb": round(mem.peak_total / 2**20),
        "peak_rss_largest_process_mb": round(mem.peak_single / 2**20),
        "peak_rss_parent_mb": round(mem.peak_root / 2**20),
        "load_avg_1min_before": round(load, 2),
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--corpus", type=Path, default=DEFAULT)
    ap.add_argument("-n", type=int, default=400)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--chunk-size", type=int, default=16)
    ap.add_argument("--modes", default="serial,pool", help="comma-separated: serial,pool,dask")
    ap.add_argument(
        "--live", action="store_true", help="run the working tree, not a snapshot of src/marsad"
    )
    args = ap.parse_args()
    modes = {
        "serial": ["--jobs", "1"],
        "pool": ["--jobs", str(args.jobs), "--chunk-size", str(args.chunk_size)],
        "dask": ["--dask", "local", "--jobs", str(args.jobs), "--chunk-size", str(args.chunk_size)],
    }
    chosen = args.modes.split(",")
    unknown = [m for m in chosen if m not in modes]
    if unknown:
        raise SystemExit(f"unknown mode(s) {unknown}; choose from {sorted(modes)}")
    with tempfile.TemporaryDirectory(prefix="marsad-bench-scale-") as tmp:
        tmpdir = Path(tmp)
        sample, one = tmpdir / "sample.jsonl", tmpdir / "one.jsonl"
        n = write_sample(args.corpus, args.n, sample)
        write_sample(args.corpus, 1, one)
        code = None if args.live else snapshot_source(tmpdir / "code")
        head = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=REPO
        ).stdout.strip()
        result: dict[str, Any] = {
            "corpus": args.corpus.name,
            "articles": n,
            "cores": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else None,
            "code": f"git {head}" + (" (live tree)" if args.live else " (snapshot of src/)"),
            "modes": {},
        }
        reference: bytes | None = None
        for mode in chosen:
            startup = run_batch(one, tmpdir / f"{mode}-one.jsonl", modes[mode], code)["wall_s"]
            out = tmpdir / f"{mode}.jsonl"
            res = run_batch(sample, out, modes[mode], code)
            res["startup_s"] = startup
            res["articles_per_s"] = round(n / res["wall_s"], 1)
            steady = res["wall_s"] - startup
            res["articles_per_s_after_startup"] = round(n / steady, 1) if steady > 0 else None
            data = out.read_bytes()
            if reference is None:
                reference = data
            res["identical_to_first_mode"] = data == reference
            result["modes"][mode] = res
        print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
