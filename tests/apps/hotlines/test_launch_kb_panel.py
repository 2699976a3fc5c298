"""Launch control, knowledge-base search, the call panel, testing and export (R-HL-1, -3, -4, -6)."""

from __future__ import annotations

import io
import json
from datetime import date, timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from calldesk.apps.accounts.roles import Role
from calldesk.apps.audit.models import AuditEvent
from calldesk.apps.calls.models import Call
from calldesk.apps.hotlines import knowledge, services
from calldesk.apps.hotlines.models import Hotline, HotlineNumber, OperatorQualification
from calldesk.apps.hotlines.selectors import get_qualified_operator_ids

from .factories import make_version


def _login(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


@pytest.fixture
def launching(hotline_a):
    hotline_a.status = Hotline.Status.LAUNCHING
    hotline_a.planned_launch = date(2020, 1, 1)
    hotline_a.save()
    return hotline_a


def test_go_live_is_refused_with_the_missing_items(users, launching):
    # R-HL-3: the checklist gates going live and names what is missing.
    with pytest.raises(services.HotlineError) as refused:
        services.go_live(hotline_id=launching.pk, user=users[Role.CC_HEAD])
    codes = {e["code"] for e in refused.value.errors}
    assert {"APPROVED_VERSION", "NUMBERS_ATTACHED", "KNOWLEDGE_BASE", "OPERATORS_TRAINED"} <= codes
    launching.refresh_from_db()
    assert launching.status == Hotline.Status.LAUNCHING


def test_go_live_succeeds_when_the_checklist_is_complete(users, launching):
    # R-HL-3
    make_version(launching, status="approved")
    HotlineNumber.objects.create(hotline=launching, number="+78005550000")
    services.save_knowledge_entry(hotline_id=launching.pk, question="Сроки доставки?", answer="Два дня.", user=None)
    OperatorQualification.objects.create(operator=users[Role.OPERATOR], hotline=launching, passed_at=timezone.now(), score=90)
    services.go_live(hotline_id=launching.pk, user=users[Role.CC_HEAD])
    launching.refresh_from_db()
    assert launching.status == Hotline.Status.LIVE
    assert AuditEvent.objects.filter(action="hotline.went_live").exists()


def test_manager_list_shows_late_hotlines_and_what_is_missing(users, launching):
    # R-HL-3: the manager sees which hotlines are late and why.
    page = _login(users[Role.CC_HEAD]).get(reverse("hotlines:list")).content.decode()
    assert "late" in page and "Phone numbers attached: 0" in page


def test_go_live_button_reports_the_refusal(users, launching):
    # R-HL-3
    response = _login(users[Role.CC_HEAD]).post(reverse("hotlines:go_live", args=[launching.pk]), follow=True)
    assert "cannot go live yet" in response.content.decode()


def test_knowledge_base_search_finds_russian_word_forms(users, hotline_a, hotline_b):
    # R-HL-1: "доставке" finds an entry with "доставка"; other hotlines' entries stay out.
    services.save_knowledge_entry(hotline_id=hotline_a.pk, question="Как работает доставка?", answer="Курьером за два дня.", user=None)
    services.save_knowledge_entry(hotline_id=hotline_a.pk, question="Оплата", answer="Картой или наличными.", user=None)
    services.save_knowledge_entry(hotline_id=hotline_b.pk, question="Доставка", answer="Чужая линия.", user=None)
    found = knowledge.search(hotline_a.pk, "доставке")
    assert [e.question for e in found] == ["Как работает доставка?"]
    assert [e.question for e in knowledge.search(hotline_a.pk, "оплатой картами")] == ["Оплата"]
    assert knowledge.search(hotline_a.pk, "возврат") == []


def test_edited_and_deleted_entries_leave_the_index(users, hotline_a):
    # R-HL-1: the index follows edits.
    entry = services.save_knowledge_entry(hotline_id=hotline_a.pk, question="Доставка", answer="Да", user=None)
    services.save_knowledge_entry(hotline_id=hotline_a.pk, entry_id=entry.pk, question="Гарантия", answer="Год", user=None)
    assert knowledge.search(hotline_a.pk, "доставки") == []
    assert knowledge.search(hotline_a.pk, "гарантии") == [entry]
    services.delete_knowledge_entry(hotline_id=hotline_a.pk, entry_id=entry.pk, user=None)
    assert knowledge.search(hotline_a.pk, "гарантии") == []


def test_operator_searches_the_knowledge_base_from_the_screen(users, hotline_a):
    # R-HL-1
    services.save_knowledge_entry(hotline_id=hotline_a.pk, question="Доставка", answer="Курьером", user=None)
    page = _login(users[Role.OPERATOR]).get(reverse("hotlines:kb_search", args=[hotline_a.pk]), {"q": "доставку"})
    assert "Курьером" in page.content.decode()


@pytest.fixture
def call(hotline_a):
    return Call.objects.create(hotline=hotline_a, number="+79031234567", offered_at=timezone.now())


def test_call_panel_saves_the_form_with_the_serving_version(users, hotline_a, call):
    # R-HL-1, R-HL-2: the form is saved on the call with the spec version that served it.
    make_version(hotline_a, status="approved", effective_from=timezone.now() - timedelta(days=1))
    c = _login(users[Role.OPERATOR])
    page = c.get(reverse("hotlines:call_panel", args=[call.pk])).content.decode()
    assert 'name="name"' in page and "Доставка" in page
    response = c.post(reverse("hotlines:call_panel", args=[call.pk]), {"topic": "delivery", "name": "Иван", "city": "Казань", "qty": "3"})
    assert "saved on the call" in response.content.decode()
    call.refresh_from_db()
    assert call.form_data == {"name": "Иван", "city": "Казань", "qty": "3"}
    assert call.spec_version == 1 and call.topic == "delivery"


def test_call_panel_enforces_required_fields(users, hotline_a, call):
    # R-HL-1: required fields are enforced; nothing is saved.
    make_version(hotline_a, status="approved", effective_from=timezone.now() - timedelta(days=1))
    response = _login(users[Role.OPERATOR]).post(reverse("hotlines:call_panel", args=[call.pk]), {"topic": "delivery", "city": "Рим"})
    body = response.content.decode()
    assert "Имя is required." in body and "not one of the choices" in body
    call.refresh_from_db()
    assert call.form_data == {} and call.spec_version is None


def test_another_operators_call_is_forbidden(users, hotline_a, call):
    # R-OPS-1: an operator fills only its own calls.
    call.operator = users[Role.ACCOUNT_MANAGER]
    call.save()
    assert _login(users[Role.OPERATOR]).get(reverse("hotlines:call_panel", args=[call.pk])).status_code == 403


def test_only_operators_who_passed_are_qualified(users, hotline_a):
    # R-HL-4: a scored test call; a pass qualifies, a fail does not (and revokes).
    make_version(hotline_a, status="approved")
    operator = users[Role.OPERATOR]
    version, sheet = services.get_test_sheet(hotline_a)
    services.record_operator_test(hotline_id=hotline_a.pk, operator_id=operator.pk, marks={c.code: 1 for c in sheet.criteria}, tester=users[Role.CC_HEAD])
    assert get_qualified_operator_ids(hotline_a.pk) == {operator.pk}
    services.record_operator_test(hotline_id=hotline_a.pk, operator_id=operator.pk, marks={}, tester=users[Role.CC_HEAD])
    assert get_qualified_operator_ids(hotline_a.pk) == set()


def test_training_is_assigned_and_marked_done(users, hotline_a):
    # R-HL-4
    operator = users[Role.OPERATOR]
    _login(users[Role.CC_HEAD]).post(reverse("hotlines:training", args=[hotline_a.pk]), {"operators": [operator.pk]})
    assignment = operator.hotline_trainings.get()
    _login(operator).post(reverse("hotlines:my_training"), {"assignment": assignment.pk})
    assignment.refresh_from_db()
    assert assignment.done_at is not None


def test_tester_scores_a_test_call_on_the_sheet(users, hotline_a):
    # R-HL-4
    make_version(hotline_a, status="approved")
    c = _login(users[Role.CC_HEAD])
    _version, sheet = services.get_test_sheet(hotline_a)
    data = {"operator": users[Role.OPERATOR].pk, **{f"mark_{cr.code}": "1" for cr in sheet.criteria}}
    assert c.post(reverse("hotlines:test", args=[hotline_a.pk]), data).status_code == 302
    assert OperatorQualification.objects.filter(hotline=hotline_a, operator=users[Role.OPERATOR]).exists()


@pytest.mark.parametrize("lang", ["ru", "en"])
def test_spec_exports_as_pdf_and_docx(users, hotline_a, lang):
    # R-HL-6: PDF and DOCX from a version, in Russian or English.
    import docx

    make_version(hotline_a, status="approved")
    c = _login(users[Role.CC_HEAD])
    pdf = c.get(reverse("hotlines:export", args=[hotline_a.pk, 1, "pdf"]), {"lang": lang})
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF") and b"DejaVu" in pdf.content
    word = c.get(reverse("hotlines:export", args=[hotline_a.pk, 1, "docx"]), {"lang": lang})
    document = docx.Document(io.BytesIO(word.content))
    assert "Доставка" in "\n".join(p.text for p in document.paragraphs)
    # The 'required' column uses Yes/No, which Django already translates, so the language shows there
    # before our catalogue is translated.
    assert document.tables[0].rows[1].cells[3].text == {"ru": "Да", "en": "Yes"}[lang]


def test_api_refuses_bad_specs_with_detail_and_errors(users, hotline_a):
    # R-HL-1: 4xx JSON with `detail` and `errors`; nothing saved.
    c = _login(users[Role.CC_HEAD])
    url = f"/api/hotlines/{hotline_a.pk}/draft"
    bad = c.put(url, data="{not json", content_type="application/json")
    assert bad.status_code == 400 and "detail" in bad.json()
    from calldesk.domain.hotlines import spec_to_dict

    from .factories import good_spec

    spec = spec_to_dict(good_spec())
    spec["fields"][1]["choices"] = []
    refused = c.put(url, data=json.dumps(spec), content_type="application/json")
    assert refused.status_code == 400 and refused.json()["errors"][0]["code"] == "MISSING_CHOICES"
    ok = c.put(url, data=json.dumps(spec_to_dict(good_spec())), content_type="application/json")
    assert ok.status_code == 200 and ok.json()["number"] == 1
    live = c.post(f"/api/hotlines/{hotline_a.pk}/go-live")
    assert live.status_code == 409  # hotline_a is already live
    assert _login(users[Role.OPERATOR]).put(url, data="{}", content_type="application/json").status_code == 403
