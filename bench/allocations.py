"""Heap allocations per request, for bench/run: starts a second server with bench/malloc_count.c
preloaded (compiled here with gcc), warms up, then counts the allocations of N requests to a page."""
import os
import signal
import subprocess
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))


def library(work):
    path = os.path.join(work, "malloc_count.so")
    subprocess.run(["gcc", "-O2", "-shared", "-fPIC", "-o", path, os.path.join(HERE, "malloc_count.c"), "-ldl"], check=True)
    return path


def measure(server_class, url, paths, requests=50):
    """Returns {path: (allocations per request, bytes per request)} measured on a fresh server."""
    work = tempfile.mkdtemp(prefix="greenlight-alloc-")
    counts = os.path.join(work, "counts")
    server = server_class(url, extra_env={"LD_PRELOAD": library(work), "MALLOC_COUNT_FILE": counts})
    results = {}
    try:
        def snapshot():
            os.kill(server.process.pid, signal.SIGUSR1)
            time.sleep(0.3)
            fields = dict(part.split("=") for part in open(counts).read().split())
            return int(fields["allocations"]), int(fields["bytes"])
        for path in paths:
            for _ in range(5):
                server.get(path)
            before = snapshot()
            for _ in range(requests):
                server.get(path)
            after = snapshot()
            results[path] = ((after[0] - before[0]) / requests, (after[1] - before[1]) / requests)
    finally:
        server.stop()
    return results
