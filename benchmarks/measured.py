"""The app as README.md serves it, reporting in a response header how much CPU time and wall time
each request took inside the server and how many SQL queries it ran: what benchmarks/pages.py
measures. A benchmark's server only, never one people use."""

import os
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from app import create_app as create_service  # noqa: E402
from models import db  # noqa: E402

HEADER = "X-Benchmark"
counted = threading.local()  # each waitress thread counts its own request's queries


def create_app():
    """The service, measured. With BENCHMARK_STATIC_FOLDER set, Flask's static route serves that
    folder instead, so a page's own bytes can be fetched through it to compare."""
    app = create_service()
    if os.environ.get("BENCHMARK_STATIC_FOLDER"):
        app.static_folder = os.environ["BENCHMARK_STATIC_FOLDER"]
    database = db.obj
    execute_sql = database.execute_sql

    def counting_execute_sql(*args, **kwargs):
        counted.queries += 1
        return execute_sql(*args, **kwargs)

    database.execute_sql = counting_execute_sql
    serve = app.wsgi_app

    def measured(environ, start_response):
        """Flask renders the whole answer before it starts the response, so the figures are complete then."""
        counted.queries = 0
        cpu, wall = time.thread_time(), time.perf_counter()

        def start(status, headers, exc_info=None):
            figures = (
                f"cpu={(time.thread_time() - cpu) * 1000:.3f};"
                f"wall={(time.perf_counter() - wall) * 1000:.3f};queries={counted.queries}"
            )
            return start_response(status, [*headers, (HEADER, figures)], exc_info)

        return serve(environ, start)

    app.wsgi_app = measured
    return app
