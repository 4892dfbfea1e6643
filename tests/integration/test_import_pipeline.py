"""One import pipeline for every kind of file: a dry run that changes nothing and lists every change or every
error, a confirm that queues the import once, all or nothing, and a template to download for each kind."""

from __future__ import annotations

import csv
import io

import pytest

from medlead.accounts.models import Role
from medlead.core.imports import KINDS
from medlead.imports.models import ImportBatch
from medlead.jobplans.models import Activity, JobPlan
from medlead.leadership.models import Framework
from medlead.organisation.models import Grade, Trust
from medlead.revalidation.models import Connection
from tests.conftest import client_for
from tests.factories import PersonFactory, make_user

pytestmark = pytest.mark.django_db


def upload(name: str, text: str) -> io.BytesIO:
    f = io.BytesIO(text.encode())
    f.name = name
    return f


@pytest.fixture
def consultant(trust: Trust):
    return PersonFactory(trust=trust, grade=Grade.CONSULTANT, gmc_number="1234567")


def test_every_kind_offers_a_template_with_its_columns(trust: Trust) -> None:
    users = {
        "people": make_user((Role.MEDICAL_STAFFING, trust)),
        "posts": make_user((Role.MEDICAL_STAFFING, trust)),
        "job_plans": make_user((Role.MEDICAL_STAFFING, trust)),
        "rota": make_user((Role.MEDICAL_STAFFING, trust)),
        "connections": make_user((Role.RESPONSIBLE_OFFICER, trust)),
        "framework": make_user((Role.MEDICAL_DIRECTOR, trust)),
        "metric_values": make_user((Role.MEDICAL_DIRECTOR, trust)),
    }
    assert set(users) == set(KINDS)
    for kind, user in users.items():
        response = client_for(user).get(f"/t/{trust.code}/import/template/{kind}.csv")
        assert response.status_code == 200, kind
        header, *rows = list(csv.reader(io.StringIO(response.content.decode())))
        assert header == list(KINDS[kind].columns) and rows and all(len(r) == len(header) for r in rows), kind
    doctor = make_user((Role.DOCTOR, trust))
    assert client_for(doctor).get(f"/t/{trust.code}/import/template/rota.csv").status_code == 403
    assert client_for(users["people"]).get(f"/t/{trust.code}/import/template/nonsense.csv").status_code == 404


def test_one_upload_page_for_every_kind_and_a_list_of_those_a_user_may_run(trust: Trust) -> None:
    users = {
        "people": make_user((Role.MEDICAL_STAFFING, trust)),
        "posts": make_user((Role.MEDICAL_STAFFING, trust)),
        "job_plans": make_user((Role.MEDICAL_STAFFING, trust)),
        "rota": make_user((Role.MEDICAL_STAFFING, trust)),
        "connections": make_user((Role.RESPONSIBLE_OFFICER, trust)),
        "framework": make_user((Role.MEDICAL_DIRECTOR, trust)),
        "metric_values": make_user((Role.MEDICAL_DIRECTOR, trust)),
    }
    for kind, user in users.items():
        page = client_for(user).get(f"/t/{trust.code}/import/{kind}/")
        assert page.status_code == 200, kind
        assert KINDS[kind].title in page.content.decode() and 'type="file"' in page.content.decode(), kind
    listed = client_for(users["connections"]).get(f"/t/{trust.code}/import/").content.decode()
    assert KINDS["connections"].label in listed and KINDS["people"].label not in listed
    doctor = client_for(make_user((Role.DOCTOR, trust)))
    assert doctor.get(f"/t/{trust.code}/import/rota/").status_code == 403
    assert client_for(users["people"]).get(f"/t/{trust.code}/import/nonsense/").status_code == 404


def test_the_one_upload_form_checks_every_kinds_file_alike(trust: Trust, settings) -> None:
    settings.MEDLEAD_IMPORT_MAX_BYTES = 1024 * 1024
    client = client_for(make_user((Role.MEDICAL_DIRECTOR, trust)))
    url = f"/t/{trust.code}/import/metric_values/"

    wrong_type = client.post(url, {"file": upload("values.txt", "metric,date,value\n")}).content.decode()
    too_large = client.post(url, {"file": upload("values.csv", "x" * (1024 * 1024 + 1))}).content.decode()

    assert "The file must be a .csv or .xlsx file." in wrong_type
    assert "The file is larger than 1 MB." in too_large
    assert not ImportBatch.objects.exists()


def test_job_plans_go_through_a_dry_run_then_one_confirm(
    trust: Trust, consultant, django_capture_on_commit_callbacks
) -> None:
    hr = make_user((Role.MEDICAL_STAFFING, trust))
    client = client_for(hr)
    text = "doctor,year,category,title,frequency,weekday,start,end\n1234567,2026,dcc,Clinic,weekly,monday,09:00,13:00\n"
    response = client.post(f"/t/{trust.code}/import/job_plans/", {"file": upload("plans.csv", text)})
    batch = ImportBatch.objects.get()
    assert response["Location"] == f"/t/{trust.code}/import/{batch.pk}/"
    page = client.get(response["Location"]).content.decode()
    assert "Add activity: Clinic" in page and "Add job plan" in page
    assert not JobPlan.objects.exists() and not Activity.objects.exists()  # the dry run left nothing behind
    with django_capture_on_commit_callbacks(execute=True):
        client.post(response["Location"] + "confirm/")
    client.post(response["Location"] + "confirm/")  # a double click imports nothing twice
    batch.refresh_from_db()
    assert batch.status == "applied"
    assert Activity.objects.count() == 1


