"""The audit, through the test client with no JavaScript: save, actions, submit, conflicts, drafts, permissions."""

import datetime
import io
import time

import pytest
from docx import Document

from models import Action, Audit, Case, DomainJudgement, Draft, Event, Team
from services.dates import uk_today
from services.working_days import add_working_days
from tests.conftest import PASSWORD, date_parts

FUTURE = add_working_days(uk_today(), 15)


def audit_form(audit, grade="good", overall="good", **changes):
    """Everything the audit form posts, filled in as an auditor would."""
    data = {
        "version": str(audit.version),
        "period_start": date_parts(audit.period_start),
        "period_end": date_parts(audit.period_end),
        "about_child": "A seven year old who lives with her grandmother.",
        "discussion_on": date_parts(uk_today() - datetime.timedelta(days=2)),
        "discussion_minutes": "75",
        "practitioner_view": "Agrees with the grades.",
        "practitioner_differently": "Would have updated the chronology sooner.",
        "immediate_concern": "no",
        "supervised_recently": "yes",
        "overall_grade": overall,
        "overall_rationale": "Steady progress, with drift in the plan.",
        "grade_gap_reason": "",
    }
    for index, domain in enumerate(audit.template.ordered_domains):
        data[f"domains-{index}-grade"] = grade
        data[f"domains-{index}-evidence"] = f"Evidence for {domain.name}"
        data[f"domains-{index}-so_what"] = f"So what for {domain.name}"
    return data | changes


def action_form(
    what="Update the case summary with the contingency plan and who holds parental responsibility", **changes
):
    return {
        "what": what,
        "owner_name": "Sam Worker",
        "owner_role": "Social Worker",
        "due_on": date_parts(FUTURE),
        "done_when": "The summary on the record shows it",
    } | changes


def test_an_auditor_completes_and_submits_an_audit_without_javascript(client, audit):
    page = client.get(f"/audits/{audit.id}").get_data(as_text=True)
    assert "1. Help, Protection and Stability" in page and "7. Impact and Overall Outcomes" in page
    assert "What good looks like" in page and "What difference has this made to the child?" in page
    assert (
        '<legend class="govuk-fieldset__legend govuk-fieldset__legend--s">' in page and "Grade for Assessment" in page
    )
    import html5lib

    document = html5lib.parse(page, namespaceHTMLElements=False)
    labels = [
        " ".join(label.itertext()).strip()
        for label in document.iter("label")
        if label.get("for", "").startswith("domains-0-grade")
    ]
    assert labels == ["Outstanding", "Good", "Requires Improvement to be Good", "Inadequate"]

    response = client.post(
        f"/audits/{audit.id}", data=audit_form(audit, overall="requires-improvement", grade="requires-improvement")
    )
    assert response.status_code == 303
    assert "Audit saved" in client.get(response.headers["Location"]).get_data(as_text=True)
    saved = Audit.get_by_id(audit.id)
    assert saved.status == "in-progress" and saved.version == 2 and saved.discussion_minutes == 75
    assert DomainJudgement.select().where(DomainJudgement.audit == audit).count() == 7

    for number in (1, 2):
        response = client.post(
            f"/audits/{audit.id}/actions/new", data=action_form(what=action_form()["what"] + f" ({number})")
        )
        assert response.status_code == 303
    assert Action.select().where(Action.audit == audit).count() == 2

    response = client.post(
        f"/audits/{audit.id}",
        data=audit_form(saved, overall="requires-improvement", grade="requires-improvement", submit_audit="y"),
    )
    assert response.status_code == 303
    done = Audit.get_by_id(audit.id)
    assert done.status == "submitted" and done.submitted_at.date() == uk_today() and done.submitted_on_time
    page = client.get(f"/audits/{audit.id}").get_data(as_text=True)
    assert "Audit submitted" in page and 'id="audit-form"' not in page and "on time" in page
    assert "Evidence for Assessment" in page

    note = client.get(f"/audits/{audit.id}/case-note.txt")
    text = note.get_data(as_text=True)
    assert note.mimetype == "text/plain" and "Overall judgement: Requires Improvement to be Good" in text
    assert "1. Update the case summary" in text and "2. Update the case summary" in text
    assert f"   By: {FUTURE:%d/%m/%Y}" in text
    assert note.headers["Content-Disposition"] == f"attachment; filename=case-note-{audit.case.reference}.txt"


