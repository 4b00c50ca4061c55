"""Twenty officials at work, and three hostile clients beside them (bench/hostile/run.py).

Officials (`Official`): sign in, then open the dashboard, the task list and their task pages,
posting a progress report now and then, with 0.5-2 s pauses. Their response times are what
the run measures; each is written to HOSTILE_SAMPLES (one JSON line per request) so that
run.py computes the p95 of the officials alone, whatever the hostile clients do.

Hostile clients, one of each, without pauses:
- `Searcher`: an admin who searches the task list, the review queue and the evidence list
  with long searches of many words (refused by the search cap) and with the longest search the
  cap lets through (10 words, 200 characters, which the database runs).
- `Sprayer`: one wrong password tried on username after username, from one address.
- `BodyThrower`: huge bodies: 300 MB to the sign-in page before sign-in, and, signed in, a
  progress report carrying nearly the largest body a signed-in user may send.

Every client has its own address in X-Forwarded-For (the portal runs with
TRUSTED_PROXY_COUNT=1, as behind the documented proxy), so the limits per address see each
client as the proxy would show it. Requests say X-Forwarded-Proto: https and send an https
Origin, as through the TLS proxy; Secure cookies are kept on our side by hand.
"""

import itertools
import json
import os
import random
import re
import threading
import time

from locust import HttpUser, between, constant, events, task

CONFIG = json.loads(os.environ.get("HOSTILE_CONFIG", "{}"))
SAMPLES = os.environ.get("HOSTILE_SAMPLES", "")
TASK_LINK = re.compile(r'href="/tasks/(\d+)/"')
VERSION = re.compile(r'name="version" value="(\d+)"')
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
ORDINARY = "official: "

_lock = threading.Lock()
_officials = itertools.count()
_addresses = itertools.count(1)
_samples: list[str] = []
STARTED = time.time()


@events.request.add_listener
def _record(request_type, name, response_time, response_length, exception, **kwargs):
    if name.startswith(ORDINARY):
        status = getattr(kwargs.get("response"), "status_code", 0)
        _samples.append(json.dumps([name, round(response_time, 2), status, time.time()]))


@events.quitting.add_listener
def _write_samples(environment, **kwargs):
    if SAMPLES:
        with open(SAMPLES, "a") as file:
            file.writelines(line + "\n" for line in _samples)


class Browser(HttpUser):
    """A client behind the TLS proxy, with an address of its own."""

    abstract = True

    def on_start(self):
        with _lock:
            number = next(_addresses)
        self.address = f"10.{number // 250}.{number % 250}.{7 + number % 200}"
        origin = self.host.replace("http://", "https://")
        self.client.headers.update(
            {"X-Forwarded-Proto": "https", "Origin": origin, "X-Forwarded-For": self.address}
        )

    def keep_cookies(self):
        for cookie in self.client.cookies:
            cookie.secure = False

    def get(self, path, name, **kwargs):
        response = self.client.get(path, name=name, headers=self.referer(path), **kwargs)
        self.keep_cookies()
        return response

    def post(self, path, name, **kwargs):
        response = self.client.post(path, name=name, headers=self.referer(path), **kwargs)
        self.keep_cookies()
        return response

    def referer(self, path):
        return {"Referer": self.host.replace("http://", "https://") + path}

    def sign_in(self, username, password, name):
        page = self.get("/accounts/login/", name=f"{name}/accounts/login/")
        token = CSRF.search(page.text)
        form = {"username": username, "password": password, "csrfmiddlewaretoken": token.group(1)}
        return self.post("/accounts/login/", name=f"{name}/accounts/login/ [POST]", data=form)


class Official(Browser):
    fixed_count = 20
    wait_time = between(0.5, 2)

    def on_start(self):
        super().on_start()
        with _lock:
            self.username = CONFIG["officials"][next(_officials) % len(CONFIG["officials"])]
        # Signing in is not measured: it happens once, before the officials' timed work.
        self.sign_in(self.username, CONFIG["password"], "sign-in: ")
        tasks = self.get("/tasks/", name="sign-in: /tasks/")
        self.task_ids = TASK_LINK.findall(tasks.text)

    @task(4)
    def dashboard(self):
        self.get("/", name=f"{ORDINARY}/")

    @task(4)
    def task_list(self):
        self.get("/tasks/?page=1", name=f"{ORDINARY}/tasks/")

    @task(4)
    def task_detail(self):
        if self.task_ids:
            self.get(f"/tasks/{random.choice(self.task_ids)}/", name=f"{ORDINARY}/tasks/[id]/")

    @task(1)
    def report(self):
        if not self.task_ids:
            return
        task_id = random.choice(self.task_ids)
        page = self.get(f"/tasks/{task_id}/", name=f"{ORDINARY}/tasks/[id]/")
        version, token = VERSION.search(page.text), CSRF.search(page.text)
        if not (version and token):
            return
        form = {
            "progress": random.randint(10, 90),
            "status": "in_progress",
            "note": f"Weekly progress from {self.username}",
            "version": version.group(1),
            "csrfmiddlewaretoken": token.group(1),
        }
        self.post(f"/tasks/{task_id}/", name=f"{ORDINARY}/tasks/[id]/ [POST report]", data=form)


WORDS = [
    "industrial", "park", "vehicle", "supply", "chain", "robotics", "service", "hall", "talent",
    "rail", "sewage", "green", "fund", "network", "platform", "school", "health", "export",
]  # fmt: skip
ADMIN_LISTS = [
    "/admin/workplan/task/",
    "/admin/workplan/progressreport/",
    "/admin/workplan/evidence/",
]


