"""The load test's users (``make loadtest``): each signs in as one demo account with its password, then reads pages
its home page links to, one after another with a short pause, as a person clicking through would.

The users are locust's ``FastHttpUser`` (geventhttpclient): locust shares the machine's two cores with the servers, and
its plain ``HttpUser`` (requests) took 70-94% of a core to ask for 13-23 pages a second, so the figures measured the
load generator as much as medlead. Every request's start, whether it was a sign-in, and its time are written to
``LOAD_REQUEST_TIMES``, one request a line, for the pages' p95 over all of them."""

from __future__ import annotations

import os
import random
import re
from html import unescape
from pathlib import Path
from typing import Any

from locust import FastHttpUser, between, events, task

ACCOUNTS = ("md", "ro", "cd", "doctor", "guardian", "hr", "ned", "chair")
SIGN_IN = ("sign-in page", "sign in")
SKIP = ("/logout", "format=pdf", "format=csv", "format=xlsx", "/export", ".pdf", ".csv", ".xlsx")

REQUESTS: list[tuple[float, bool, float]] = []  # (when it started, a sign-in?, milliseconds)


@events.request.add_listener
def _request_time(name: str, response_time: float, start_time: float, **_: Any) -> None:
    REQUESTS.append((start_time, name in SIGN_IN, response_time))


@events.quitting.add_listener
def _write_request_times(**_: Any) -> None:
    if out := os.environ.get("LOAD_REQUEST_TIMES"):
        Path(out).write_text("".join(f"{start:.3f} {int(sign_in)} {ms:.1f}\n" for start, sign_in, ms in REQUESTS))


class Person(FastHttpUser):
    wait_time = between(0.5, 1.5)

    def on_start(self) -> None:
        login = self.client.get("/accounts/login/", name=SIGN_IN[0])
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', login.text or "")
        self.client.post(
            "/accounts/login/",
            data={
                "csrfmiddlewaretoken": token.group(1) if token else "",
                "username": random.choice(ACCOUNTS),
                "password": "medlead-demo",
            },
            headers={"Referer": f"{self.host}/accounts/login/"},
            name=SIGN_IN[1],
        )
        home = self.client.get("/t/DEM001/", name="home")
        links = {unescape(h) for h in re.findall(r'href="(/t/DEM001/[^"#]*)"', home.text or "")}
        self.pages = sorted(u for u in links if not any(s in u for s in SKIP)) or ["/t/DEM001/"]

    @task
    def read_a_page(self) -> None:
        url = random.choice(self.pages)
        self.client.get(url, name=re.sub(r"\d+", "N", url.split("?")[0]))