@pytest.mark.parametrize("kind", ["record", "action-plan", "case-note"])
def test_each_word_document_downloads_and_opens(client, audit, kind):

    response = client.get(f"/audits/{audit.id}/{kind}.docx")
    assert response.status_code == 200 and response.mimetype.endswith("wordprocessingml.document")
    assert response.headers["Content-Disposition"] == f"attachment; filename={kind}-{audit.case.reference}.docx"
    assert audit.case.reference in Document(io.BytesIO(response.data)).sections[0].header.paragraphs[0].text


def test_submitting_an_incomplete_audit_lists_every_problem_linked_to_its_field(client, audit):
    data = audit_form(audit, overall="inadequate", grade="good", submit_audit="y")
    data["domains-2-grade"] = ""
    data["domains-4-so_what"] = ""
    body = client.post(f"/audits/{audit.id}", data=data).get_data(as_text=True)
    assert "There is a problem" in body and "<title>Error: " in body
    assert 'href="#domains-2-grade"' in body and "Select a grade for Assessment" in body
    assert 'href="#domains-4-so_what"' in body
    assert "Add at least one action: an audit graded Inadequate must set out what will improve" in body
    assert Audit.get_by_id(audit.id).status == "in-progress", "the draft is saved even though it could not be submitted"


def test_submitting_needs_the_practitioner_discussion_or_why_it_did_not_happen(client, audit):
    data = audit_form(audit, submit_audit="y", discussion_on=["", "", ""], discussion_minutes="")
    body = client.post(f"/audits/{audit.id}", data=data).get_data(as_text=True)
    message = "Enter the date of the discussion with the practitioner and how long it took, or why it did not happen"
    assert f'<a href="#discussion_on-day">{message}</a>' in body
    assert 'id="discussion_on-error"' in body, "the message is beside the date too"
    assert Audit.get_by_id(audit.id).status == "in-progress"
    data |= {"version": "2", "discussion_not_held": "The worker was on long-term sick leave; her manager was seen."}
    assert client.post(f"/audits/{audit.id}", data=data).status_code == 303
    submitted = Audit.get_by_id(audit.id)
    assert submitted.status == "submitted" and submitted.discussion_not_held.startswith("The worker was on")
    record = client.get(f"/audits/{audit.id}").get_data(as_text=True)
    assert "Why it did not happen" in record and "long-term sick leave" in record
    document = Document(io.BytesIO(client.get(f"/audits/{audit.id}/record.docx").data))
    assert "Why the discussion did not happen" in [paragraph.text for paragraph in document.paragraphs]


def test_an_overall_grade_two_steps_above_the_worst_domain_must_be_confirmed_and_explained(client, audit):
    data = audit_form(audit, grade="good", overall="outstanding", submit_audit="y")
    data["domains-3-grade"] = "requires-improvement"
    body = client.post(f"/audits/{audit.id}", data=data).get_data(as_text=True)
    assert "Explain why the overall judgement is 2 grades better than the lowest domain grade" in body
    assert "Confirm that the overall judgement is right" in body
    data |= {"version": "2", "grade_gap_reason": "The drift was historic and resolved.", "confirm_grade_gap": "y"}
    assert client.post(f"/audits/{audit.id}", data=data).status_code == 303
    assert Audit.get_by_id(audit.id).status == "submitted"


def test_a_save_based_on_an_older_version_is_refused_and_shows_both_texts(client, audit):
    first = audit_form(audit, overall_rationale="Written in the first tab.")
    assert client.post(f"/audits/{audit.id}", data=first).status_code == 303
    second = audit_form(audit, overall_rationale="Written in the second tab.")
    response = client.post(f"/audits/{audit.id}", data=second)
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Someone else saved this audit after you opened it" in body
    assert "Written in the first tab." in body and "Written in the second tab." in body
    assert Audit.get_by_id(audit.id).overall_rationale == "Written in the first tab."
    assert 'id="audit-form" hx-post' not in body, "after a conflict only the Save button saves"
    assert 'name="version" type="hidden" value="2"' in body
    assert client.post(f"/audits/{audit.id}", data={**second, "version": "2"}).status_code == 303
    assert Audit.get_by_id(audit.id).overall_rationale == "Written in the second tab."