class Hostile(Browser):
    """Starts when the officials' measured time starts (HOSTILE_START s in): all of its work,
    the sign-in sprayer's costly first failures included, falls inside what is measured."""

    abstract = True
    fixed_count = 1
    wait_time = constant(0)

    def on_start(self):
        super().on_start()
        time.sleep(max(0.0, CONFIG.get("hostile_start", 0) - (time.time() - STARTED)))


class Searcher(Hostile):
    def on_start(self):
        super().on_start()
        self.sign_in(CONFIG["admin"], CONFIG["password"], "hostile search: ")
        self.round = 0

    @task
    def search(self):
        self.round += 1
        path = ADMIN_LISTS[self.round % len(ADMIN_LISTS)]
        if self.round % 2:
            # The attack: 1,000 short words. The cap refuses it unrun.
            words = " ".join(random.choice(WORDS)[:3] for _ in range(1000))
            self.get(path, name="hostile search: 1000 words", params={"q": words})
        else:
            # The longest search the cap allows: 10 words, 200 characters, each word matching
            # nothing, so the database reads every row to find out.
            words = " ".join(f"{random.choice(WORDS)}{random.randint(0, 10**9)}" for _ in range(10))
            words = words.ljust(200, "x")[:200]
            self.get(path, name="hostile search: 10 words in 200 characters", params={"q": words})


class Sprayer(Hostile):
    def on_start(self):
        super().on_start()
        page = self.get("/accounts/login/", name="hostile spray: /accounts/login/")
        self.token = CSRF.search(page.text).group(1)
        self.usernames = itertools.cycle(CONFIG["spray_usernames"])

    @task
    def spray(self):
        form = {
            "username": next(self.usernames),
            "password": "Spring2024!",
            "csrfmiddlewaretoken": self.token,
        }
        self.post("/accounts/login/", name="hostile spray: POST /accounts/login/", data=form)


class LazyBody:
    """A body of `size` zero bytes, produced as it is sent, with a known length."""

    CHUNK = b"\0" * (1 << 20)

    def __init__(self, head: bytes, size: int, tail: bytes):
        self.head, self.size, self.tail = head, size, tail

    def __len__(self):
        return len(self.head) + self.size + len(self.tail)

    def __iter__(self):
        yield self.head
        left = self.size
        while left > 0:
            yield self.CHUNK[: min(left, len(self.CHUNK))]
            left -= len(self.CHUNK)
        yield self.tail


def multipart(fields: dict, file_size: int) -> tuple[LazyBody, str]:
    boundary = f"----hostile{random.randint(0, 10**12)}"
    head = "".join(
        f'--{boundary}\r\nContent-Disposition: form-data; name="{key}"\r\n\r\n{value}\r\n'
        for key, value in fields.items()
    )
    head += (
        f'--{boundary}\r\nContent-Disposition: form-data; name="evidence"; '
        f'filename="scan.pdf"\r\nContent-Type: application/pdf\r\n\r\n'
    )
    body = LazyBody(head.encode(), file_size, f"\r\n--{boundary}--\r\n".encode())
    return body, f"multipart/form-data; boundary={boundary}"


class BodyThrower(Hostile):
    def on_start(self):
        super().on_start()
        page = self.get("/accounts/login/", name="hostile body: /accounts/login/")
        self.anonymous_token = CSRF.search(page.text).group(1)
        # Sent by hand, so the session's cookies do not go with it once signed in.
        self.anonymous_cookie = "; ".join(f"{c.name}={c.value}" for c in self.client.cookies)
        self.sign_in(CONFIG["body_official"], CONFIG["password"], "hostile body: ")
        tasks = self.get("/tasks/", name="hostile body: /tasks/")
        self.task_ids = TASK_LINK.findall(tasks.text)
        self.round = 0

    @task
    def throw(self):
        self.round += 1
        if self.round % 2 or not self.task_ids:
            # Before sign-in: 300 MB to the sign-in page (the attack).
            body, content_type = multipart(
                {"csrfmiddlewaretoken": self.anonymous_token, "username": "x", "password": "y"},
                300 * 2**20,
            )
            name = "hostile body: 300 MB anonymous"
            self.send("/accounts/login/", body, content_type, name, cookie=self.anonymous_cookie)
            return
        # Signed in: a report with an evidence file that fills the body limit but one megabyte.
        task_id = random.choice(self.task_ids)
        page = self.get(f"/tasks/{task_id}/", name="hostile body: task page")
        version, token = VERSION.search(page.text), CSRF.search(page.text)
        if not (version and token):
            return
        fields = {
            "progress": 50,
            "status": "in_progress",
            "note": "x",
            "version": version.group(1),
            "csrfmiddlewaretoken": token.group(1),
        }
        body, content_type = multipart(fields, CONFIG["body_limit"] - 2**20)
        self.send(f"/tasks/{task_id}/", body, content_type, "hostile body: report at the limit")

    def send(self, path, body, content_type, name, cookie=None):
        headers = {**self.referer(path), "Content-Type": content_type}
        if cookie is not None:
            headers["Cookie"] = cookie
        with self.client.post(
            path, data=body, headers=headers, name=name, catch_response=True
        ) as response:
            # Refused unread, the body is cut off: a reset connection is the expected end.
            response.success()
        self.keep_cookies()
