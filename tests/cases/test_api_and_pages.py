"""The API (422 field errors, idempotent re-sends) and the pages (list, form, case page)."""

import uuid

from django.urls import reverse
from django_scopes import scopes_disabled

from zaireen.cases.models import Case, CaseEvent
from zaireen.cases.services import CaseInput, case_open


def test_the_api_opens_once_per_request_id_and_answers_field_errors(people, client):
    w = people
    client.force_login(w.leaders[0])
    request_id = str(uuid.uuid4())
    body = {"member": str(w.missing.uid), "request_id": request_id, "pole": 578,
            "description": "White cap"}  # fmt: skip
    first = client.post("/api/v1/cases", body, content_type="application/json")
    assert first.status_code == 201, first.content
    again = client.post("/api/v1/cases", body, content_type="application/json")
    assert again.status_code == 200 and again.json()["id"] == first.json()["id"]
    case = first.json()
    assert case["state"] == "reported" and case["pole"] == 578
    assert case["pole_position"]["pole"] == 578 and 31 < case["pole_position"]["lat"] < 33
    assert [e["kind"] for e in case["events"]] == ["opened"]
    wrong = {"member": str(w.members[3].uid), "pole": 5000, "phone": "12"}
    bad = client.post("/api/v1/cases", wrong, content_type="application/json")
    assert bad.status_code == 422
    assert set(bad.json()["errors"]) == {"pole", "phone"}
    url = f"/api/v1/cases/{case['id']}/transition"
    illegal = client.post(url, {"state": "deceased", "note": "x"}, content_type="application/json")
    assert illegal.status_code == 422 and "state" in illegal.json()["errors"]
    step = {"state": "searching", "request_id": str(uuid.uuid4())}
    assert client.post(url, step, content_type="application/json").status_code == 200
    moved = client.post(url, step, content_type="application/json")
    assert moved.status_code == 200 and moved.json()["state"] == "searching"
    assert [e["kind"] for e in moved.json()["events"]] == ["opened", "state"]
    listed = client.get("/api/v1/cases", {"state": "searching"}).json()
    assert listed["count"] == 1 and listed["items"][0]["reference"].startswith("MP-")
    assert client.get("/api/v1/cases", {"state": "closed"}).json()["count"] == 0
    client.force_login(w.other_staff)
    assert client.get(f"/api/v1/cases/{case['id']}").status_code == 404
    assert client.post(url, {"note": "x"}, content_type="application/json").status_code == 404


def test_the_pages_open_a_case_show_its_timeline_and_refuse_an_illegal_step(people, client):
    w = people
    client.force_login(w.staff)
    form = client.get(reverse("cases:open"), {"member": str(w.missing.uid)})
    assert form.status_code == 200
    html = form.content.decode()
    assert w.missing.profile.full_name in html and "Tell the next of kin" in html
    request_id = form.context["form"].initial["request_id"]
    data = {"member": str(w.missing.uid), "pole": "578", "description": "Grey beard",
            "request_id": str(request_id)}  # fmt: skip
    response = client.post(reverse("cases:open"), data)
    with scopes_disabled():
        case = Case.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "cases:detail", args=[case.uid]
    )
    client.post(reverse("cases:open"), data)  # a double submit opens nothing more
    with scopes_disabled():
        assert Case.objects.count() == 1
    bad = client.post(reverse("cases:open"), {**data, "pole": "9999", "request_id": ""})
    assert bad.status_code == 422 and "there are poles 1 to 1452" in bad.content.decode()
    page = client.get(reverse("cases:detail", args=[case.uid])).content.decode()
    assert "Grey beard" in page and "pole 578 on the Najaf–Karbala road" in page
    assert "Reported" in page and "cases.opened" in page
    refused = client.post(reverse("cases:update", args=[case.uid]), {"state": "closed"})
    assert refused.status_code == 422 and "say what happened" in refused.content.decode()
    moved = client.post(reverse("cases:update", args=[case.uid]), {"state": "searching"})
    assert moved.status_code == 302
    client.post(reverse("cases:kin", args=[case.uid]), {"tell": "1"})
    case.refresh_from_db()
    assert case.state == "searching" and case.tell_next_of_kin
    with scopes_disabled():
        assert list(CaseEvent.objects.filter(case=case).values_list("kind", flat=True)) == [
            "opened", "state", "kin"]  # fmt: skip


def test_the_leaders_form_has_no_next_of_kin_choice_and_lists_only_their_trip(people, client):
    w = people
    client.force_login(w.leaders[1])
    html = client.get(reverse("cases:open")).content.decode()
    assert "Tell the next of kin" not in html
    assert w.missing.profile.full_name in html


def test_the_list_filters_searches_and_stays_within_a_fixed_number_of_queries(
    people, client, django_assert_max_num_queries
):
    w = people
    for member in w.members[2:5]:
        case_open(actor=w.staff, member_uid=member.uid, data=CaseInput())
    client.force_login(w.consul)
    with django_assert_max_num_queries(12):
        page = client.get(reverse("cases:list"))
    assert page.status_code == 200
    assert page.content.decode().count("MP-") == 3
    name = w.members[3].profile.given_names
    found = client.get(reverse("cases:list"), {"q": name, "state": "open"}).content.decode()
    assert found.count("MP-") == 1
    none = client.get(reverse("cases:list"), {"state": "closed"}).content.decode()
    assert "No case matches" in none