def test_an_htmx_save_answers_with_the_new_version_and_the_time_without_moving_anything(client, audit):
    response = client.post(f"/audits/{audit.id}", data=audit_form(audit), headers={"HX-Request": "true"})
    body = response.get_data(as_text=True)
    assert response.status_code == 200 and "<html" not in body
    assert '<input hx-swap-oob="true" id="audit-version" name="version" type="hidden" value="2">' in body
    assert "Saved at " in body
    stale = client.post(
        f"/audits/{audit.id}", data=audit_form(audit, about_child="Other"), headers={"HX-Request": "true"}
    )
    text = stale.get_data(as_text=True)
    assert "Not saved: someone else saved this audit" in text
    # The page now holds the saved version, so one press of Save replaces it, and its autosaves are held.
    assert 'id="audit-version" name="version" type="hidden" value="2"' in text
    assert 'name="autosave_held"' in text
    held = audit_form(audit, about_child="Other, typed on", version="2", autosave_held="1")
    typed_on = client.post(f"/audits/{audit.id}", data=held, headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "Not saved: someone else saved this audit" in typed_on and "Other, typed on" in typed_on
    assert Audit.get_by_id(audit.id).about_child != "Other, typed on"
    assert client.post(f"/audits/{audit.id}", data=held).status_code == 303, "Save replaces it"
    assert Audit.get_by_id(audit.id).about_child == "Other, typed on"


@pytest.mark.app_config(SESSION_IDLE_MINUTES=30)
def test_text_typed_after_the_session_timed_out_is_back_after_signing_in(client, audit, auditor):
    with client.session_transaction() as session:
        session["last_seen"] = time.time() - 41 * 60
    typed = audit_form(audit, about_child="Forty minutes of careful writing about the child.")
    response = client.post(
        f"/audits/{audit.id}", data=typed, headers={"Referer": f"http://localhost/audits/{audit.id}"}
    )
    assert response.status_code == 302 and response.headers["Location"] == f"/sign-in?next=/audits/{audit.id}"
    assert Draft.select().count() == 1 and Audit.get_by_id(audit.id).about_child == ""

    response = client.post(f"/sign-in?next=/audits/{audit.id}", data={"email": auditor.email, "password": PASSWORD})
    assert response.headers["Location"] == f"/audits/{audit.id}"
    page = client.get(f"/audits/{audit.id}").get_data(as_text=True)
    assert "Forty minutes of careful writing about the child." in page
    assert "What you had typed has been put back in the form below" in page
    assert client.post(f"/audits/{audit.id}", data=typed).status_code == 303
    assert Audit.get_by_id(audit.id).about_child.startswith("Forty minutes") and Draft.select().count() == 0


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"discussion_on": ["31", "2", "2026"]}, "Date of the discussion must be a real date"),
        ({"discussion_on": ["1", "1", "2999"]}, "Date of the discussion must be today or in the past"),
        ({"period_start": ["", "", ""]}, "Enter the start of the period audited"),
        ({"period_end": ["1", "1", "2000"]}, "The end of the period audited must be after its start"),
        ({"discussion_minutes": "an hour"}, "How long the discussion took must be a number of minutes, like 60"),
        ({"discussion_minutes": "9000"}, "Enter a length between 1 and 600 minutes"),
        ({"domains-0-grade": "brilliant"}, "Select a grade from the list"),
        ({"overall_grade": "<script>"}, "Select the overall judgement from the list"),
        ({"immediate_concern": "maybe"}, "Select yes or no"),
        ({"domains-1-evidence": "x" * 20_001}, "Evidence for Recording and Communication must be 20,000 characters"),
    ],
)
def test_bad_input_is_explained_beside_the_field_and_nothing_is_saved(client, audit, changes, message):
    response = client.post(f"/audits/{audit.id}", data=audit_form(audit, **changes))
    body = response.get_data(as_text=True)
    assert response.status_code == 200 and message in body and 'class="govuk-error-message"' in body
    assert Audit.get_by_id(audit.id).version == 1 and DomainJudgement.select().count() == 0


def test_markup_typed_into_the_audit_is_shown_escaped(client, audit):
    client.post(f"/audits/{audit.id}", data=audit_form(audit, about_child='<script>alert(1)</script>" onmouseover="x'))
    body = client.get(f"/audits/{audit.id}").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in body and "&lt;script&gt;alert(1)&lt;/script&gt;" in body


