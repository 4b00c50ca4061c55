"""50 signed-in officials using the portal: dashboard, task list, task page, progress report.

Production settings expect TLS ended at a proxy: every request says X-Forwarded-Proto: https
(so no redirect), sends an https Origin for CSRF, and the Secure cookies are kept on our side
(requests would not send them over plain http to loopback).
"""

import itertools
import random
import re
import threading

from locust import HttpUser, between, task

PASSWORD = "load-test-password-2024"  # noqa: S105 (the bench accounts of bench/load/seed.py)
USERS = 50
_numbers = itertools.cycle(range(1, USERS + 1))
_lock = threading.Lock()
TASK_LINK = re.compile(r'href="/tasks/(\d+)/"')
VERSION = re.compile(r'name="version" value="(\d+)"')
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


class Official(HttpUser):
    wait_time = between(0.5, 2)

    def on_start(self):
        with _lock:
            self.username = f"load{next(_numbers):02d}"
        origin = self.host.replace("http://", "https://")
        self.client.headers.update({"X-Forwarded-Proto": "https", "Origin": origin})
        self.task_ids = []
        page = self._get("/accounts/login/", name="/accounts/login/")
        self._post(
            "/accounts/login/",
            {
                "username": self.username,
                "password": PASSWORD,
                "csrfmiddlewaretoken": CSRF.search(page.text).group(1),
            },
            name="/accounts/login/ [POST]",
        )
        tasks = self._get("/tasks/", name="/tasks/")
        self.task_ids = TASK_LINK.findall(tasks.text)

    def _keep_cookies(self):
        for cookie in self.client.cookies:
            cookie.secure = False

    def _get(self, path, name):
        response = self.client.get(path, name=name, headers={"Referer": self._referer(path)})
        self._keep_cookies()
        return response

    def _post(self, path, data, name):
        response = self.client.post(path, data, name=name, headers={"Referer": self._referer(path)})
        self._keep_cookies()
        return response

    def _referer(self, path):
        return self.host.replace("http://", "https://") + path

    @task(4)
    def dashboard(self):
        self._get("/", name="/")

    @task(4)
    def task_list(self):
        self._get("/tasks/?page=1", name="/tasks/")

    @task(4)
    def task_detail(self):
        if self.task_ids:
            task_id = random.choice(self.task_ids)
            self._get(f"/tasks/{task_id}/", name="/tasks/[id]/")

    @task(1)
    def report(self):
        if not self.task_ids:
            return
        task_id = self.task_ids[int(self.username[-2:]) % len(self.task_ids)]
        page = self._get(f"/tasks/{task_id}/", name="/tasks/[id]/")
        version, token = VERSION.search(page.text), CSRF.search(page.text)
        if not (version and token):
            return
        self._post(
            f"/tasks/{task_id}/",
            {
                "progress": 55,
                "status": "in_progress",
                "note": f"Load test report by {self.username}",
                "version": version.group(1),
                "csrfmiddlewaretoken": token.group(1),
            },
            name="/tasks/[id]/ [POST report]",
        )
