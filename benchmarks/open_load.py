"""An open-loop load for benchmarks/pages.py: requests arriving at a steady rate whatever the answers'
speed, as about 100 people working at once would send them, and the percentiles of their times."""

import itertools
import random
import statistics
import threading
import time
from concurrent.futures import ThreadPoolExecutor

SEED = 2026


def load_mix(qa, auditors, ids, submitted_path):
    """What about 100 people working at once ask for, weighted: mostly their audits and autosaves."""
    rng = random.Random(SEED)  # noqa: S311 - a repeatable mix, not secrets
    list_pages = ["/audits", f"/audits?auditor={ids['busiest']}", "/admin/event-log", "/cases"]
    newer_pages = ["/notices", "/immediate-responses", f"/moderation-sample?month={ids['sample_month']}"]
    return [
        (25, "audit page", lambda port: rng.choice(auditors).open_audit(port)),
        (25, "autosave", lambda port: rng.choice(auditors).autosave(port)[0]),
        (10, "my audits", lambda port: rng.choice(auditors).get("/my-audits", port)),
        (10, "home", lambda port: rng.choice(auditors).get("/", port)),
        (15, "lists", lambda port: qa.get(rng.choice(list_pages), port)),
        (5, "notices, Immediate Responses, moderation", lambda port: qa.get(rng.choice(newer_pages), port)),
        (5, "case page", lambda port: qa.get(f"/cases/{ids['case']}", port)),
        (
            5,
            "event log for an audit",
            lambda port: qa.get(f"/admin/event-log?record_type=Audit&record_id={ids['submitted']}", port),
        ),
        (5, "audit record .docx", lambda port: qa.get(f"{submitted_path}/record.docx", port)),
    ]


def run_load(mix, ports, rate, seconds):
    """An open-loop load: requests arrive at `rate` a second (a Poisson process) whatever the answers'
    speed, each sent to the next of `ports` in turn. Returns server and client times (ms) and errors."""
    rng = random.Random(SEED)  # noqa: S311
    weights = [weight for weight, _, _ in mix]
    server, client, errors = [], [], []
    lock = threading.Lock()
    next_port = itertools.cycle(ports)

    def send(kind, request, port):
        try:
            answer = request(port)
        except OSError as error:
            with lock:
                errors.append(f"{kind}: {error!r}")
            return
        with lock:
            if answer.status != 200 or (kind == "autosave" and "Saved at" not in answer.text):
                errors.append(f"{kind}: status {answer.status}")
            server.append(answer.figures.get("wall", 0))
            client.append(answer.seconds * 1000)

    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=200) as pool:
        at = 0.0
        while at < seconds:
            _, kind, request = rng.choices(mix, weights)[0]
            time.sleep(max(0, started + at - time.monotonic()))
            pool.submit(send, kind, request, next(next_port))
            at += rng.expovariate(rate)
    return server, client, errors, time.monotonic() - started


def percentile(values, cut):
    return statistics.quantiles(values, n=100, method="inclusive")[cut - 1] if len(values) > 1 else float("nan")


def cuts(values):
    """The 50th, 95th and 99th percentiles of `values`, as text."""
    return ", ".join(f"p{cut} {percentile(values, cut):.1f}" for cut in (50, 95, 99))
