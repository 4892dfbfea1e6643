"""The load test's users (``make loadtest``): each signs in as one demo account with its password, then reads pages
its home page links to, one after another with a short pause, as a person clicking through would."""

from __future__ import annotations

import random
import re
from html import unescape

from locust import HttpUser, between, task

ACCOUNTS = ("md", "ro", "cd", "doctor", "guardian", "hr", "ned", "chair")
SKIP = ("/logout", "format=pdf", "format=csv", "format=xlsx", "/export", ".pdf", ".csv", ".xlsx")


class Person(HttpUser):
    wait_time = between(0.5, 1.5)

    def on_start(self) -> None:
        self.client.verify = False  # the load test's own self-signed certificate
        login = self.client.get("/accounts/login/", name="sign-in page")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', login.text)
        self.client.post(
            "/accounts/login/",
            data={
                "csrfmiddlewaretoken": token.group(1) if token else "",
                "username": random.choice(ACCOUNTS),
                "password": "medlead-demo",
            },
            headers={"Referer": f"{self.host}/accounts/login/"},
            name="sign in",
        )
        home = self.client.get("/t/DEM001/", name="home")
        links = {unescape(h) for h in re.findall(r'href="(/t/DEM001/[^"#]*)"', home.text)}
        self.pages = sorted(u for u in links if not any(s in u for s in SKIP)) or ["/t/DEM001/"]

    @task
    def read_a_page(self) -> None:
        url = random.choice(self.pages)
        self.client.get(url, name=re.sub(r"\d+", "N", url.split("?")[0]))
