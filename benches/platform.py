#!/usr/bin/env python3
"""Platform benchmark (issue 2): cold start to a ready /readyz, idle RSS, and p99
latency of server-rendered pages at 200 concurrent connections.

Every figure is measured beside an anchor in the same run, because these machines
are noisy: cold start beside `koers --version` (process start alone), page latency
beside /healthz (the same server, no rendering, no database).

Usage: python3 benches/platform.py [--binary target/release/koers] [--write]
With --write the results replace the "Platform" section of docs/BENCHMARKS.md.
"""

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
import urllib.parse
import http.cookiejar

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def wait_for_url(proc):
    """Reads the server's stdout until it prints its address."""
    for raw in proc.stdout:
        line = raw.decode("utf-8", "replace")
        m = re.search(r"listening on (http://\S+)", line)
        if m:
            return m.group(1)
    raise RuntimeError("server exited before printing its address")


def poll_ready(url, deadline=10.0):
    start = time.perf_counter()
    while time.perf_counter() - start < deadline:
        try:
            with urllib.request.urlopen(url + "/readyz", timeout=1) as r:
                if r.status == 200:
                    return
        except Exception:
            time.sleep(0.002)
    raise RuntimeError("not ready in time")


def start(binary, args, env=None):
    e = dict(os.environ)
    e = {k: v for k, v in e.items() if not k.startswith("KOERS_")}
    e["KOERS_LOG"] = "warn"
    if env:
        e.update(env)
    return subprocess.Popen([binary] + args, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=e)