def test_another_auditor_can_neither_open_save_nor_submit_it(client, auditor, make_audit, make_user):
    theirs = make_audit(auditor=make_user(roles=("auditor",)))
    assert client.get(f"/audits/{theirs.id}").status_code == 403
    assert client.post(f"/audits/{theirs.id}", data=audit_form(theirs)).status_code == 403
    assert client.post(f"/audits/{theirs.id}", data=audit_form(theirs, submit_audit="y")).status_code == 403
    assert client.get(f"/audits/{theirs.id}/record.docx").status_code == 403
    assert client.post(f"/audits/{theirs.id}/actions/new", data=action_form()).status_code == 403
    assert Audit.get_by_id(theirs.id).version == 1 and Action.select().count() == 0


def test_a_submitted_audit_cannot_be_changed(client, audit):
    action = Action.create(audit=audit, **{k: v for k, v in action_form().items() if k != "due_on"}, due_on=FUTURE)
    Audit.update(status="submitted").where(Audit.id == audit.id).execute()
    assert client.post(f"/audits/{audit.id}", data=audit_form(audit)).status_code == 200
    assert client.get(f"/audits/{audit.id}/actions/new").status_code == 403
    assert client.post(f"/audits/{audit.id}/actions/{action.id}/remove").status_code == 403
    typed = "Arrange a family group meeting, typed in a tab opened before"
    added = client.post(f"/audits/{audit.id}/actions/new", data=action_form(what=typed)).get_data(as_text=True)
    assert "This audit has been submitted" in added and typed in added
    assert Action.select().count() == 1 and Audit.get_by_id(audit.id).version == 1


@pytest.mark.parametrize("with_htmx", [False, True], ids=["javascript-off", "autosave"])
def test_a_save_from_a_tab_opened_before_submission_shows_the_typed_text_back(client, audit, with_htmx):
    opened = audit_form(audit)
    client.post(f"/audits/{audit.id}", data=opened)
    Audit.update(status="submitted").where(Audit.id == audit.id).execute()
    typed = opened | {"version": "2", "domains-2-evidence": "Written in the old tab.\nTwo paragraphs of it."}
    response = client.post(f"/audits/{audit.id}", data=typed, headers={"HX-Request": "true"} if with_htmx else {})
    body = response.get_data(as_text=True)
    assert response.status_code == 200 and "This audit was submitted after you opened this page" in body
    assert "Evidence for " in body and "Written in the old tab.\nTwo paragraphs of it." in body
    assert "Saved at" not in body
    if with_htmx:
        assert "Not saved: this audit was submitted after you opened this page" in body
    saved = Audit.get_by_id(audit.id)
    assert saved.version == 2 and "old tab" not in saved.judgements()[2].evidence


def test_an_audit_page_names_its_case_in_the_title_and_heading(client, audit):
    page = client.get(f"/audits/{audit.id}").get_data(as_text=True)
    assert f"<title>Audit of case {audit.case.reference} – Case file audit – " in page
    assert f'<h1 class="govuk-heading-l">Audit of case {audit.case.reference}</h1>' in page


def test_a_qa_officer_reads_an_audit_but_cannot_change_it(app, client, audit, make_user):
    from tests.conftest import sign_in_client

    sign_in_client(client, make_user(roles=("qa-officer",)))
    page = client.get(f"/audits/{audit.id}").get_data(as_text=True)
    assert f"Audit of case {audit.case.reference}" in page and 'id="audit-form"' not in page
    assert client.post(f"/audits/{audit.id}", data=audit_form(audit)).status_code == 403


def test_a_vague_action_is_challenged_and_can_be_overruled(client, audit):
    body = client.post(f"/audits/{audit.id}/actions/new", data=action_form(what="Update case summary")).get_data(
        as_text=True
    )
    assert "This action may be too vague to act on" in body and "I have checked: this action is specific enough" in body
    assert Action.select().count() == 0
    response = client.post(
        f"/audits/{audit.id}/actions/new", data=action_form(what="Update case summary", vague_confirmed="y")
    )
    assert response.status_code == 303 and Action.get().vague_confirmed


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"what": ""}, "Enter what needs to happen"),
        ({"owner_name": ""}, "Enter the name of the person who will do it"),
        ({"owner_role": ""}, "Enter their role"),
        ({"due_on": ["", "", ""]}, "Enter the date it must be done by"),
        ({"due_on": date_parts(uk_today())}, "By when must be a date after today"),
        ({"due_on": ["30", "2", "2030"]}, "By when must be a real date"),
        ({"done_when": " "}, "Enter how we will know it is done"),
    ],
)
def test_bad_action_input_is_explained_and_nothing_is_saved(client, audit, changes, message):
    body = client.post(f"/audits/{audit.id}/actions/new", data=action_form(**changes)).get_data(as_text=True)
    assert message in body and Action.select().count() == 0


