"""Each question of the national feedback questionnaires is filed under one of Good medical practice 2024's four
domains, as data/good_medical_practice.yaml names them (the codes the appraisal files supporting information under),
so the feedback and the appraisal speak of the same domains."""

from __future__ import annotations

from pathlib import Path

import yaml

DATA = Path(__file__).resolve().parents[2] / "data"
# Good medical practice 2024's domains (GMC, in effect from 30 January 2024), written out by hand
GMP_2024 = {"knowledge", "patients", "colleagues", "trust"}


def test_the_2024_editions_domains_are_the_four_written_here() -> None:
    editions = yaml.safe_load((DATA / "good_medical_practice.yaml").read_text())["editions"]
    gmp2024 = next(e for e in editions if e["id"] == "gmp2024")
    assert {d["code"] for d in gmp2024["domains"]} == GMP_2024


def test_every_scaled_question_is_filed_under_a_2024_domain() -> None:
    for path in sorted((DATA / "feedback").glob("*.yaml")):
        questions = yaml.safe_load(path.read_text())["questions"]
        scaled = [q for q in questions if q.get("answer_type", "scale") == "scale"]
        assert scaled, path.name
        for q in scaled:
            assert q.get("domain") in GMP_2024, (path.name, q["code"])