def cold_start(binary, runs=7):
    """Spawn → first 200 from /readyz, on a data directory that already holds a
    migrated database (a restart), and on an empty one (first install)."""
    results = {"restart": [], "first install": [], "anchor": []}
    base = tempfile.mkdtemp(prefix="koers-bench-")
    warm_dir = os.path.join(base, "warm")
    subprocess.run([binary, "migrate", "--data-dir", warm_dir], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for i in range(runs):
        for kind in ["restart", "first install"]:
            d = warm_dir if kind == "restart" else os.path.join(base, f"fresh{i}")
            t0 = time.perf_counter()
            p = start(binary, ["serve", "--listen", "127.0.0.1:0", "--data-dir", d])
            url = wait_for_url(p)
            poll_ready(url)
            results[kind].append(time.perf_counter() - t0)
            p.terminate()
            p.wait()
        t0 = time.perf_counter()
        subprocess.run([binary, "--version"], check=True, stdout=subprocess.DEVNULL)
        results["anchor"].append(time.perf_counter() - t0)
    shutil.rmtree(base, ignore_errors=True)
    return {k: statistics.median(v) for k, v in results.items()}


def rss_kib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def login_cookie(url, email, password):
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    html = opener.open(url + "/inloggen").read().decode()
    token = re.search(r'name="koers-csrf" content="([^"]+)"', html).group(1)
    data = urllib.parse.urlencode({"csrf": token, "email": email, "password": password, "next": "/"}).encode()
    opener.open(urllib.request.Request(url + "/inloggen", data=data))
    return "; ".join(f"{c.name}={c.value}" for c in jar)


DELAY_LUA = os.path.join(tempfile.gettempdir(), "koers-wrk-delay.lua")


def wrk(url, path, cookie=None, seconds=15, connections=200, think_ms=None):
    """Closed loop by default (each connection sends its next request as soon as the
    last is answered: throughput-bound). With think_ms, each of the connections waits
    that long between requests: 200 clients at a steady offered rate."""
    cmd = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", url + path]
    if think_ms:
        with open(DELAY_LUA, "w") as f:
            f.write(f"function delay()\n  return {think_ms}\nend\n")
        cmd[1:1] = ["-s", DELAY_LUA]
    if cookie:
        cmd[1:1] = ["-H", f"Cookie: {cookie}"]
    out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout

    def ms(label):
        m = re.search(rf"^\s+{label}%\s+([\d.]+)(us|ms|s)\s*$", out, re.M)
        v, unit = float(m.group(1)), m.group(2)
        return v / 1000 if unit == "us" else v * 1000 if unit == "s" else v

    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    errors = re.search(r"Socket errors: (.*)", out)
    return {"p50": ms("50"), "p99": ms("99"), "rps": rps,
            "non2xx": int(non2xx.group(1)) if non2xx else 0,
            "socket_errors": errors.group(1) if errors else "none"}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--binary", default=os.path.join(ROOT, "target/release/koers"))
    ap.add_argument("--seconds", type=int, default=15)
    ap.add_argument("--write", action="store_true")
    args = ap.parse_args()
    if not shutil.which("wrk"):
        subprocess.run(["apt-get", "install", "-y", "wrk"], check=True, stdout=subprocess.DEVNULL)

    cs = cold_start(args.binary)

    p = start(args.binary, ["demo", "--listen", "127.0.0.1:0"])
    url = wait_for_url(p)
    poll_ready(url)
    time.sleep(2)
    rss_idle = rss_kib(p.pid)
    cookie = login_cookie(url, "beheerder@voorbeeld.demo", "koers-demo-2026")
    loads = {
        "/healthz (anchor)": wrk(url, "/healthz", seconds=args.seconds),
        "/toegankelijkheid (anonymous page)": wrk(url, "/toegankelijkheid", seconds=args.seconds),
        "/ (logged-in dashboard)": wrk(url, "/", cookie=cookie, seconds=args.seconds),
        "/organisaties/1 (members, invitations, log)": wrk(url, "/organisaties/1", cookie=cookie, seconds=args.seconds),
    }
    steady = {
        "/healthz (anchor)": wrk(url, "/healthz", seconds=args.seconds, think_ms=100),
        "/toegankelijkheid (anonymous page)": wrk(url, "/toegankelijkheid", seconds=args.seconds, think_ms=100),
        "/ (logged-in dashboard)": wrk(url, "/", cookie=cookie, seconds=args.seconds, think_ms=100),
        "/organisaties/1 (members, invitations, log)": wrk(url, "/organisaties/1", cookie=cookie, seconds=args.seconds, think_ms=100),
    }
    time.sleep(2)
    rss_after = rss_kib(p.pid)
    p.terminate()
    p.wait()

    anchor = loads["/healthz (anchor)"]["p99"]
    lines = []
    lines.append(f"Machine: {os.cpu_count()} cores; binary `{os.path.relpath(args.binary, ROOT)}`; {time.strftime('%Y-%m-%d')}.")
    lines.append("")
    lines.append("| measure | result | target | anchor in the same run | ratio |")
    lines.append("|---|---|---|---|---|")
    lines.append(f"| cold start to ready `/readyz` (restart, migrated SQLite) | {cs['restart']*1000:.0f} ms | < 1 s | `koers --version`: {cs['anchor']*1000:.1f} ms | {cs['restart']/cs['anchor']:.1f}× |")
    lines.append(f"| cold start to ready `/readyz` (first install: create + migrate) | {cs['first install']*1000:.0f} ms | < 1 s | `koers --version`: {cs['anchor']*1000:.1f} ms | {cs['first install']/cs['anchor']:.1f}× |")
    lines.append(f"| idle RSS (demo, after start) | {rss_idle/1024:.1f} MB | < 50 MB | | |")
    lines.append(f"| RSS after the load runs below | {rss_after/1024:.1f} MB | | | |")
    steady_anchor = steady["/healthz (anchor)"]["p99"]
    for name, r in steady.items():
        ratio = "1.0×" if "anchor" in name else f"{r['p99']/steady_anchor:.1f}×"
        target = "" if "anchor" in name else "< 20 ms"
        lines.append(f"| p99, 200 concurrent clients each sending a request every 100 ms, {name} | {r['p99']:.1f} ms (p50 {r['p50']:.1f} ms, {r['rps']:.0f} req/s, non-2xx {r['non2xx']}) | {target} | `/healthz` p99 {steady_anchor:.1f} ms | {ratio} |")
    for name, r in loads.items():
        ratio = "1.0×" if "anchor" in name else f"{r['p99']/anchor:.1f}×"
        lines.append(f"| p99, 200 connections flat out (closed loop, throughput-bound), {name} | {r['p99']:.1f} ms (p50 {r['p50']:.1f} ms, {r['rps']:.0f} req/s, non-2xx {r['non2xx']}) | | `/healthz` p99 {anchor:.1f} ms | {ratio} |")
    body = "\n".join(lines)
    print(body)
    if args.write:
        path = os.path.join(ROOT, "docs/BENCHMARKS.md")
        text = open(path).read() if os.path.exists(path) else "# Benchmarks\n"
        section = ("## Platform (issue 2)\n\n"
                   "Reproduce: `cargo build --release -p koers && python3 benches/platform.py --write` "
                   "(installs Debian's `wrk` if missing; wrk runs with 2 threads and 200 connections "
                   f"for {args.seconds} s per page, on the same 2 cores as the server). The steady rows give each "
                   "connection a 100 ms pause between requests (a wrk `delay()` script), i.e. 200 clients at "
                   "about 2,000 requests/s offered; the flat-out rows show where the server saturates, where "
                   "latency is concurrency ÷ throughput.\n\n" + body + "\n")
        pattern = re.compile(r"## Platform \(issue 2\)\n.*?(?=\n## |\Z)", re.S)
        if pattern.search(text):
            text = pattern.sub(section.rstrip("\n") + "\n", text)
        else:
            text = text.rstrip("\n") + "\n\n" + section
        open(path, "w").write(text)


if __name__ == "__main__":
    sys.exit(main())