def test_actions_can_be_changed_and_removed(client, audit):
    client.post(f"/audits/{audit.id}/actions/new", data=action_form())
    action = Action.get()
    response = client.post(
        f"/audits/{audit.id}/actions/{action.id}/edit", data=action_form(owner_name="Kit Keeper", version="1")
    )
    assert response.status_code == 303 and Action.get_by_id(action.id).owner_name == "Kit Keeper"
    change = client.get(f"/audits/{audit.id}/actions/{action.id}/edit").get_data(as_text=True)
    assert f'<h1 class="govuk-heading-l">Change an action of the audit of case {audit.case.reference}</h1>' in change
    new = client.get(f"/audits/{audit.id}/actions/new").get_data(as_text=True)
    assert f'<h1 class="govuk-heading-l">Add an action to the audit of case {audit.case.reference}</h1>' in new
    remove = client.get(f"/audits/{audit.id}/actions/{action.id}/remove").get_data(as_text=True)
    assert f"Remove this action from the audit of case {audit.case.reference}?" in remove
    assert client.post(f"/audits/{audit.id}/actions/{action.id}/remove").status_code == 303
    assert Action.select().count() == 0
    assert [e.action for e in Event.select().where(Event.record_type == "Action").order_by(Event.id)] == [
        "created",
        "changed",
        "removed",
    ]


def test_an_action_added_with_htmx_returns_the_actions_list(client, audit):
    response = client.post(f"/audits/{audit.id}/actions/new", data=action_form(), headers={"HX-Request": "true"})
    assert response.headers["HX-Retarget"] == "#actions" and "Action 1" in response.get_data(as_text=True)
    bad = client.post(f"/audits/{audit.id}/actions/new", data=action_form(what=""), headers={"HX-Request": "true"})
    assert "HX-Retarget" not in bad.headers and "Enter what needs to happen" in bad.get_data(as_text=True)


def test_the_immediate_response_warning_shows_when_needed(client, audit):
    client.post(f"/audits/{audit.id}", data=audit_form(audit, supervised_recently="no"))
    assert "An Immediate Response is needed" in client.get(f"/audits/{audit.id}").get_data(as_text=True)


def test_the_list_of_all_audits_filters_and_keeps_its_query_count(client, make_audit, make_user, count_queries):
    from tests.conftest import sign_in_client

    sign_in_client(client, make_user(roles=("qa-officer",)))
    template_audit = make_audit()

    def add(count):
        team = Team.get_by_id(template_audit.case.team_id)
        cases = [
            {
                "reference": f"BULK-{count}-{n}",
                "initials": "AB",
                "birth_year": 2015,
                "team": team,
                "worker_name": "W",
                "opened_on": uk_today(),
                "is_open": True,
            }
            for n in range(count)
        ]
        Case.insert_many(cases).execute()
        Audit.insert_many(
            [
                {
                    "case": case,
                    "auditor": template_audit.auditor_id,
                    "allocated_by": template_audit.allocated_by_id,
                    "due_on": FUTURE,
                    "template": template_audit.template_id,
                    "period_start": uk_today(),
                    "period_end": uk_today(),
                }
                for case in Case.select().where(Case.reference.startswith(f"BULK-{count}-"))
            ]
        ).execute()

    add(9)
    few = count_queries(lambda: client.get("/audits"))
    add(490)
    many = count_queries(lambda: client.get("/audits"))
    assert few == many
    other = make_audit(
        status="submitted",
        allocated_at=datetime.datetime(2025, 3, 4, 10, 0),
        submitted_at=datetime.datetime(2025, 3, 20, 10, 0),
        audit_type="themed",
    )
    assert "Showing 1 to 25 of 501 audits" in client.get("/audits").get_data(as_text=True)
    assert "of 500 audits" in client.get(f"/audits?team={template_audit.case.team_id}").get_data(as_text=True)
    only_other = [
        "/audits?status=submitted",
        f"/audits?team={other.case.team_id}",
        f"/audits?auditor={other.auditor_id}",
        "/audits?from_month=2025-03&to_month=2025-03",
        "/audits?from_month=2025-01&to_month=2025-04&submitted=yes",
        "/audits?audit_type=themed",
    ]
    overdue = make_audit(due_on=uk_today() - datetime.timedelta(days=1))
    body = client.get("/audits?overdue=yes").get_data(as_text=True)
    assert "Showing 1 audit</p>" in body and overdue.case.reference in body
    for url in only_other:
        body = client.get(url).get_data(as_text=True)
        assert "Showing 1 audit" in body and other.case.reference in body, url
        assert "There is a problem" not in body, f"{url}: a filter left blank, or chosen, is no error"
    refused = client.get("/audits?status=submitted&from_month=2026-13").get_data(as_text=True)
    assert "Enter the allocated from month as a year and month" in refused and "<title>Error: Audits" in refused
    assert "Showing 1 audit" in refused, "the status filter still applies"


