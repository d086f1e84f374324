#!/usr/bin/env python3
"""Benchmarks, reported as ratios against a baseline measured in the same run.

Shared, noisy machines: every figure is a median of several runs, and every
claim is a ratio (ours / baseline), never an absolute threshold.

    python benchmarks/run.py                 # everything
    python benchmarks/run.py --only startup  # one part: build, startup, queries, web
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
KG = str(Path(PY).parent / "kg")


def median_time(fn: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def run(cmd: list[str], env: dict[str, str] | None = None) -> None:
    subprocess.run(cmd, check=True, capture_output=True, env=env)


def bench_build(dist: Path, runs: int) -> dict[str, float]:
    t = median_time(lambda: run([KG, "build", "--out", str(dist)]), runs)
    print(f"build (packaged report): median {t:.2f} s over {runs} runs")
    return {"build_s": t}


def bench_startup(dist: Path, runs: int) -> dict[str, float]:
    # kg's bytecode compiled first, as ``pip install`` does for click: where PYTHONDONTWRITEBYTECODE
    # is set (this machine sets it), every run would otherwise compile kg's modules from source
    # while click loads its own .pyc files (define 1.80× → 1.45× ``import click`` at one report).
    import compileall

    compileall.compile_dir(str(ROOT / "kg"), quiet=1)
    env = dict(os.environ, KG_DIST=str(dist))
    base_pass = median_time(lambda: run([PY, "-c", "pass"]), runs)
    base_click = median_time(lambda: run([PY, "-c", "import click"]), runs)
    out = {"python_pass_s": base_pass, "import_click_s": base_click}
    print(f"baseline: python -c pass {base_pass * 1000:.0f} ms, python -c 'import click' {base_click * 1000:.0f} ms")
    for name, args in [("define", ["define", "三会一代理", "--json"]), ("search", ["search", "shydl", "--json"])]:
        t = median_time(lambda args=args: run([KG, *args], env), runs)
        out[f"{name}_s"] = t
        out[f"{name}_vs_click"] = t / base_click
        print(f"kg {name}: {t * 1000:.0f} ms = {t / base_click:.2f}x 'import click', {t / base_pass:.2f}x 'pass'")
    return out


def _time_in_child(dist: Path, name: str, runs: int, cap: float) -> float:
    """Median seconds of ``runs`` runs of curated query ``name`` in a fresh process on ``dist``'s
    store (opened once, not timed); infinity when the runs take longer than ``runs × cap``."""
    try:
        done = subprocess.run(
            [PY, __file__, "--time-query", str(dist), name, str(runs)],
            capture_output=True,
            text=True,
            timeout=cap * runs + 60,  # + opening the store
            check=True,
        )
    except subprocess.TimeoutExpired:
        return float("inf")
    return float(done.stdout.split()[-1])


def _time_query(dist: Path, name: str, runs: int) -> None:
    """The child of ``_time_in_child``: print the median seconds of ``runs`` runs."""
    sys.path.insert(0, str(ROOT))
    from kg.queries import library
    from kg.store import open_store, run_query

    store = open_store(dist)
    text = library()[name].bind({})
    print(median_time(lambda: run_query(store, text), runs))


def bench_queries(dist: Path, runs: int, with_rdflib: bool = True, cap: float = 15.0) -> dict[str, float]:
    """Each curated query on the embedded Oxigraph store vs rdflib's in-memory store, same data, same process.

    Without rdflib (corpora), each query runs in its own process and gives up after ``cap`` seconds a run.
    """
    import pyoxigraph as ox
    from rdflib import Dataset

    sys.path.insert(0, str(ROOT))
    from kg.queries import library
    from kg.store import open_store, run_query

    start = time.perf_counter()
    store = open_store(dist)
    run_query(store, "SELECT * WHERE { ?s ?p ?o } LIMIT 1")
    first_answer = time.perf_counter() - start
    print(f"artifacts on disk → first answer (Oxigraph store): {first_answer * 1000:.0f} ms")

    if not with_rdflib:
        # Large corpora: rdflib's engine takes minutes on some queries, so only Oxigraph is timed,
        # each query in a fresh process with a time cap so that one slow query cannot stall the run.
        times = {name: _time_in_child(dist, name, runs, cap) for name in library()}
        finished = {k: v for k, v in times.items() if v != float("inf")}
        med = statistics.median(times.values())
        print(
            f"query suite on Oxigraph: median {med * 1000:.1f} ms; over 200 ms: "
            + (
                ", ".join(
                    f"{k} {v * 1000:.0f} ms" for k, v in sorted(finished.items(), key=lambda kv: -kv[1]) if v > 0.2
                )
                or "none"
            )
            + "; "
            + (
                f"did not finish {runs} runs in {cap * runs:.0f} s: {', '.join(sorted(set(times) - set(finished)))}"
                if len(finished) < len(times)
                else "every query finished"
            )
        )
        return {
            "first_answer_s": first_answer,
            "query_median_s": med,
            "queries_over_200ms": sum(v > 0.2 for v in times.values()),
            "queries_unfinished": len(times) - len(finished),
        }
    start = time.perf_counter()
    ds = Dataset(default_union=True)
    ds.parse(dist / "dataset.nq", format="nquads")
    rdflib_load = time.perf_counter() - start
    print(f"rdflib: parse dataset.nq into memory: {rdflib_load * 1000:.0f} ms")
    ratios = {}
    for name, q in library().items():
        text = q.bind({})
        t_ox = median_time(lambda text=text: run_query(store, text), runs)
        t_rd = median_time(lambda text=text: list(ds.query(text)), runs)
        ratios[name] = t_rd / t_ox
        print(f"  {name:<28} oxigraph {t_ox * 1000:8.2f} ms   rdflib {t_rd * 1000:9.2f} ms   {t_rd / t_ox:7.1f}x")
    med = statistics.median(ratios.values())
    print(f"query suite: median speed-up of Oxigraph over rdflib {med:.1f}x ({len(ratios)} queries)")
    del ox
    return {"first_answer_s": first_answer, "rdflib_load_s": rdflib_load, "query_speedup_median": med}


def _wrk(url: str, seconds: int, headers: list[str] | None = None) -> tuple[float, float]:
    """(requests/s, p99 latency in ms) from wrk with 50 connections on loopback."""
    import re
    import shutil

    if shutil.which("wrk") is None:
        raise SystemExit("wrk is missing (apt-get install wrk)")
    cmd = ["wrk", "-t2", "-c50", f"-d{seconds}s", "--latency", url]
    for h in headers or []:
        cmd += ["-H", h]
    out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    m = re.search(r"99%\s+([\d.]+)(us|ms|s)\b", out)
    scale = {"us": 0.001, "ms": 1.0, "s": 1000.0}
    p99 = float(m.group(1)) * scale[m.group(2)] if m else float("nan")
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    if errors:
        print(f"    ({errors.group(1)} non-2xx responses)")
    return rps, p99


def bench_web(dist: Path, seconds: int) -> dict[str, float]:
    """Term lookup and a curated SPARQL query under 50 concurrent clients, beside the Oxigraph server."""
    import socket
    import urllib.parse
    import urllib.request

    sys.path.insert(0, str(ROOT))
    from kg.queries import library

    def port() -> int:
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            return int(s.getsockname()[1])

    def wait(url: str) -> None:
        for _ in range(300):
            try:
                urllib.request.urlopen(url, timeout=1).close()
                return
            except OSError:
                time.sleep(0.1)
        raise SystemExit(f"{url} did not come up")

    def settle() -> None:
        """Wait until both kg servers have every worker back (wrk's last, cut-off requests cost the
        uncached server its busy workers, restarted at once) so that no restart runs during the next
        measurement, then a second more."""
        for p in (ours, nocache_port):
            for _ in range(100):
                try:
                    with urllib.request.urlopen(f"http://127.0.0.1:{p}/healthz", timeout=1) as r:
                        if json.loads(r.read())["status"] == "ok":
                            break
                except OSError:
                    pass
                time.sleep(0.1)
        time.sleep(1)

    ours, theirs = port(), port()
    # wrk is one client with 50 connections: let it use every worker and queue all its requests.
    one_client = dict(
        os.environ, KG_CLIENT_QUERIES="8", KG_CLIENT_QUEUE="128", KG_MAX_QUEUE="128", KG_CLIENT_CONNECTIONS="64"
    )
    kg = subprocess.Popen(
        [KG, "serve", "--port", str(ours), "--dist", str(dist), "--no-build"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=one_client,
    )
    nocache_port = port()
    kg_nocache = subprocess.Popen(
        [KG, "serve", "--port", str(nocache_port), "--dist", str(dist), "--no-build"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=dict(one_client, KG_QUERY_CACHE="0"),
    )
    oxi_bin = str(Path(PY).parent / "oxigraph")
    oxi = subprocess.Popen(
        [
            oxi_bin,
            "serve-read-only",
            "--location",
            str(dist / "oxigraph"),
            "--bind",
            f"127.0.0.1:{theirs}",
        ],  # no --union-default-graph: the store's default graph is the merge of its graphs
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    # The Oxigraph server again with the data in memory, as `kg serve`'s workers hold a small store
    # (KG_QUERY_STORE=auto): the like-for-like figure beside the target's (the store on disk).
    theirs_memory = port()
    oxi_memory = subprocess.Popen(
        [oxi_bin, "serve", "--bind", f"127.0.0.1:{theirs_memory}"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    query = library()["dimensions"].bind({})
    encoded = urllib.parse.urlencode({"query": query})
    accept = ["Accept: application/sparql-results+json"]
    try:
        wait(f"http://127.0.0.1:{ours}/healthz")
        wait(f"http://127.0.0.1:{nocache_port}/healthz")
        wait(f"http://127.0.0.1:{theirs}/query?{encoded}")
        wait(f"http://127.0.0.1:{theirs_memory}/query?{encoded}")
        in_memory = _load_oxigraph_server(dist, theirs_memory)
        out: dict[str, float] = {}
        for name, url, hdr in [
            ("kg_term_lookup", f"http://127.0.0.1:{ours}/api/terms/san-hui-yi-dai-li", None),
            ("kg_sparql", f"http://127.0.0.1:{ours}/sparql?{encoded}", accept),
            ("kg_sparql_nocache", f"http://127.0.0.1:{nocache_port}/sparql?{encoded}", accept),
            ("oxigraph_sparql", f"http://127.0.0.1:{theirs}/query?{encoded}", accept),
            *(
                [("oxigraph_memory_sparql", f"http://127.0.0.1:{theirs_memory}/query?{encoded}", accept)]
                if in_memory
                else []
            ),
        ]:
            rps, p99 = _wrk(url, seconds, hdr)
            out[f"{name}_rps"], out[f"{name}_p99_ms"] = rps, p99
            print(f"{name:<24} {rps:9.0f} req/s   p99 {p99:7.1f} ms   (50 clients, {seconds} s)")
            settle()
        ratio = out["kg_sparql_rps"] / out["oxigraph_sparql_rps"]
        out["sparql_vs_oxigraph"] = ratio
        print(
            f"SPARQL throughput: kg serve / Oxigraph server = {ratio:.2f} (answer cache on), "
            f"{out['kg_sparql_nocache_rps'] / out['oxigraph_sparql_rps']:.2f} (cache off)"
        )
        out["sparql_nocache_vs_oxigraph"] = out["kg_sparql_nocache_rps"] / out["oxigraph_sparql_rps"]
        if in_memory:
            out["sparql_nocache_vs_oxigraph_memory"] = out["kg_sparql_nocache_rps"] / out["oxigraph_memory_sparql_rps"]
            print(
                f"  with the Oxigraph server's data in memory too ({in_memory:,} quads): "
                f"{out['sparql_nocache_vs_oxigraph_memory']:.2f} (cache off)"
            )
        return out
    finally:
        for proc in (kg, kg_nocache, oxi, oxi_memory):
            proc.terminate()
            proc.wait(10)


def _load_oxigraph_server(dist: Path, port: int) -> int:
    """Load the store's quads into an in-memory Oxigraph server; their number (0: the store is
    larger than ``kg serve`` copies into memory by default, and nothing is loaded)."""
    import urllib.request

    import pyoxigraph as ox

    from kg.web.config import WebConfig, store_quads

    graphs = json.loads((dist / "build-report.json").read_text(encoding="utf-8")).get("graphs", {})
    if not WebConfig(query_store="auto").store_in_memory(store_quads(graphs)):  # as kg serve decides
        return 0
    store = ox.Store.read_only(str(dist / "oxigraph"))
    data = store.dump(format=ox.RdfFormat.N_QUADS)  # the default graph's quads included
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/store", data=data, method="POST", headers={"Content-Type": "application/n-quads"}
    )
    urllib.request.urlopen(request, timeout=60).close()
    return len(store)


def synthetic_graph(n: int = 2000, seed: int = 11) -> object:
    """A random graph shaped like the projection (terms, items, dimensions), for render timing."""
    import random

    import networkx as nx

    rng = random.Random(seed)
    g = nx.Graph()
    colours = ["#C62828", "#D86400", "#9A7400", "#2E7D32", "#00838F", "#1565C0", "#6A1B9A"]
    for i in range(n):
        kind = "dimension" if i < 7 else ("initiative" if i % 5 == 0 else "term")
        g.add_node(
            f"n{i}",
            iri=f"urn:n{i}",
            kind=kind,
            zh=f"节点{i}",
            en=f"node {i}",
            colour=colours[i % 7],
            definition="",
            pinyin=f"jie dian {i}",
        )
    for i in range(7, n):
        for _ in range(2):
            j = rng.randrange(0, n)
            if j != i:
                g.add_edge(f"n{i}", f"n{j}", relation="mentions", src=f"n{i}")
    return g


def bench_views(dist: Path, runs: int) -> dict[str, float]:
    """Build time per view, and time to first render in headless Chromium (overview and 2,000 nodes)."""
    sys.path.insert(0, str(ROOT))
    from kg.glossary import Glossary
    from kg.views import View, make_view, render
    from kg.views.html import render_html

    glossary = Glossary.load(dist)
    out: dict[str, float] = {}
    views = {
        "overview": [],
        "dimension": ["blue"],
        "term": ["三会一代理"],
        "section": ["守底线"],
        "path": ["三会一代理", "码头门神"],
    }
    for kind, args in views.items():
        for fmt in ("html", "png"):
            t = median_time(
                lambda kind=kind, args=args, fmt=fmt: render(make_view(glossary, kind, args), glossary, fmt), runs
            )
            out[f"view_{kind}_{fmt}_s"] = t
            print(f"view {kind:<10} {fmt:<5} build {t * 1000:7.0f} ms")
    with tempfile.TemporaryDirectory() as tmp:
        files = {"overview": Path(tmp) / "overview.html", "synthetic-2000": Path(tmp) / "synthetic.html"}
        files["overview"].write_bytes(render(make_view(glossary, "overview", []), glossary, "html"))
        big = synthetic_graph()
        started = time.perf_counter()
        files["synthetic-2000"].write_text(render_html(big, glossary.data["dimensions"], "synthetic"), encoding="utf-8")
        print(f"view synthetic-2000 html build {(time.perf_counter() - started) * 1000:7.0f} ms")
        del View
        from playwright.sync_api import sync_playwright

        with sync_playwright() as p:
            browser = p.chromium.launch(
                executable_path="/usr/bin/chromium",
                args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
            )
            for name, path in files.items():
                times = []
                for _ in range(max(3, runs // 3)):
                    page = browser.new_page()
                    page.goto(path.as_uri())
                    page.wait_for_function("window.kgRendered === true", timeout=60000)
                    times.append(page.evaluate("window.kgRenderedAt") / 1000)
                    page.close()
                t = statistics.median(times)
                out[f"first_render_{name}_s"] = t
                print(
                    f"first render in headless Chromium, {name:<15}: {t:.2f} s (median of {len(times)}), "
                    f"{path.stat().st_size / 1024:.0f} KB"
                )
            browser.close()
    return out


def _tree_rss_kb(pid: int) -> int:
    """The memory of a process and all its descendants now, in kB: the sum of their PSS.

    Proportional set size, not RSS: forked workers share the parent's pages until they
    write to them, and summing RSS would count each shared page once per process.
    """
    total, todo = 0, [pid]
    while todo:
        p = todo.pop()
        try:
            for line in Path(f"/proc/{p}/smaps_rollup").read_text().splitlines():
                if line.startswith("Pss:"):
                    total += int(line.split()[1])
                    break
            for task in Path(f"/proc/{p}/task").iterdir():
                todo += [int(c) for c in (task / "children").read_text().split()]
        except (OSError, ValueError):
            continue  # gone meanwhile
    return total


def _peak_rss_mb(cmd: list[str]) -> tuple[float, float]:
    """Run ``cmd``; its wall time in seconds and its peak resident memory in MB.

    The peak of the whole process tree's PSS, sampled four times a second (a build's
    workers run beside it), or GNU time's peak of the largest single process if higher.
    """
    import re as _re
    import threading

    started = time.perf_counter()
    proc = subprocess.Popen(["/usr/bin/time", "-v", *cmd], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    peak = [0]

    def sample() -> None:
        while proc.poll() is None:
            peak[0] = max(peak[0], _tree_rss_kb(proc.pid))
            time.sleep(0.25)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _out, err = proc.communicate()
    sampler.join()
    wall = time.perf_counter() - started
    if proc.returncode:  # say why (a 1,000-report rebuild once failed on a full disk), not the whole command line
        tail = "\n".join(err.strip().splitlines()[-25:])
        raise SystemExit(f"{' '.join(cmd[:3])} … exited {proc.returncode} after {wall:.0f} s:\n{tail}")
    m = _re.search(r"Maximum resident set size \(kbytes\): (\d+)", err)
    return wall, max(peak[0], int(m.group(1)) if m else 0) / 1024 or float("nan")


def _serve_ready_s(dist: Path) -> float:
    """Seconds from starting ``kg serve`` on ``dist`` to its first /healthz answer."""
    import socket
    import urllib.request

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = int(sock.getsockname()[1])
    started = time.perf_counter()
    proc = subprocess.Popen(
        [KG, "serve", "--port", str(port), "--dist", str(dist), "--no-build"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        while True:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1).close()
                return time.perf_counter() - started
            except OSError:
                if proc.poll() is not None or time.perf_counter() - started > 300:
                    return float("nan")
                time.sleep(0.05)
    finally:
        proc.terminate()
        proc.wait()


def bench_push(dist: Path) -> dict[str, float]:
    """``kg push`` of a build to a private Virtuoso on loopback: the time, then every curated query on both.

    Each query runs once on each engine (``kg query`` and ``kg query --endpoint``),
    and the answers are compared as the Virtuoso tests compare them.
    """
    sys.path.insert(0, str(ROOT))
    from kg.queries import library
    from tests.parity import same_answers
    from tests.virtuoso_server import BINARY, Virtuoso

    if BINARY is None:
        print("kg push to Virtuoso: skipped (no virtuoso-t: apt-get install virtuoso-opensource)")
        return {}
    out: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as tmp:
        # 2.7 GB of buffers, no row cap, and time for a corpus-wide query. No refusal on the cost
        # estimate: at 1,000 reports Virtuoso estimated glossary-table at 1.5 million seconds (its
        # default graph repeats each term's labels once per report) and refused it; run, it
        # answers the same 227 rows as the embedded engine in a few seconds.
        server = Virtuoso(Path(tmp), buffers=340_000, max_rows=10_000_000, max_time=1800, max_cost=0)
        server.start(timeout=120)
        try:
            auth = ["--user", "dba", "--password", "dba", "--auth", "digest"]
            push_s, _ = _peak_rss_mb([KG, "push", "--dist", str(dist), "--graph-store", server.graph_store, *auth])
            out["push_s"] = push_s
            differ, failed = [], []
            local_s = remote_s = 0.0
            for name, q in library().items():
                started = time.perf_counter()
                try:
                    local = subprocess.run(
                        [KG, "query", name, "--format", "json", "--dist", str(dist)], capture_output=True, timeout=900
                    )
                except subprocess.TimeoutExpired:
                    failed.append(f"{name} (embedded: over 900 s)")
                    continue
                local_s += time.perf_counter() - started
                started = time.perf_counter()
                remote = subprocess.run(
                    [KG, "query", name, "--format", "json", "--endpoint", server.sparql, "--timeout", "1800"],
                    capture_output=True,
                )
                remote_s += time.perf_counter() - started
                if local.returncode or remote.returncode:
                    why = (remote.stderr or local.stderr).decode("utf-8", "replace").strip().splitlines()
                    failed.append(f"{name} ({why[-1][:120] if why else 'no message'})")
                else:
                    ours, theirs = json.loads(local.stdout), json.loads(remote.stdout)
                    if not same_answers(q.text, ours, theirs):  # with both row counts, to start from
                        rows = [len(a["results"]["bindings"]) if "results" in a else "?" for a in (ours, theirs)]
                        differ.append(f"{name} ({rows[0]} rows here, {rows[1]} there)")
            n = len(library())
            same = n - len(differ) - len(failed)
            out |= {"push_queries_same": same, "push_local_s": local_s, "push_remote_s": remote_s}
            print(
                f"kg push to Virtuoso: {push_s:.1f} s; curated queries: {same} of {n} "
                f"answer the same (all queries: embedded {local_s:.1f} s, Virtuoso {remote_s:.1f} s)"
                + (f"; different: {', '.join(differ)}" if differ else "")
                + (f"; failed: {', '.join(failed)}" if failed else "")
            )
        finally:
            server.stop()
    return out


def bench_corpus(sizes: list[int], runs: int, seconds: int, keep: Path | None = None) -> dict[str, float]:
    """Build (time, peak memory, one report changed), cold start, serve, the query suite, SPARQL
    throughput against the Oxigraph server and a push to Virtuoso, on synthetic corpora.

    ``keep``: build each corpus in ``keep/N`` and leave it there, to time more queries later.
    """
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from synthetic import encode, synthetic_report, write_corpus

    out: dict[str, float] = {}
    for n in sizes:
        place = contextlib.nullcontext(str(keep / str(n))) if keep else tempfile.TemporaryDirectory()
        with place as tmp:
            sources = write_corpus(n, Path(tmp) / "src")
            dist = Path(tmp) / "dist"
            build_s, rss = _peak_rss_mb([KG, "build", *map(str, sources), "--out", str(dist)])
            # One report changed (another synthetic text in its place): the incremental rebuild.
            sources[-1].write_bytes(encode(n + 7, synthetic_report(n + 7)))
            again_s, again_rss = _peak_rss_mb([KG, "build", *map(str, sources), "--out", str(dist)])
            out |= {f"corpus_{n}_build_s": build_s, f"corpus_{n}_build_rss_mb": rss, f"corpus_{n}_rebuild_s": again_s}
            out[f"corpus_{n}_rebuild_rss_mb"] = again_rss
            # The dataset files: written by default for at most 100 reports (kg.pipeline.DATASET_FILES_MAX);
            # for a larger corpus, what writing them costs on top, once the build is up to date.
            written = (dist / "dataset.nq").is_file()
            files_s = float("nan")
            if not written:
                files_s, _rss = _peak_rss_mb([KG, "build", *map(str, sources), "--out", str(dist), "--dataset-files"])
                out[f"corpus_{n}_dataset_files_s"] = files_s
            print(
                f"corpus of {n:>4} reports: build {build_s:7.1f} s ({build_s / n:.2f} s per report), "
                f"peak RSS {rss:.0f} MB, one report changed {again_s:.1f} s (peak RSS {again_rss:.0f} MB), "
                f"index {(dist / 'index.json').stat().st_size / 1e6:.1f} MB, dataset files "
                + ("written by the build" if written else f"not written by default, then written in {files_s:.1f} s")
            )
            out |= {f"corpus_{n}_{k}": v for k, v in bench_startup(dist, runs).items()}
            ready = _serve_ready_s(dist)
            out[f"corpus_{n}_serve_ready_s"] = ready
            print(f"kg serve ready (/healthz answers) after {ready:.2f} s")
            queries = bench_queries(dist, max(3, runs // 3), with_rdflib=False)
            out |= {f"corpus_{n}_{k}": v for k, v in queries.items()}
            out |= {f"corpus_{n}_{k}": v for k, v in bench_web(dist, seconds).items()}
            out |= {f"corpus_{n}_{k}": v for k, v in bench_push(dist).items()}
    return out


def bench_safety(dist: Path, seconds: int) -> dict[str, float]:
    """/healthz latency while 4 clients post parse-heavy queries and 4 run 10-s queries; RSS after memory attacks."""
    import http.client
    import socket
    import threading

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = int(sock.getsockname()[1])
    proc = subprocess.Popen(
        [KG, "serve", "--port", str(port), "--dist", str(dist), "--no-build"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=dict(os.environ, KG_QUERY_CACHE="0"),
    )
    heavy = "ASK { FILTER(" + "+".join(["1"] * 32_700) + " > 0) } # from"
    slow = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"

    def request(method: str, path: str, body: bytes | None = None, source: str = "127.0.0.1") -> int:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60, source_address=(source, 0))
        try:
            conn.request(method, path, body=body, headers={"Content-Type": "application/sparql-query"})
            resp = conn.getresponse()
            resp.read()
            return resp.status
        except OSError:
            return 0
        finally:
            conn.close()

    for _ in range(300):
        if request("GET", "/healthz") == 200:
            break
        time.sleep(0.1)
    stop = time.monotonic() + seconds

    def attack(query: str, source: str) -> None:
        while time.monotonic() < stop:
            request("POST", "/sparql", query.encode(), source)

    threads = [threading.Thread(target=attack, args=(heavy, f"127.0.1.{i}")) for i in range(4)]
    threads += [threading.Thread(target=attack, args=(slow, f"127.0.2.{i}")) for i in range(4)]
    for t in threads:
        t.start()
    latencies = []
    while time.monotonic() < stop:
        started = time.perf_counter()
        request("GET", "/healthz")
        latencies.append((time.perf_counter() - started) * 1000)
        time.sleep(0.05)
    for t in threads:
        t.join(60)
    # Memory attacks: a 500 MB chunked body, then a query doubling a string 20 times.
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        conn.request(
            "POST",
            "/sparql",
            body=iter([b"a" * (1 << 20)] * 500),
            encode_chunked=True,
            headers={"Content-Type": "application/sparql-query"},
        )
        conn.getresponse().read()
    except OSError:
        pass
    conn.close()
    binds = " ".join(f"BIND(CONCAT(?v{i}, ?v{i}) AS ?v{i + 1})" for i in range(20))
    request("POST", "/sparql", f'SELECT ?v20 WHERE {{ BIND("0123456789abcdef" AS ?v0) {binds} }}'.encode())
    with open(f"/proc/{proc.pid}/status") as fh:
        rss = next(int(line.split()[1]) / 1024 for line in fh if line.startswith("VmRSS:"))
    proc.terminate()
    proc.wait(10)
    latencies.sort()
    out = {
        "healthz_under_attack_p50_ms": statistics.median(latencies),
        "healthz_under_attack_p99_ms": latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))],
        "healthz_under_attack_max_ms": latencies[-1],
        "server_rss_after_memory_attacks_mb": rss,
    }
    print(
        f"/healthz under attack ({len(latencies)} samples, {seconds} s): "
        f"p50 {out['healthz_under_attack_p50_ms']:.1f} ms, "
        f"p99 {out['healthz_under_attack_p99_ms']:.1f} ms, max {out['healthz_under_attack_max_ms']:.1f} ms; "
        f"server RSS after memory attacks {rss:.0f} MB"
    )
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parts_all = ["build", "startup", "queries", "web", "safety", "views", "corpus"]
    parser.add_argument("--only", choices=parts_all, action="append")
    parser.add_argument(
        "--reports",
        type=int,
        nargs="+",
        default=[1, 10],
        help="synthetic corpus sizes for --only corpus (e.g. 1 10 100)",
    )
    parser.add_argument("--seconds", type=int, default=20, help="duration of each web load test")
    parser.add_argument("--runs", type=int, default=15, help="runs per measurement (build: a third of it)")
    parser.add_argument("--keep", type=Path, help="--only corpus: build each corpus in KEEP/N and keep it")
    parser.add_argument("--time-query", nargs=3, metavar=("DIST", "NAME", "RUNS"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.time_query:
        _time_query(Path(args.time_query[0]), args.time_query[1], int(args.time_query[2]))
        return
    parts = args.only or ["build", "startup", "queries", "web", "safety", "views"]
    results: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as tmp:
        dist = Path(tmp) / "dist"
        builds = max(1, args.runs // 5)
        results |= bench_build(dist, builds) if "build" in parts else bench_build(dist, 1)
        if "startup" in parts:
            results |= bench_startup(dist, args.runs)
        if "queries" in parts:
            results |= bench_queries(dist, max(3, args.runs // 3))
        if "web" in parts:
            results |= bench_web(dist, args.seconds)
        if "safety" in parts:
            results |= bench_safety(dist, args.seconds)
        if "views" in parts:
            results |= bench_views(dist, max(3, args.runs // 3))
        if "corpus" in parts and args.only:
            results |= bench_corpus(args.reports, args.runs, args.seconds, args.keep)
    print(json.dumps(results, indent=1))


if __name__ == "__main__":
    main()
