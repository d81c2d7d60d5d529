"""What the benchmarks need of a browser: a keep-alive connection with cookies that times every
request, the fields a form would post, and a signed-in person whose requests (a file uploaded among them)
return the measured server's figures. Loopback addresses only."""

import http.client
import random
import re
import secrets
import sys
import threading
import time
from collections import defaultdict
from dataclasses import dataclass
from html.parser import HTMLParser
from http.cookies import SimpleCookie
from urllib.parse import urlencode

from measured import HEADER
from scale_data import PASSWORD

HOST = "127.0.0.1"  # loopback only: the benchmarks never send load to another machine
REQUEST_TIMEOUT = 30  # seconds; a request that takes longer counts as an error


class FormFields(HTMLParser):
    """The fields a browser would send from the form with id `form_id` (or every field, when None), in order."""

    def __init__(self, form_id=None):
        super().__init__()
        self.form_id = form_id
        self.inside = form_id is None
        self.fields = []
        self.textarea = None

    def handle_starttag(self, tag, attrs):
        """Note an input's value, or start a textarea's; follow whether this is inside the form."""
        attrs = dict(attrs)
        if tag == "form" and self.form_id is not None:
            self.inside = attrs.get("id") == self.form_id
        if not self.inside or "name" not in attrs:
            return
        kind = attrs.get("type", "text")
        if tag == "input" and kind not in ("submit", "button", "image"):
            if kind not in ("radio", "checkbox") or "checked" in attrs:
                self.fields.append((attrs["name"], attrs.get("value", "on" if kind in ("radio", "checkbox") else "")))
        elif tag == "textarea":
            self.textarea = (attrs["name"], [])

    def handle_data(self, data):
        """Collect a textarea's text."""
        if self.textarea:
            self.textarea[1].append(data)

    def handle_endtag(self, tag):
        """Finish a textarea, or leave the form."""
        if tag == "textarea" and self.textarea:
            # As in a browser: one line break straight after <textarea> is not part of the text.
            text = "".join(self.textarea[1]).replace("\r\n", "\n").removeprefix("\n")
            self.fields.append((self.textarea[0], text))
            self.textarea = None
        elif tag == "form" and self.form_id is not None:
            self.inside = False


def form_fields(html, form_id=None):
    """The (name, value) pairs a browser would post from `html`'s form `form_id`."""
    parser = FormFields(form_id)
    parser.feed(html)
    return parser.fields


def first_line(text):
    """What a person would read first on a page: its <h1>, or else the body's first line."""
    heading = re.search(r"<h1[^>]*>(.*?)</h1>", text, re.DOTALL)
    if heading:
        return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", heading.group(1))).strip()
    return next((line.strip() for line in text.splitlines() if line.strip()), "(empty)")


class Results:
    """Every request's time by kind, and every error, shared by all the simulated auditors."""

    def __init__(self):
        self.lock = threading.Lock()
        self.seconds = defaultdict(list)
        self.errors = []

    def record(self, kind, seconds, error=None):
        """Keep one request's time, and what went wrong with it if anything did."""
        with self.lock:
            self.seconds[kind].append(seconds)
            if error:
                self.errors.append(error)


def expect_status(expected):
    """A check that a response has the status `expected`: returns what is wrong, or None."""
    return lambda status, text: None if status == expected else f"status {status}: {first_line(text)}"


EXPECT_200 = expect_status(200)


class Client:
    """One browser's keep-alive connection to the server, with its session cookie; times every request."""

    def __init__(self, port, results):
        self.port = port
        self.connection = http.client.HTTPConnection(HOST, port, timeout=REQUEST_TIMEOUT)
        self.cookies = {}
        self.results = results
        self.sent = 0

    def fetch(self, method, path, kind, check=EXPECT_200, form=(), headers=None):
        """Send a request and record its time; the answer's text if `check` finds nothing wrong, else None."""
        headers = dict(headers or {})
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        body = urlencode(form) if form else None
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        self.sent += 1
        started = time.perf_counter()
        try:
            self.connection.request(method, path, body, headers)
            response = self.connection.getresponse()
            text = response.read().decode("utf-8")
        except (OSError, http.client.HTTPException) as error:
            self.connection.close()  # the next request opens a new connection
            self.results.record(kind, time.perf_counter() - started, f"{method} {path}: {error!r}")
            return None
        elapsed = time.perf_counter() - started
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                self.cookies[name] = morsel.value
        problem = check(response.status, text)
        self.results.record(kind, elapsed, problem and f"{method} {path}: {problem}")
        return None if problem else text

    def close(self):
        """Close the connection, as a browser does when its window closes."""
        self.connection.close()


LONGEST_TEXT = 1500  # characters typed into one box before the auditor starts it again
SENTENCES = [
    "The child was seen alone at each visit and their wishes are recorded.",
    "The plan names who does what by when, and the family agreed it.",
    "Supervision notes show the risks were reviewed but not the contingency plan.",
    "The chronology stops in March, so recent school concerns are missing.",
]


def save_status(text):
    """The autosave message the auditor would see ("Saved at 14:32", or "Not saved: ...")."""
    status = re.search(r'id="save-status"[^>]*>([^<]*)<', text)
    return status.group(1).strip() if status else f"no save status in the answer: {first_line(text)}"