def test_choosing_another_template_changes_new_audits_but_never_old_ones(client, make_user, make_audit, make_case):
    from models import AuditTemplate
    from tests.conftest import sign_in_client

    qa = make_user(roles=("qa-officer",))
    sign_in_client(client, qa)
    old = make_audit()
    bradford = AuditTemplate.get(AuditTemplate.name == "Bradford key elements of practice")
    page = client.get("/admin/audit-templates").get_data(as_text=True)
    assert "Sefton practice domains, version 1 (used for new audits)" in page and "Engaging the family" in page
    assert client.post("/admin/audit-templates", data={"template": bradford.id}).status_code == 303
    assert AuditTemplate.current() == bradford
    case = make_case()
    auditor = make_user(roles=("auditor",))
    due = date_parts(add_working_days(uk_today(), 20))
    assert (
        client.post(f"/cases/{case.id}/allocate-audit", data={"auditor": auditor.id, "due_on": due}).status_code == 303
    )
    new = Audit.get(Audit.case == case)
    assert len(new.judgements()) == 9 and new.judgements()[0].domain.name == "Identifying and reducing risk and need"
    assert Audit.get_by_id(old.id).template.name == "Sefton practice domains" and len(old.judgements()) == 7
    assert client.post("/admin/audit-templates", data={"template": "999"}).status_code == 200


def test_actions_are_changed_and_removed_in_place_with_htmx(client, audit):
    client.post(f"/audits/{audit.id}/actions/new", data=action_form())
    action = Action.get()
    hx = {"HX-Request": "true"}
    form = client.get(f"/audits/{audit.id}/actions/{action.id}/edit", headers=hx).get_data(as_text=True)
    assert (
        "<html" not in form
        and "Change the action" in form
        and f'hx-post="/audits/{audit.id}/actions/{action.id}/edit"' in form
    )
    changed = client.post(
        f"/audits/{audit.id}/actions/{action.id}/edit", data=action_form(owner_name="Kit", version="1"), headers=hx
    )
    assert changed.headers["HX-Retarget"] == "#actions" and "Action saved. There is 1 action." in changed.get_data(
        as_text=True
    )
    ask = client.get(f"/audits/{audit.id}/actions/{action.id}/remove", headers=hx).get_data(as_text=True)
    assert "Remove this action?" in ask and "<html" not in ask
    removed = client.post(f"/audits/{audit.id}/actions/{action.id}/remove", headers=hx)
    assert "Action removed. There are 0 actions." in removed.get_data(as_text=True) and Action.select().count() == 0


def test_a_submit_refused_only_for_a_domain_says_so_and_is_not_submitted(client, audit):
    data = audit_form(audit, submit_audit="y")
    data["domains-5-so_what"] = ""
    response = client.post(f"/audits/{audit.id}", data=data)
    body = response.get_data(as_text=True)
    assert response.status_code == 200 and "Audit saved" not in body
    assert 'href="#domains-5-so_what"' in body and "The Role of Supervision and Management Oversight" in body
    assert Audit.get_by_id(audit.id).status == "in-progress"
    # What the refused submit saved is not also kept as a draft, which would offer the older version back.
    assert Draft.select().count() == 0
    page = client.get(f"/audits/{audit.id}").get_data(as_text=True)
    assert "has been put back in the form" not in page
    again = client.post(f"/audits/{audit.id}", data=data | {"version": "2", "submit_audit": ""})
    assert again.status_code == 303 and Audit.get_by_id(audit.id).version == 2