def test_a_bad_connection_list_is_listed_row_by_row_and_cannot_be_confirmed(trust: Trust, consultant) -> None:
    ro = make_user((Role.RESPONSIBLE_OFFICER, trust))
    client = client_for(ro)
    bad = "gmc_number,submission_date\n1234567,31/13/2027\n7654321,2027-03-31\n"
    page = client.post(
        f"/t/{trust.code}/import/connections/", {"file": upload("c.csv", bad)}, follow=True
    ).content.decode()
    assert "2 problems: nothing was imported" in page
    assert "Row 2, column &#39;submission_date&#39;" in page
    assert "Row 3, column &#39;gmc_number&#39;: no doctor with GMC number 7654321 in this trust" in page
    batch = ImportBatch.objects.get()
    assert batch.status == "invalid"
    client.post(f"/t/{trust.code}/import/{batch.pk}/confirm/")
    batch.refresh_from_db()
    assert batch.status == "invalid" and not Connection.objects.exists()


def test_a_framework_import_keeps_its_name_and_scale_until_confirmed(
    trust: Trust, django_capture_on_commit_callbacks
) -> None:
    md = make_user((Role.MEDICAL_DIRECTOR, trust))
    client = client_for(md)
    text = "domain,code,item\nSetting direction,SD1,Sets a clear direction\n"
    response = client.post(
        f"/t/{trust.code}/import/framework/",
        {"name": "Our framework", "code": "ours", "scale": "Low, Medium, High", "file": upload("f.csv", text)},
    )
    assert not Framework.objects.filter(trust=trust).exists()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(response["Location"] + "confirm/")
    framework = Framework.objects.get(trust=trust)
    assert framework.name == "Our framework" and framework.scale == ["Low", "Medium", "High"]
    assert framework.items.count() == 1


def test_an_import_stuck_in_the_queue_can_be_retried_once_it_has_waited_too_long(
    trust: Trust, consultant, django_capture_on_commit_callbacks
) -> None:
    import datetime as dt

    from django.utils import timezone

    from medlead.core.policy import Perm, can

    hr = make_user((Role.MEDICAL_STAFFING, trust))
    client = client_for(hr)
    text = "doctor,year,category,title,frequency,weekday,start,end\n1234567,2026,dcc,Clinic,weekly,monday,09:00,13:00\n"
    location = client.post(f"/t/{trust.code}/import/job_plans/", {"file": upload("plans.csv", text)})["Location"]
    batch = ImportBatch.objects.get()
    ImportBatch.objects.filter(pk=batch.pk).update(status="queued", updated_at=timezone.now())  # a worker lost it
    batch.refresh_from_db()
    assert not can(hr, Perm.RETRY_IMPORT, batch)  # not yet: it may still be running
    assert "Try again" not in client.get(location).content.decode()
    ImportBatch.objects.filter(pk=batch.pk).update(updated_at=timezone.now() - dt.timedelta(minutes=31))
    assert "Try again" in client.get(location).content.decode()
    client.post(location + "retry/")
    assert ImportBatch.objects.get(pk=batch.pk).status == "checked"
    with django_capture_on_commit_callbacks(execute=True):
        client.post(location + "confirm/")
    assert ImportBatch.objects.get(pk=batch.pk).status == "applied" and Activity.objects.count() == 1


def test_a_null_character_a_huge_cell_or_an_impossible_year_is_an_error_not_a_crash(trust: Trust, consultant) -> None:
    hr = make_user((Role.MEDICAL_STAFFING, trust))
    client = client_for(hr)
    header = "doctor,year,category,title,frequency,weekday,start,end\n"
    cases = {
        "null character": header + "1234567,2026,dcc,Cli\x00nic,weekly,monday,09:00,13:00\n",
        "is too long": header + f"1234567,2026,dcc,{'x' * 200_000},weekly,monday,09:00,13:00\n",
        "too long": header + f"1234567,2026,dcc,{'x' * 20_000},weekly,monday,09:00,13:00\n",
        "is not a year": header + "1234567,99999,dcc,Clinic,weekly,monday,09:00,13:00\n",
    }
    for reason, text in cases.items():
        page = client.post(f"/t/{trust.code}/import/job_plans/", {"file": upload("p.csv", text)}, follow=True)
        assert page.status_code == 200 and reason in page.content.decode(), reason
    assert not JobPlan.objects.exists()
    assert set(ImportBatch.objects.values_list("status", flat=True)) == {"invalid"}


def test_a_large_file_is_checked_by_a_worker_not_in_the_request(
    trust: Trust, settings, django_capture_on_commit_callbacks
) -> None:
    settings.MEDLEAD_IMPORT_INLINE_MAX_BYTES = 200  # this file is larger
    client = client_for(make_user((Role.MEDICAL_STAFFING, trust)))
    rows = "".join(f"First{i},Last{i},{7600000 + i},doctor,consultant\n" for i in range(20))

    with django_capture_on_commit_callbacks() as queued:
        response = client.post(
            f"/t/{trust.code}/import/people/",
            {"file": upload("big.csv", "first_name,last_name,gmc_number,kind,grade\n" + rows)},
        )
    waiting = client.get(response["Location"]).content.decode()
    batch = ImportBatch.objects.get()

    assert batch.status == "checking" and len(queued) == 1
    assert "medlead is checking it on its task queue" in waiting
    assert "Import 20 changes" not in waiting  # nothing to confirm yet
    queued[0]()  # the worker runs the check
    batch.refresh_from_db()
    assert (batch.status, batch.summary["creates"], batch.summary["errors"]) == ("checked", 20, [])
    assert "Import 20 changes" in client.get(response["Location"]).content.decode()
    from medlead.imports.tasks import check_import_batch

    assert check_import_batch(batch.pk) == "checked"  # a second delivery changes nothing
