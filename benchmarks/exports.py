"""How the list of audits downloads at Leeds scale (issue 18): a QA officer takes one year's audits and then every
audit (about 24,000 rows) as a CSV file and as an Excel workbook, from the app served by waitress as README.md serves
it. Printed beside the targets: the time to the first byte of each file, as the client sees it, and to its last;
and the server process's memory, read from the kernel (/proc/<pid>/status): its peak (VmHWM) before any download,
after one year's and after every audit's. The peak staying where it was, whatever the rows, is memory staying flat:
rows go out as they are read, never held together.

    python benchmarks/exports.py --data /tmp/caseaudit-bench
"""

import argparse
import http.client
import pathlib
import secrets
import sys
import tempfile
import time

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent.parent))

from browsing import HOST, Browser  # noqa: E402
from page_list import people  # noqa: E402
from pages import dataset, serve, stop  # noqa: E402

from services.audits import months_before  # noqa: E402
from services.dates import uk_today  # noqa: E402

AUDITS = 24_000
FIRST_BYTE_TARGET_MS = 200
FLAT_TARGET_MB = 10  # how far the server's peak memory may rise from one year's download to every audit's


def memory_mb(pid, field):
    """The process's `field` (VmHWM, its peak resident memory, or VmRSS, its resident memory now) in MB."""
    for line in pathlib.Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError(f"No {field} for process {pid}")


def timed_download(browser, path):
    """(ms to the first byte of the body, ms to the last, bytes, lines) of a GET of `path`."""
    connection = http.client.HTTPConnection(HOST, browser.port, timeout=600)
    cookies = "; ".join(f"{name}={value}" for name, value in browser.cookies.items())
    started = time.perf_counter()
    try:
        connection.request("GET", path, headers={"Cookie": cookies})
        response = connection.getresponse()
        if response.status != 200:
            sys.exit(f"GET {path} answered {response.status}")
        first = response.read(1)
        first_byte = time.perf_counter() - started
        rest = response.read()
        finished = time.perf_counter() - started
    finally:
        connection.close()
    body = first + rest
    return first_byte * 1000, finished * 1000, len(body), body.count(b"\n")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=pathlib.Path, help="keep the built dataset in this folder and reuse it")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="caseaudit-exports-") as scratch:
        directory = options.data or pathlib.Path(scratch)
        directory.mkdir(parents=True, exist_ok=True)
        database = dataset(directory, AUDITS, name="exports")
        servers, ports, logs = serve(database, directory, "exports", secret_key=secrets.token_hex(32))
        pid = servers[0][0].pid
        try:
            browser = Browser(ports[0])
            browser.sign_in(people(database)["qa"])
            browser.get("/audits")
            today = uk_today()
            year = f"from_month={months_before(today.replace(day=1), 11):%Y-%m}&to_month={today:%Y-%m}"
            peaks = [("before any download", memory_mb(pid, "VmHWM"))]
            rows = []
            for label, query in (("one year", f"?{year}"), ("every audit", "")):
                for kind in ("csv", "xlsx"):
                    first, last, size, lines = timed_download(browser, f"/audits.{kind}{query}")
                    rows.append((label, kind, first, last, size, lines))
                peaks.append((f"after {label}", memory_mb(pid, "VmHWM")))
        finally:
            report = stop(servers, logs)
        if report:
            print("The server's log holds a traceback:\n" + report)
    print_report(rows, peaks)


def print_report(rows, peaks):
    today = uk_today()
    print(f"\nThe list of audits downloaded at {AUDITS:,} audits, {today.day} {today:%B %Y}")
    print(f"{'rows':12} {'file':5} {'first byte ms':>14} {'last byte ms':>13} {'MB':>6}  verdict")
    missed = 0
    for label, kind, first, last, size, lines in rows:
        ok = kind != "csv" or first <= FIRST_BYTE_TARGET_MS
        missed += not ok
        verdict = ("ok" if ok else "MISSED") if kind == "csv" else "(no target: a workbook is sent once written)"
        count = f"{label} ({lines - 1:,})" if kind == "csv" else label
        print(f"{count:24} {kind:5} {first:14.0f} {last:13.0f} {size / 1e6:6.1f}  {verdict}")
    print(f"CSV target: the first byte within {FIRST_BYTE_TARGET_MS} ms")
    print("\nThe server's peak memory (VmHWM), MB")
    for label, peak in peaks:
        print(f"  {label:28} {peak:7.1f}")
    rise = peaks[-1][1] - peaks[1][1]
    ok = rise <= FLAT_TARGET_MB
    missed += not ok
    verdict = "ok" if ok else "MISSED"
    print(f"  risen from one year's to every audit's: {rise:.1f} MB; target at most {FLAT_TARGET_MB}  {verdict}")
    print()
    print(f"{missed} target(s) missed" if missed else "Every figure is within its target.")
    sys.exit(1 if missed else 0)


if __name__ == "__main__":
    main()