def test_refused_autosaves_of_one_draft_are_logged_once(client, audit):
    typed = audit_form(audit, discussion_on=["31", "2", ""])
    for _ in range(3):
        client.post(f"/audits/{audit.id}", data=typed, headers={"HX-Request": "true"})
    assert Draft.select().count() == 1
    assert Event.select().where(Event.action == "kept a draft").count() == 1


@pytest.mark.app_config(SESSION_IDLE_MINUTES=30)
def test_an_action_typed_after_the_session_timed_out_is_kept_and_put_back(client, audit, auditor):
    with client.session_transaction() as session:
        session["last_seen"] = time.time() - 31 * 60
    typed = action_form(what="Arrange a family group meeting with mum and grandmother before the next review")
    response = client.post(
        f"/audits/{audit.id}/actions/new",
        data=typed,
        headers={"HX-Request": "true", "Referer": f"http://localhost/audits/{audit.id}"},
    )
    assert response.status_code == 204 and response.headers["HX-Redirect"] == f"/sign-in?next=/audits/{audit.id}"
    client.post("/sign-in", data={"email": auditor.email, "password": PASSWORD})
    page = client.get(f"/audits/{audit.id}").get_data(as_text=True)
    assert "Carry on adding the new action" in page
    form = client.get(f"/audits/{audit.id}/actions/new").get_data(as_text=True)
    assert "Arrange a family group meeting with mum and grandmother" in form
    assert client.post(f"/audits/{audit.id}/actions/new", data=typed).status_code == 303
    assert Draft.select().count() == 0 and Action.select().count() == 1


@pytest.mark.app_config(SESSION_MAX_HOURS=12)
def test_a_cookie_past_its_lifetime_leaves_no_draft(client, audit):
    with client.session_transaction() as session:
        session["signed_in_at"] = time.time() - 13 * 3600
    client.post(f"/audits/{audit.id}", data=audit_form(audit, about_child="Planted"))
    assert Draft.select().count() == 0 and Audit.get_by_id(audit.id).about_child == ""


@pytest.mark.app_config(WTF_CSRF_ENABLED=True)
def test_a_save_with_an_old_form_token_shows_the_text_again_unsaved(client, audit):
    typed = audit_form(audit, about_child="Typed before signing in again elsewhere.", csrf_token="an old token")
    response = client.post(f"/audits/{audit.id}", data=typed)
    body = response.get_data(as_text=True)
    assert response.status_code == 400 and "Typed before signing in again elsewhere." in body
    assert "Your changes have not been saved yet" in body and 'name="csrf_token"' in body
    assert Audit.get_by_id(audit.id).about_child == "" and Draft.select().count() == 0


def test_control_characters_pasted_into_the_audit_do_not_break_the_word_documents(client, audit):
    client.post(f"/audits/{audit.id}", data=audit_form(audit, about_child="Line one\x0bline two\x07."))
    assert Audit.get_by_id(audit.id).about_child == "Line one\nline two."
    assert client.get(f"/audits/{audit.id}/record.docx").status_code == 200


def test_odd_addresses_are_not_found_rather_than_errors(client, audit):
    assert client.get("/audits/99999999999999999999999").status_code == 404
    assert client.post(f"/audits/{audit.id}/actions/new", data={}).status_code == 200
    assert client.get("/sign-out").status_code == 405


def test_an_autosave_the_form_refuses_keeps_what_was_typed(client, audit):
    typed = audit_form(audit, about_child="Half an hour of writing.", discussion_on=["31", "2", ""])
    response = client.post(f"/audits/{audit.id}", data=typed, headers={"HX-Request": "true"})
    assert "Not saved: Date of the discussion must include a year" in response.get_data(as_text=True)
    assert Audit.get_by_id(audit.id).about_child == ""
    assert "Half an hour of writing." in client.get(f"/audits/{audit.id}").get_data(as_text=True)