def new_version(text):
    """The audit's version that an autosave's answer gives, for the next save to be based on."""
    return dict(form_fields(text)).get("version")


def autosave_problem(status, text):
    """What is wrong with an autosave's answer, as the auditor would see it, or None if it saved."""
    if status != 200:
        return f"status {status}: {first_line(text)}"
    message = save_status(text)
    if not message.startswith("Saved at"):
        return message
    return None if new_version(text) else "the answer gives no new version"


def typed_autosave(fields, rng, port, audit_path):
    """The audit form `fields` with a sentence typed into one of its text boxes, and the headers
    htmx sends when it autosaves them: (fields, headers)."""
    boxes = [name for name, _ in fields if name == "about_child" or name.endswith(("-evidence", "-so_what"))]
    box = rng.choice(boxes)
    sentence = rng.choice(SENTENCES)
    fields = [
        (name, (f"{value} {sentence}" if len(value) < LONGEST_TEXT else sentence) if name == box else value)
        for name, value in fields
    ]
    headers = {
        "HX-Request": "true",
        "HX-Current-URL": f"http://{HOST}:{port}{audit_path}",
        "HX-Trigger": "audit-form",
        "HX-Target": "audit-form",
        "X-CSRFToken": dict(fields)["csrf_token"],  # the same token the page's hx-headers carry
    }
    return fields, headers


def with_version(fields, version):
    """The form `fields` based on `version` of the audit, as the page is after an autosave's answer."""
    return [(name, version if name == "version" else value) for name, value in fields]


@dataclass
class Answer:
    status: int
    text: str
    figures: dict  # cpu and wall (ms) and queries, from the measured server's header
    seconds: float  # as the client saw it


class Browser:
    """A signed-in person: their session cookie, and a fresh connection for each request."""

    def __init__(self, port):
        self.port = port
        self.cookies = {}

    def send(self, method, path, form=None, headers=None, port=None):
        headers = dict(headers or {})
        body = urlencode(form) if form is not None else None
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        return self.request(method, path, body, headers, port)

    def upload(self, path, form, name, file_name, content):
        """Post `form` with a file, as a form with enctype="multipart/form-data" sends it: the file's bytes
        `content` as the field `name`."""
        boundary = secrets.token_hex(16)
        parts = [
            f'--{boundary}\r\nContent-Disposition: form-data; name="{field}"\r\n\r\n{value}\r\n'.encode()
            for field, value in form.items()
        ]
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{file_name}"\r\n'
            "Content-Type: application/octet-stream\r\n\r\n".encode()
            + content
            + b"\r\n"
        )
        body = b"".join(parts) + f"--{boundary}--\r\n".encode()
        return self.request("POST", path, body, {"Content-Type": f"multipart/form-data; boundary={boundary}"})

    def request(self, method, path, body, headers, port=None):
        """Send a request with the session cookie on a fresh connection; (Answer, the http.client response)."""
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        connection = http.client.HTTPConnection(HOST, port or self.port, timeout=REQUEST_TIMEOUT)
        started = time.perf_counter()
        try:
            connection.request(method, path, body, headers)
            response = connection.getresponse()
            content = response.read()
        finally:
            connection.close()
        seconds = time.perf_counter() - started
        self.keep_cookies(response)  # the session cookie changes as the session does (its form token)
        figures = dict(part.split("=") for part in (response.headers.get(HEADER) or "").split(";") if part)
        text = content.decode("utf-8", "replace") if "text" in (response.headers.get("Content-Type") or "") else ""
        return Answer(response.status, text, {k: float(v) for k, v in figures.items()}, seconds), response

    def get(self, path, port=None):
        return self.send("GET", path, port=port)[0]

    def sign_in(self, email):
        """Sign in with the form, as a person would."""
        token = dict(form_fields(self.get("/sign-in").text))["csrf_token"]
        answer, _ = self.send("POST", "/sign-in", {"csrf_token": token, "email": email, "password": PASSWORD})
        if answer.status != 303:
            sys.exit(f"{email} could not sign in: status {answer.status}")

    def keep_cookies(self, response):
        """Keep the cookies an answer sets, as a browser does."""
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                self.cookies[name] = morsel.value


class Auditor(Browser):
    """An auditor with an open audit, who autosaves it as htmx does, one save at a time."""

    def __init__(self, port, audit_id, seed):
        super().__init__(port)
        self.audit_path = f"/audits/{audit_id}"
        self.random = random.Random(seed)  # noqa: S311 - typing, not secrets
        self.fields = []
        self.lock = threading.Lock()

    def open_audit(self, port=None):
        with self.lock:  # a page loaded while a save is on its way would be based on the older version
            answer = self.get(self.audit_path, port)
            self.fields = form_fields(answer.text, "audit-form")
            return answer

    def autosave(self, port=None):
        with self.lock:  # the page sends one autosave at a time (hx-sync)
            fields, headers = typed_autosave(self.fields, self.random, self.port, self.audit_path)
            answer, _ = self.send("POST", self.audit_path, fields, headers, port)
            problem = autosave_problem(answer.status, answer.text)
            if problem is None:
                self.fields = with_version(fields, new_version(answer.text))
            return answer, problem
