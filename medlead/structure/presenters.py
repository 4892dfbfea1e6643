"""What the structure's larger pages show that is the same for every reader: written once and kept."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.template.loader import render_to_string
from markupsafe import Markup

from medlead.core import kept
from medlead.organisation.models import Division, Trust
from medlead.structure import health, selectors
from medlead.structure.models import PostType


@dataclass(frozen=True)
class PostsPage:
    """The trust's list of posts as filtered, written as its table (each post with its holders today, whom it reports
    to, its direct reports and what is said beside a seconded holder), and the filters' choices."""

    table: Markup
    divisions: list[Division]
    post_types: list[PostType]


def posts_page(trust: Trust, *, division_id: int | None, post_type: str, vacant: bool, on: dt.date) -> PostsPage:
    """``PostsPage`` on ``on``, kept for everyone who may see it (``core.kept``) until a post, a holder, a secondment
    or a division changes."""

    def build() -> PostsPage:
        holders = selectors.holders_by_post(trust, on)
        shown = {
            "current_trust": trust,
            "posts": selectors.posts(
                trust=trust, division_id=division_id, post_type=post_type, vacant=vacant, holders=holders
            ),
            "spans": health.span_of_control(p.reports_to_id for p in selectors.trust_posts(trust)),
            "notes": selectors.secondment_notes(trust=trust, on=on),
        }
        return PostsPage(
            table=Markup(render_to_string("structure/_posts_table.jinja", shown)),  # noqa: S704 - escaped by Jinja
            divisions=list(Division.objects.filter(trust=trust)),
            post_types=list(PostType.objects.all()),
        )

    return kept.kept(("structure:posts", trust.pk, division_id, post_type, vacant, on), build)


def portfolio_page(trust: Trust, *, on: dt.date, can_manage: bool) -> Markup:
    """The portfolio's tables on ``on``: each function with the post that holds it and that post's holders today (and,
    for those who may change them, a link to), kept (``core.kept``) until an assignment, a post or a holder changes."""

    def build() -> Markup:
        shown = {
            "current_trust": trust,
            "rows": selectors.portfolio(trust=trust),
            "holders": dict(selectors.holders_by_post(trust, on)),
            "can_manage": can_manage,
        }
        return Markup(render_to_string("structure/_portfolio_tables.jinja", shown))  # noqa: S704 - escaped by Jinja

    return kept.kept(("structure:portfolio", trust.pk, on, can_manage), build)
