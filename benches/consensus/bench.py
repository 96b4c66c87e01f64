"""The Python side of the consensus benchmark: red-dwarf 0.4.0 and our NumPy
port, timed on the same inputs as the Rust engine. Prints one JSON object per
line. Run through run.sh, which sets up the venv and runs everything side by
side.

Usage: bench.py DATA_DIR [--synthetic VOTES_CSV] [--repeat N] [--reddwarf-timeout S]
"""

import csv
import json
import os
import signal
import statistics
import sys
import time
import warnings

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import numpy_pipeline  # noqa: E402

warnings.filterwarnings("ignore")


def load_votes(path):
    """votes.csv, latest vote per (voter, comment) winning."""
    latest = {}
    with open(path, newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    rows.sort(key=lambda r: int(r["timestamp"]))
    for r in rows:
        latest[(int(r["voter-id"]), int(r["comment-id"]))] = (int(r["vote"]), int(r["timestamp"]))
    return latest


def load_mod_out(path):
    out = []
    if not os.path.exists(path):
        return out
    with open(path, newline="", encoding="utf-8") as f:
        for r in csv.DictReader(f):
            meta = r.get("is-meta", "false").strip().lower() == "true"
            if r.get("moderated", "0").strip() == "-1" or meta:
                out.append(int(r["comment-id"]))
    return out


def as_arrays(latest, mod_out):
    voters = sorted({v for v, _ in latest})
    stmts = sorted({s for _, s in latest})
    vi = {v: i for i, v in enumerate(voters)}
    si = {s: i for i, s in enumerate(stmts)}
    rows = np.fromiter((vi[v] for v, _ in latest), dtype=np.int64, count=len(latest))
    cols = np.fromiter((si[s] for _, s in latest), dtype=np.int64, count=len(latest))
    vals = np.fromiter((x for x, _ in latest.values()), dtype=float, count=len(latest))
    mod = np.array([si[s] for s in mod_out if s in si], dtype=np.int64)
    return rows, cols, vals, len(voters), len(stmts), mod


class Timeout(Exception):
    pass


def _alarm(signum, frame):
    raise Timeout()


def time_reddwarf(latest, mod_out, repeat, timeout):
    from reddwarf.implementations.polis import run_pipeline

    votes = [
        {"participant_id": v, "statement_id": s, "vote": x, "modified": t}
        for (v, s), (x, t) in latest.items()
    ]
    times = []
    k = None
    signal.signal(signal.SIGALRM, _alarm)
    for _ in range(repeat):
        signal.alarm(timeout)
        try:
            t = time.perf_counter()
            result = run_pipeline(votes=votes, mod_out_statement_ids=mod_out, random_state=42)
            times.append((time.perf_counter() - t) * 1e3)
            k = None if result.clusterer is None else len(set(result.clusterer.labels_))
        except Timeout:
            return None, None
        finally:
            signal.alarm(0)
    return statistics.median(times), k


def time_numpy(arrays, repeat):
    times = []
    k = None
    for _ in range(repeat):
        t = time.perf_counter()
        result = numpy_pipeline.run(*arrays)
        times.append((time.perf_counter() - t) * 1e3)
        k = result["k"]
    return statistics.median(times), k


def peak_mb():
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def main():
    args = sys.argv[1:]
    data = args[0]
    repeat = int(args[args.index("--repeat") + 1]) if "--repeat" in args else 3
    timeout = int(args[args.index("--reddwarf-timeout") + 1]) if "--reddwarf-timeout" in args else 900
    if "--synthetic" in args:
        path = args[args.index("--synthetic") + 1]
        latest = load_votes(path)
        arrays = as_arrays(latest, [])
        np_ms, np_k = time_numpy(arrays, 1)
        np_peak = peak_mb()
        rd_ms, rd_k = time_reddwarf(latest, [], 1, timeout)
        print(json.dumps({"case": "synthetic", "numpy_ms": np_ms, "numpy_k": np_k,
                          "numpy_peak_mb": np_peak, "reddwarf_ms": rd_ms, "reddwarf_k": rd_k}),
              flush=True)
        return
    for name in sorted(os.listdir(data)):
        d = os.path.join(data, name)
        if not os.path.isdir(d):
            continue
        latest = load_votes(os.path.join(d, "votes.csv"))
        mod_out = load_mod_out(os.path.join(d, "comments.csv"))
        arrays = as_arrays(latest, mod_out)
        np_ms, np_k = time_numpy(arrays, repeat)
        rd_ms, rd_k = time_reddwarf(latest, mod_out, repeat, timeout)
        print(json.dumps({"case": name, "numpy_ms": np_ms, "numpy_k": np_k,
                          "reddwarf_ms": rd_ms, "reddwarf_k": rd_k}), flush=True)


if __name__ == "__main__":
    main()
