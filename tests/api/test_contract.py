"""The README's API examples, run as they stand against a live server; every answer is checked
against the OpenAPI document.

The README's shell block runs in bash with `curl` replaced by a function that calls the real
curl and keeps each request's arguments and its answer (status, headers, body); each answer is
then validated with openapi-core against `/api/v1/schema/`.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
import yaml
from django.core.management import call_command
from openapi_core import OpenAPI
from openapi_core.exceptions import OpenAPIError
from openapi_core.testing import MockRequest, MockResponse

from tests.workplan import evidence_samples as samples

pytestmark = [pytest.mark.django_db(transaction=True)]

README = Path(__file__).resolve().parents[2] / "README.md"
MAKE_RUN_URL = "http://127.0.0.1:8000"
RECORDING_CURL = r"""
curl() {
  local d="$CURL_LOG/$(date +%s%N)"
  mkdir -p "$d"
  printf '%s\n' "$@" > "$d/args"
  command curl -sS -D "$d/headers" -o "$d/body" -w '%{http_code}' "$@" > "$d/code"
  cat "$d/body"
}
set -euo pipefail
"""


def readme_api_block() -> str:
    text = README.read_text(encoding="utf-8")
    section = text.split("\n## API\n", 1)[1].split("\n## ", 1)[0]
    return re.search(r"```sh\n(.*?)```", section, re.DOTALL).group(1)


def parse_curl(args: list[str]) -> dict:
    """Return what a curl command line sends: method, URL, headers, content type."""
    method, url, headers, content_type = None, None, {}, None
    index = 0
    while index < len(args):
        arg = args[index]
        if arg == "-X":
            method = args[index + 1]
            index += 1
        elif arg == "-H":
            name, value = args[index + 1].split(":", 1)
            headers[name.strip()] = value.strip()
            index += 1
        elif arg in ("-d", "--data"):
            content_type = content_type or "application/x-www-form-urlencoded"
            method = method or "POST"
            index += 1
        elif arg == "-F":
            content_type = "multipart/form-data"
            method = method or "POST"
            index += 1
        elif arg.startswith("http"):
            url = arg
        index += 1
    content_type = headers.get("Content-Type", content_type)
    return {"method": method or "GET", "url": url, "headers": headers, "content_type": content_type}


def recorded_calls(log: Path) -> list[dict]:
    calls = []
    for folder in sorted(log.iterdir()):
        sent = parse_curl((folder / "args").read_text().splitlines())
        # The last answer's header block (curl writes each block, ending in a blank line).
        blocks = [b for b in (folder / "headers").read_text().split("\r\n\r\n") if b.strip()]
        raw_headers = blocks[-1]
        headers = dict(line.split(": ", 1) for line in raw_headers.splitlines()[1:] if ": " in line)
        sent["status"] = int((folder / "code").read_text())
        sent["response_headers"] = headers
        sent["body"] = (folder / "body").read_bytes()
        calls.append(sent)
    return calls


def fetch_schema(base: str, token: str) -> dict:
    # The live test server's own address, always http.
    request = urllib.request.Request(  # noqa: S310
        f"{base}/api/v1/schema/", headers={"Authorization": f"Token {token}"}
    )
    with urllib.request.urlopen(request) as answer:  # noqa: S310
        return yaml.safe_load(answer.read())


def test_the_readme_examples_work_and_every_answer_matches_the_schema(live_server, tmp_path):
    assert shutil.which("curl"), "curl is needed to run the README's examples"
    call_command("load_workplan", "--demo", verbosity=0)
    (tmp_path / "minutes.pdf").write_bytes(samples.PDF_BYTES)
    log = tmp_path / "curl-log"
    log.mkdir()
    block = readme_api_block()
    script = RECORDING_CURL + block.replace(MAKE_RUN_URL, live_server.url)
    run = subprocess.run(
        ["bash", "-c", script],
        cwd=tmp_path,
        env={"PATH": "/usr/bin:/bin", "CURL_LOG": str(log), "HOME": str(tmp_path)},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert run.returncode == 0, run.stderr + run.stdout
    calls = recorded_calls(log)
    assert len(calls) == block.count("curl -s ") >= 13
    token = json.loads(calls[0]["body"])["token"]
    openapi = OpenAPI.from_dict(fetch_schema(live_server.url, token))
    for call in calls:
        where = f"{call['method']} {call['url']}"
        assert call["status"] in (200, 201), f"{where}: {call['status']} {call['body'][:300]}"
        url = urllib.parse.urlsplit(call["url"])
        request = MockRequest(
            live_server.url,
            call["method"].lower(),
            url.path,
            args=dict(urllib.parse.parse_qsl(url.query)),
            headers=call["headers"],
            content_type=call["content_type"] or "application/json",
        )
        response = MockResponse(
            call["body"],
            status_code=call["status"],
            headers=call["response_headers"],
            content_type=call["response_headers"].get("Content-Type", ""),
        )
        openapi.validate_response(request, response)
    # The validator is no rubber stamp: a token that is not a string fails it.
    token_request = MockRequest(
        live_server.url,
        "post",
        "/api/v1/auth/token/",
        content_type="application/x-www-form-urlencoded",
    )
    with pytest.raises(OpenAPIError):
        openapi.validate_response(token_request, MockResponse(b'{"token": 5}', status_code=200))
    # The retry-safe reading: the block recorded it once.
    reading = json.loads(calls[-2]["body"])
    assert reading["value"] == 5.3
