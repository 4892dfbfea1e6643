"""Imports that stream (ADR 0031): a file larger than one chunk is planned and applied exactly as a file read at
once; the apply reuses what the dry run read when nothing changed since, and plans again when something did."""

from __future__ import annotations

from decimal import Decimal

import pytest

from medlead.core import imports as core
from medlead.core.imports import ImportFailed, Repeats
from medlead.imports import services as imports
from medlead.imports.models import ImportBatch
from medlead.organisation.imports import PEOPLE
from medlead.organisation.models import Division, Person, Specialty, Trust
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db

HEADER = "staff_number,first_name,last_name,gmc_number,grade,specialty,division,create_specialty,create_division\n"
# line 2..9 of the file; the trust holds E1 (Ada Lovelace) and, by GMC number only, 3333333 (Mary Seacole): the plan
# adds 6 people, a division and a specialty (8 additions), changes 1 and leaves 1 as it is
ROWS = (
    "E1,Ada,Lovelace,1111111,consultant,,,,\n"  # 2: unchanged
    "E2,Alan,Turing,2222222,consultant,,,,\n"  # 3: new
    ",Mary,Seacole-Jones,3333333,consultant,,,,\n"  # 4: matched by GMC number, surname changed
    "E4,Rosalind,Franklin,4444444,specialty_registrar,Cardiology,Medicine,yes,yes\n"  # 5: new, with new structure
    "E5,Edward,Jenner,5555555,consultant,Cardiology,Medicine,,\n"  # 6: new, in the new specialty
    "E6,Joseph,Lister,6666666,consultant,,,,\n"  # 7: new
    "E7,Florence,Nightingale,7777777,consultant,,,,\n"  # 8: new
    "E8,John,Snow,8888888,consultant,,,,\n"  # 9: new
)
BAD_ROWS = (
    "E9,Dup,Licate,9999999,consultant,,,,\n"  # 10: fine
    "E2,Again,Person,1212121,consultant,,,,\n"  # 11: staff number of row 3
    "E11,Short,Gmc,12345,consultant,,,,\n"  # 12: GMC number too short
    "E12,Twice,Gmc,9999999,wizard,,,,\n"  # 13: GMC number of row 10, unknown grade
    "E13,No,Specialty,1313131,consultant,Cardiolgy,,,\n"  # 14: a specialty nobody asked to add
)


@pytest.fixture
def held(trust: Trust) -> Trust:
    for staff, first, last, gmc in (("E1", "Ada", "Lovelace", "1111111"), ("", "Mary", "Seacole", "3333333")):
        PersonFactory(
            trust=trust, staff_number=staff, first_name=first, last_name=last, gmc_number=gmc, contracted_pas=None
        )
    return trust


