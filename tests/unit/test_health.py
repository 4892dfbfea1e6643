"""The structure-health rules, on plain records (no database)."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

from medlead.structure.health import FunctionInfo, HolderInfo, PostInfo, Rule, Severity, assess, span_of_control

RULES = {
    "md_min_sessions": Rule("md_min_sessions", 5, "bmj1997"),
    "md_max_direct_clinical_directors": Rule("md_max_direct_clinical_directors", 6, "nhsconfed"),
    "vacant_or_interim": Rule("vacant_or_interim", True, "nhsconfed"),
    "post_needs_job_description": Rule("post_needs_job_description", True, "rcpsych"),
    "post_needs_time": Rule("post_needs_time", True, "rcpsych"),
    "portfolio_unheld": Rule("portfolio_unheld", True, "fmlm2017"),
    "holder_overcommitted": Rule("holder_overcommitted", True, "rcpsych"),
}
ALICE = HolderInfo(1, "Dr Alice", False)
BOB = HolderInfo(2, "Dr Bob", False)


def md(pas: str = "6", **kw: object) -> PostInfo:
    defaults: dict = dict(
        id=1,
        title="Medical director",
        type_code="medical_director",
        pas_allocated=Decimal(pas),
        pas_required=None,
        has_job_description=True,
        reports_to_id=None,
        holders=(ALICE,),
    )
    defaults.update(kw)
    return PostInfo(**defaults)


def cd(i: int, reports_to: int = 1, **kw: object) -> PostInfo:
    defaults: dict = dict(
        id=100 + i,
        title=f"CD {i}",
        type_code="clinical_director",
        pas_allocated=Decimal("1"),
        pas_required=None,
        has_job_description=True,
        reports_to_id=reports_to,
        holders=(HolderInfo(100 + i, f"Dr {i}", False),),
    )
    defaults.update(kw)
    return PostInfo(**defaults)


def rules_of(findings: list) -> list[str]:
    return [f.rule for f in findings]


def test_md_with_five_sessions_passes_and_with_fewer_is_flagged_high() -> None:
    assert "md_min_sessions" not in rules_of(assess([md("5")], [], RULES))
    findings = assess([md("4.75")], [], RULES)
    flagged = [f for f in findings if f.rule == "md_min_sessions"]
    assert len(flagged) == 1
    assert flagged[0].severity == Severity.HIGH
    assert "4.75" in flagged[0].title
    assert flagged[0].source == "bmj1997"


def test_trust_without_medical_director_is_flagged() -> None:
    findings = assess([cd(1, reports_to=None)], [], RULES)
    assert any(f.title == "No medical director post" for f in findings)


def test_span_of_control_threshold_is_exclusive() -> None:
    six = [md()] + [cd(i) for i in range(6)]
    assert "md_max_direct_clinical_directors" not in rules_of(assess(six, [], RULES))
    seven = [md()] + [cd(i) for i in range(7)]
    flagged = [f for f in assess(seven, [], RULES) if f.rule == "md_max_direct_clinical_directors"]
    assert flagged and flagged[0].extra["count"] == 7


def test_clinical_directors_reporting_through_an_associate_do_not_count() -> None:
    amd = PostInfo(2, "AMD", "associate_medical_director", Decimal("3"), None, True, 1, (BOB,))
    posts = [md(), amd] + [cd(i, reports_to=2) for i in range(10)]
    assert "md_max_direct_clinical_directors" not in rules_of(assess(posts, [], RULES))
    assert span_of_control(p.reports_to_id for p in posts) == {1: 1, 2: 10}


def test_vacant_interim_no_job_description_and_no_time() -> None:
    posts = [
        md(),
        cd(1, holders=()),
        cd(2, holders=(HolderInfo(9, "Dr Nine", True),)),
        cd(3, has_job_description=False),
        cd(4, pas_allocated=Decimal("0")),
    ]
    found = {(f.rule, f.subject_id) for f in assess(posts, [], RULES)}
    assert ("vacant_post", 101) in found
    assert ("interim_holder", 102) in found
    assert ("no_job_description", 103) in found
    assert ("no_time_allocated", 104) in found
    assert not any(sid == 1 for _, sid in found)


def test_vacant_medical_director_is_high_severity() -> None:
    findings = [f for f in assess([md(holders=())], [], RULES) if f.rule == "vacant_post"]
    assert findings[0].severity == Severity.HIGH


def test_portfolio_functions_unheld_or_with_a_vacant_post() -> None:
    posts = [md(), cd(1, holders=())]
    functions = [
        FunctionInfo("clinical_it", "Clinical IT", "Quality", None),
        FunctionInfo("education", "Education", "Workforce", 101),
        FunctionInfo("clinical_strategy", "Clinical strategy", "Corporate", 1),
    ]
    found = {(f.rule, f.subject_id) for f in assess(posts, functions, RULES)}
    assert ("portfolio_unheld", "clinical_it") in found
    assert ("portfolio_vacant", "education") in found
    assert not any(sid == "clinical_strategy" for _, sid in found)


def test_overcommitted_holder_sums_posts_and_splits_job_shares() -> None:
    # Alice holds the MD post (needs 6, has 5) alone: short by 1.
    # Bob and Carol job-share a post needing 4 with 2 allocated: each needs 2 and has 1.
    carol = HolderInfo(3, "Dr Carol", False)
    posts = [
        md("5", pas_required=Decimal("6")),
        PostInfo(5, "DMD", "deputy_medical_director", Decimal("2"), Decimal("4"), True, 1, (BOB, carol)),
        PostInfo(6, "CL", "clinical_lead", Decimal("1"), Decimal("0.5"), True, 5, (carol,)),
    ]
    over = {f.subject_id: f for f in assess(posts, [], RULES) if f.rule == "holder_overcommitted"}
    assert set(over) == {1, 2, 3}
    assert Decimal(over[2].extra["needed"]) == Decimal("2")
    assert Decimal(over[3].extra["needed"]) == Decimal("2.5")
    assert Decimal(over[3].extra["allocated"]) == Decimal("2")


def test_holder_with_enough_time_is_not_flagged() -> None:
    posts = [md("6", pas_required=Decimal("6"))]
    assert "holder_overcommitted" not in rules_of(assess(posts, [], RULES))


def test_findings_are_ordered_most_severe_first() -> None:
    posts = [md("4"), cd(1, holders=(HolderInfo(9, "Dr Nine", True),))]
    severities = [f.severity for f in assess(posts, [], RULES)]
    order = {Severity.HIGH: 0, Severity.MEDIUM: 1, Severity.LOW: 2}
    assert severities == sorted(severities, key=order.__getitem__)


from hypothesis import given  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

post_infos = st.lists(
    st.builds(
        PostInfo,
        id=st.integers(1, 40),
        title=st.sampled_from(["A", "B", "C"]),
        type_code=st.sampled_from(["medical_director", "clinical_director", "clinical_lead"]),
        pas_allocated=st.decimals(0, 10, places=2),
        pas_required=st.none() | st.decimals(0, 10, places=2),
        has_job_description=st.booleans(),
        reports_to_id=st.none() | st.integers(1, 40),
        holders=st.lists(st.builds(HolderInfo, st.integers(1, 20), st.just("Dr X"), st.booleans()), max_size=2).map(
            tuple
        ),
    ),
    max_size=25,
    unique_by=lambda p: p.id,
)


@given(posts=post_infos, data=st.data())
def test_findings_do_not_depend_on_the_order_of_posts(posts: list[PostInfo], data: st.DataObject) -> None:
    shuffled = data.draw(st.permutations(posts))
    assert sorted(map(repr, assess(posts, [], RULES))) == sorted(map(repr, assess(shuffled, [], RULES)))


@given(posts=post_infos)
def test_every_vacant_post_is_reported_exactly_once(posts: list[PostInfo]) -> None:
    vacant = {p.id for p in posts if not p.holders}
    reported = [f.subject_id for f in assess(posts, [], RULES) if f.rule == "vacant_post"]
    assert sorted(reported) == sorted(vacant)


def test_md_sessions_say_what_the_post_allocates_and_what_the_holders_plan_gives() -> None:
    """A hand-made case: the post allocates 4 sessions, its holder's job plan gives the role 5."""
    post = PostInfo(1, "Medical director", "medical_director", Decimal("4"), None, True, None)
    held = replace(post, holders=(HolderInfo(1, "Dr Alice", False, Decimal("5")),))
    (finding,) = [f for f in assess([held], [], RULES) if f.rule == "md_min_sessions"]
    assert finding.title == "Medical director: the post allocates 4 sessions a week"
    assert finding.detail == (
        "The medical director's job is very hard to do in fewer than 5 sessions a week. The post allocates 4; "
        "Dr Alice's job plan gives it 5."
    )
    # the post allocates 6, but the holder's plan gives the role only 3: that is flagged, named for what it is
    short = replace(post, pas_allocated=Decimal("6"), holders=(HolderInfo(1, "Dr Alice", False, Decimal("3")),))
    (finding,) = [f for f in assess([short], [], RULES) if f.rule == "md_min_sessions"]
    assert finding.title == "Medical director: job plans give the role 3 sessions a week"
    # a holder with no time for the role in any job plan is said so
    none = replace(post, holders=(HolderInfo(1, "Dr Alice", False),))
    (finding,) = [f for f in assess([none], [], RULES) if f.rule == "md_min_sessions"]
    assert finding.detail.endswith("The post allocates 4; no job plan this year gives Dr Alice time for it.")