def test_the_case_note_is_refreshed_when_an_action_is_added_in_place(client, audit):
    response = client.post(f"/audits/{audit.id}/actions/new", data=action_form(), headers={"HX-Request": "true"})
    body = response.get_data(as_text=True)
    assert '<textarea id="case-note" hx-swap-oob="innerHTML">' in body and "1. Update the case summary" in body


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"supervised_recently": "perhaps"}, "Select yes or no"),
        ({"about_child": "x" * 20_001}, "About the child must be 20,000 characters or fewer"),
        ({"domains-6-so_what": "x" * 20_001}, "The so what for Impact and Overall Outcomes must be 20,000 characters"),
        ({"domains-2-evidence": "x" * 20_001}, "Evidence for Assessment must be 20,000 characters or fewer"),
        ({"practitioner_view": "x" * 20_001}, "must be 20,000 characters or fewer"),
        ({"overall_rationale": "x" * 20_001}, "Reasons for the overall judgement must be 20,000 characters or fewer"),
        ({"grade_gap_reason": "x" * 20_001}, "must be 20,000 characters or fewer"),
        ({"version": "²"}, "This page is out of date"),
    ],
)
def test_more_bad_audit_input_is_refused_beside_its_field(client, audit, changes, message):
    body = client.post(f"/audits/{audit.id}", data=audit_form(audit, **changes)).get_data(as_text=True)
    assert message in body and Audit.get_by_id(audit.id).version == 1


def test_a_form_with_more_domains_than_the_audit_is_refused(client, audit):
    data = audit_form(audit) | {"domains-7-grade": "good", "domains-7-evidence": "An eighth domain"}
    body = client.post(f"/audits/{audit.id}", data=data).get_data(as_text=True)
    assert "This page is out of date" in body and DomainJudgement.select().count() == 0


def test_an_owner_name_over_the_limit_is_refused(client, audit):
    body = client.post(f"/audits/{audit.id}/actions/new", data=action_form(owner_name="n" * 101)).get_data(as_text=True)
    assert "Who will do it: name must be 100 characters or fewer" in body and Action.select().count() == 0


def test_text_over_the_limit_is_counted_as_it_is_typed_and_kept_as_a_draft(client, audit):
    page = client.get(f"/audits/{audit.id}").get_data(as_text=True)
    assert 'data-module="govuk-character-count" data-maxlength="20000"' in page
    long_text = "Evidence that ran long. " * 1_042  # just over 25,000 characters
    typed = audit_form(audit, **{"domains-0-evidence": long_text})
    refused = client.post(f"/audits/{audit.id}", data=typed, headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "Not saved: Evidence for Help, Protection and Stability must be 20,000 characters or fewer" in refused
    assert Audit.get_by_id(audit.id).version == 1
    reloaded = client.get(f"/audits/{audit.id}").get_data(as_text=True)
    assert long_text.strip() in reloaded and "has been put back in the form" in reloaded


def test_the_audit_page_runs_the_same_number_of_queries_with_more_saved(client, audit, count_queries):
    empty = count_queries(lambda: client.get(f"/audits/{audit.id}"))
    client.post(f"/audits/{audit.id}", data=audit_form(audit))
    for number in range(3):
        client.post(f"/audits/{audit.id}/actions/new", data=action_form(what=action_form()["what"] + f" {number}"))
    assert count_queries(lambda: client.get(f"/audits/{audit.id}")) == empty


def test_drafts_older_than_thirty_days_are_neither_offered_nor_kept(client, audit, auditor, make_audit):
    import json

    Draft.create(
        audit=audit,
        user=auditor,
        field="form",
        text=json.dumps({"about_child": ["Long forgotten"]}),
        saved_at=datetime.datetime.now() - datetime.timedelta(days=31),
    )
    assert "Long forgotten" not in client.get(f"/audits/{audit.id}").get_data(as_text=True)
    from werkzeug.datastructures import MultiDict

    from services import audit_records

    audit_records.keep_draft(auditor, make_audit(auditor=auditor).id, "form", MultiDict({"about_child": "New"}))
    assert [d.text for d in Draft.select()] == [json.dumps({"about_child": ["New"]})]


def test_a_post_with_only_some_domains_changes_only_those(client, audit):
    client.post(f"/audits/{audit.id}", data=audit_form(audit))
    partial = {key: value for key, value in audit_form(audit, version="2").items() if not key.startswith("domains-")}
    partial |= {"domains-2-grade": "inadequate", "domains-2-evidence": "Changed", "domains-2-so_what": "Changed too"}
    assert client.post(f"/audits/{audit.id}", data=partial).status_code == 303
    judgements = Audit.get_by_id(audit.id).judgements()
    assert (judgements[2].grade, judgements[2].evidence) == ("inadequate", "Changed")
    assert (judgements[0].grade, judgements[0].evidence) == ("good", "Evidence for Help, Protection and Stability")