@pytest.fixture(params=[1000, 3, 2, 1], ids=["one chunk", "chunks of 3", "chunks of 2", "chunks of 1"])
def chunk_rows(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> int:
    monkeypatch.setattr(core, "CHUNK_ROWS", request.param)
    return int(request.param)


def test_a_file_of_many_chunks_is_planned_as_one(held: Trust, chunk_rows: int) -> None:
    plan = PEOPLE.plan(trust=held, filename="p.csv", content=(HEADER + ROWS).encode())
    assert plan.ok, plan.errors
    assert (plan.rows, plan.created, plan.updated, plan.unchanged) == (8, 8, 1, 1)
    assert plan.creates == [
        "Row 3: add Dr Alan Turing",
        "Division Medicine",
        "Specialty Cardiology in Medicine",
        "Row 5: add Dr Rosalind Franklin",
        "Row 6: add Dr Edward Jenner",
        "Row 7: add Dr Joseph Lister",
        "Row 8: add Dr Florence Nightingale",
        "Row 9: add Dr John Snow",
    ]
    assert plan.updates == ["Row 4: update Dr Mary Seacole (last_name)"]
    assert not Person.objects.filter(staff_number="E2").exists() and not Division.objects.exists()


def test_every_error_of_a_file_of_many_chunks_is_reported_by_row(held: Trust, chunk_rows: int) -> None:
    plan = PEOPLE.plan(trust=held, filename="p.csv", content=(HEADER + ROWS + BAD_ROWS).encode())
    assert [(e.line, e.column) for e in plan.errors] == [
        (11, "staff_number"),
        (12, "gmc_number"),
        (13, "gmc_number"),
        (13, "grade"),
        (14, "specialty"),
    ]
    reasons = {(e.line, e.column): e.reason for e in plan.errors}
    assert reasons[(11, "staff_number")] == "'E2' appears again: it is also on row 3."
    assert reasons[(13, "gmc_number")] == "'9999999' appears again: it is also on row 10."


def test_a_file_of_many_chunks_is_applied_all_or_nothing(held: Trust, md_user, chunk_rows: int) -> None:
    with pytest.raises(ImportFailed):
        PEOPLE.apply(trust=held, filename="p.csv", content=(HEADER + ROWS + BAD_ROWS).encode(), actor=md_user)
    assert Person.objects.filter(trust=held).count() == 2 and not Specialty.objects.exists()

    PEOPLE.apply(trust=held, filename="p.csv", content=(HEADER + ROWS).encode(), actor=md_user)
    people = {p.staff_number or p.gmc_number: p for p in Person.objects.filter(trust=held)}
    assert sorted(people) == ["3333333", "E1", "E2", "E4", "E5", "E6", "E7", "E8"]
    assert people["3333333"].last_name == "Seacole-Jones"
    cardiology = Specialty.objects.get(trust=held, name="Cardiology")
    assert cardiology.division.name == "Medicine"
    assert people["E4"].specialty == cardiology and people["E5"].specialty == cardiology
    assert people["E4"].ltft_fraction == Decimal("1.00")


def test_the_apply_reuses_the_dry_runs_reading_when_nothing_changed(
    held: Trust, md_user, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(core, "CHUNK_ROWS", 3)
    content = (HEADER + ROWS).encode()
    dry = PEOPLE.plan(trust=held, filename="p.csv", content=content)
    checks: list[Person] = []
    monkeypatch.setattr(Person, "full_clean", lambda self, **kwargs: checks.append(self))
    applied = PEOPLE.apply(trust=held, filename="p.csv", content=content, actor=md_user, fingerprint=dry.fingerprint)
    assert not applied.replanned and checks == []  # no row was checked again
    assert (applied.created, applied.updated, applied.unchanged) == (8, 1, 1)
    assert Person.objects.filter(trust=held).count() == 8


def test_the_apply_plans_again_when_a_matched_record_changed(held: Trust, md_user) -> None:
    content = (HEADER + ROWS).encode()
    dry = PEOPLE.plan(trust=held, filename="p.csv", content=content)
    Person.objects.filter(gmc_number="3333333").update(last_name="Seacole-Jones")  # someone made the change by hand
    applied = PEOPLE.apply(trust=held, filename="p.csv", content=content, actor=md_user, fingerprint=dry.fingerprint)
    assert applied.replanned
    assert (applied.created, applied.updated, applied.unchanged) == (8, 0, 2)


def test_the_apply_plans_again_when_a_person_the_file_adds_was_added_since(held: Trust, md_user) -> None:
    content = (HEADER + ROWS).encode()
    dry = PEOPLE.plan(trust=held, filename="p.csv", content=content)
    PersonFactory(trust=held, staff_number="E2", first_name="Alan", last_name="Turin", gmc_number="2222222")
    applied = PEOPLE.apply(trust=held, filename="p.csv", content=content, actor=md_user, fingerprint=dry.fingerprint)
    assert applied.replanned and applied.updated == 2
    assert Person.objects.get(trust=held, staff_number="E2").last_name == "Turing"  # updated, not added twice
    assert Person.objects.filter(trust=held).count() == 8


def test_the_apply_plans_again_when_the_specialties_changed(held: Trust, md_user) -> None:
    content = (HEADER + ROWS).encode()
    dry = PEOPLE.plan(trust=held, filename="p.csv", content=content)
    medicine = Division.objects.create(trust=held, name="Medicine")
    Specialty.objects.create(trust=held, name="Cardiology", division=medicine)
    applied = PEOPLE.apply(trust=held, filename="p.csv", content=content, actor=md_user, fingerprint=dry.fingerprint)
    assert applied.replanned
    assert Specialty.objects.filter(trust=held).count() == 1


def test_a_fingerprint_of_another_file_is_not_reused(held: Trust, md_user) -> None:
    dry = PEOPLE.plan(trust=held, filename="p.csv", content=(HEADER + ROWS).encode())
    other = (HEADER + ROWS.replace("Snow", "Snowdon")).encode()
    applied = PEOPLE.apply(trust=held, filename="p.csv", content=other, actor=md_user, fingerprint=dry.fingerprint)
    assert applied.replanned
    assert Person.objects.filter(trust=held, last_name="Snowdon").exists()


def test_the_pipeline_hands_the_fingerprint_to_the_apply(held: Trust, md_user) -> None:
    content = (HEADER + ROWS).encode()
    summary = imports.dry_run(actor=md_user, trust=held, kind="people", filename="p.csv", content=content, params={})
    assert summary["fingerprint"] and not summary["errors"]
    batch = ImportBatch.objects.create(
        trust=held, kind="people", filename="p.csv", content=content, created_by=md_user, summary=summary
    )
    applied = imports.apply(batch=batch)
    assert applied["replanned"] is False and not applied.get("failed")
    assert (applied["creates"], applied["updates"], applied["unchanged"]) == (8, 1, 1)


def test_repeated_keys_are_found_with_the_row_first_seen() -> None:
    repeats = Repeats(("staff_number",))
    rows = [(2, "A"), (3, "B"), (4, "A"), (5, ""), (6, ""), (7, "A"), (8, "C")]
    for _, value in rows:
        repeats.add({"staff_number": value})
    repeats.close()
    found = {line: repeats.earlier("staff_number", value, line) for line, value in rows}
    assert found == {2: None, 3: None, 4: 2, 5: None, 6: None, 7: 2, 8: None}


def test_a_value_checked_once_still_fails_where_it_is_wrong(trust: Trust, chunk_rows: int) -> None:
    content = (
        b"first_name,last_name,gmc_number,grade,ltft_fraction,contracted_pas\n"
        b"A,One,1000001,consultant,0.8,10\n"
        b"B,Two,1000002,consultant,0.8,10\n"
        b"C,Three,1000003,consultant,1.5,10\n"  # more than full time
        b"D,Four,1000004,consultant,0.8,25\n"  # more than 20 PAs
        b"E,Five,1000005,,0.8,10\n"  # a doctor with no grade
    )
    plan = PEOPLE.plan(trust=trust, filename="p.csv", content=content)
    assert [(e.line, e.column) for e in plan.errors] == [(4, "ltft_fraction"), (5, "contracted_pas"), (6, "grade")]
