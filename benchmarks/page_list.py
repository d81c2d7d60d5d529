"""The pages and downloads benchmarks/pages.py measures, who opens each, and the records they open, found in
each dataset by querying it (so the same list serves data built by any version of scale_data.py)."""

import datetime
import re
import sqlite3
import sys
from dataclasses import dataclass, field

from browsing import form_fields

from models import Action
from services.audits import months_before
from services.dates import uk_today

# The usual target for a page's CPU time at 24,000 audits.
CPU_TARGET_MS = 25
# The target for drawing and allocating a month of 6,254 open cases among 150 auditors (issue 16).
DRAW_TARGET_MS = 1_000
# Issue 18's target for generating the six-monthly report.
REPORT_TARGET_MS = 2_000
# The list of an open-case list's preview (services/case_import.py), of the kind of line it has most of.
IMPORT_PREVIEW = "Import preview"


@dataclass
class Page:
    name: str
    fetch: object  # a function returning an Answer
    kind: str = "page"  # "page", "download" or "save"
    first: str = None  # for a list's last page: the name of its first page
    status: int = 200  # the answer it should give
    target_ms: float = None  # its own CPU target at 24,000 audits, where the usual one does not apply
    growth: bool = True  # whether it is held to the growth target against 100 audits
    cpu: list = field(default_factory=list)
    queries: set = field(default_factory=set)


@dataclass
class People:
    """Who opens the pages, signed in: a QA officer, an auditor with an open audit, a moderator, and those the team's
    pages are for: the manager of the team with the most actions to see to, its service manager, and the practitioner
    with the most audits of their cases."""

    qa: object
    auditor: object
    moderator: object
    team_manager: object
    service_manager: object
    practitioner: object


def people(database):
    """What the pages need from a dataset: who signs in, and which records to open."""
    connection = sqlite3.connect(database)

    def one(sql, *args):
        row = connection.execute(sql, args).fetchone()
        if row is None:
            sys.exit(f"The dataset {database} has nothing for: {sql}")
        return row

    qa = one(
        "SELECT u.email, u.id FROM user u JOIN user_role r ON r.user_id = u.id WHERE r.role = 'qa-officer' "
        "ORDER BY u.id"
    )
    busiest = one("SELECT auditor_id, COUNT(*) FROM audit GROUP BY auditor_id ORDER BY 2 DESC LIMIT 1")[0]
    open_audits = connection.execute(
        "SELECT a.auditor_id, MAX(a.id), u.email FROM audit a JOIN user u ON u.id = a.auditor_id "
        "WHERE a.status NOT IN ('submitted', 'moderated') AND a.exercise_id IS NULL "
        "GROUP BY a.auditor_id ORDER BY a.auditor_id = ? DESC, COUNT(*) DESC LIMIT 10",
        (busiest,),
    ).fetchall()
    submitted = one(
        "SELECT a.id, a.case_id FROM audit a WHERE a.status = 'submitted' "
        "AND (SELECT COUNT(*) FROM action WHERE action.audit_id = a.id) = 2 ORDER BY a.id DESC LIMIT 1"
    )
    team = one('SELECT c.team_id FROM audit a JOIN "case" c ON c.id = a.case_id GROUP BY 1 ORDER BY COUNT(*) DESC')[0]
    ids = {
        "qa": qa[0],
        "busiest": busiest,
        "auditors": [(email, audit_id) for _, audit_id, email in open_audits],
        "submitted": submitted[0],
        "case": submitted[1],
        "team": team,
    }
    ids |= area_records(one, qa_id=qa[1], auditor_id=open_audits[0][0])
    ids |= team_records(one, uk_today())
    connection.close()
    return ids


def area_records(one, qa_id, auditor_id):
    """The records of the newer areas the pages open, each like its counterpart in the other dataset."""
    moderator = one(
        "SELECT u.email, u.id FROM moderation m JOIN user u ON u.id = m.moderator_id "
        "GROUP BY m.moderator_id ORDER BY COUNT(*) DESC LIMIT 1"
    )
    feedback = one(
        "SELECT a.id, (SELECT MAX(f.id) FROM family_feedback f WHERE f.audit_id = a.id), "
        "(SELECT MAX(i.id) FROM iro_feedback i WHERE i.audit_id = a.id) FROM audit a WHERE a.auditor_id = ? "
        "AND EXISTS (SELECT 1 FROM family_feedback f WHERE f.audit_id = a.id AND f.gathered) "
        "AND EXISTS (SELECT 1 FROM iro_feedback i WHERE i.audit_id = a.id) ORDER BY a.id DESC LIMIT 1",
        auditor_id,
    )
    return {
        "moderator": moderator[0],
        # One still to do, given to that moderator; and one not yet started, for a QA officer to give to another.
        "moderation": one(
            "SELECT id FROM moderation WHERE moderator_id = ? ORDER BY status = 'submitted', id DESC LIMIT 1",
            moderator[1],
        )[0],
        "unstarted": one("SELECT id FROM moderation ORDER BY status = 'assigned' DESC, id DESC LIMIT 1")[0],
        "sample_month": one("SELECT month FROM moderation_draw ORDER BY month DESC LIMIT 1")[0][:7],
        # A moderated audit whose moderator changed a grade, with two actions of its own.
        "moderated": one(
            "SELECT m.audit_id FROM moderation m WHERE m.status = 'submitted' "
            "AND EXISTS (SELECT 1 FROM domain_moderation d WHERE d.moderation_id = m.id AND NOT d.agrees) "
            "AND (SELECT COUNT(*) FROM action WHERE action.audit_id = m.audit_id AND source = 'audit') = 2 "
            "ORDER BY m.audit_id DESC LIMIT 1"
        )[0],
        "notice": one("SELECT MAX(id) FROM notice WHERE recipient_id = ?", qa_id)[0],
        "response": one("SELECT id FROM immediate_response WHERE status = 'closed' ORDER BY id DESC LIMIT 1")[0],
        "raised": one("SELECT id FROM immediate_response WHERE status = 'raised' ORDER BY id DESC LIMIT 1")[0],
        "acknowledged": one("SELECT id FROM immediate_response WHERE status = 'acknowledged' ORDER BY id DESC")[0],
        "response_team": one(
            'SELECT c.team_id FROM immediate_response i JOIN "case" c ON c.id = i.case_id '
            "GROUP BY 1 ORDER BY COUNT(*) DESC LIMIT 1"
        )[0],
        "feedback": feedback,
        # An exercise everyone taking part has submitted their audit in.
        "exercise": one(
            "SELECT exercise_id FROM audit WHERE exercise_id IS NOT NULL GROUP BY 1 "
            "HAVING SUM(status NOT IN ('submitted', 'moderated')) = 0 ORDER BY 1 DESC LIMIT 1"
        )[0],
        "first_drawn": one("SELECT MIN(month) FROM moderation_draw")[0][:7],
        # The report to the senior leadership team of the latest six months (scale_reports.py).
        "report": one("SELECT id FROM service_report ORDER BY last_month DESC, id DESC LIMIT 1")[0],
    } | plan_records(one)


def plan_records(one):
    """The month's audit plan: next month's draft (the earliest not confirmed), one of its cases with an auditor,
    and the month after it, not yet drawn, for the benchmark to draw."""
    plan_id, month = one("SELECT id, month FROM audit_plan WHERE confirmed_at IS NULL ORDER BY month LIMIT 1")
    first_day = datetime.date.fromisoformat(month[:10])
    following = (first_day + datetime.timedelta(days=32)).replace(day=1)
    return {
        "plan_month": month[:7],
        "planned": one(
            "SELECT id FROM planned_audit WHERE plan_id = ? AND auditor_id IS NOT NULL ORDER BY id DESC LIMIT 1",
            plan_id,
        )[0],
        "draw_month": f"{following:%Y-%m}",
    }


def team_records(one, today):
    """The records of the pages of actions reaching the team (issue 17), each like its counterpart in the other
    dataset: the manager of the team with the most actions not yet closed, its service manager, an open action of
    theirs discussed in supervision and one of the service manager's teams' signed off, a review due with two actions,
    and the practitioner with the most audits of their cases, with one of them moderated, with two actions and their
    reflection."""
    manager, team = one(
        'SELECT u.email, t.id FROM team t JOIN "user" u ON u.id = t.manager_id '
        "ORDER BY (SELECT COUNT(*) FROM action x WHERE x.team_id = t.id AND x.list_order < ?) DESC, t.id LIMIT 1",
        2 * Action.LIST_BAND,
    )
    service_manager, service_manager_id = one(
        'SELECT u.email, u.id FROM team t JOIN "user" u ON u.id = t.service_manager_id WHERE t.id = ?', team
    )
    practitioner, practitioner_id = one(
        "SELECT u.email, u.id FROM user_role r JOIN \"user\" u ON u.id = r.user_id WHERE r.role = 'practitioner' "
        'ORDER BY (SELECT COUNT(*) FROM "case" c JOIN audit a ON a.case_id = c.id WHERE c.worker_id = u.id '
        "AND a.status IN ('submitted', 'moderated') AND a.exercise_id IS NULL) DESC, u.id LIMIT 1"
    )
    return {
        "team_manager": manager,
        "service_manager": service_manager,
        "practitioner": practitioner,
        "action_team": team,
        "open_action": one(
            "SELECT x.id FROM action x WHERE x.team_id = ? AND x.status = 'open' AND x.closed_at IS NULL "
            "AND (SELECT COUNT(*) FROM action_step s WHERE s.action_id = x.id) = 2 ORDER BY x.id DESC LIMIT 1",
            team,
        )[0],
        "signed_off_action": one(
            "SELECT x.id FROM action x JOIN team t ON t.id = x.team_id WHERE t.service_manager_id = ? "
            "AND x.status = 'signed-off' AND x.closed_at IS NULL ORDER BY x.id DESC LIMIT 1",
            service_manager_id,
        )[0],
        "review": one(
            "SELECT r.id FROM action_review r WHERE r.reviewed_at IS NULL AND r.due_on <= ? "
            "AND (SELECT COUNT(*) FROM action x WHERE x.audit_id = r.audit_id AND x.received_on IS NOT NULL) = 2 "
            "ORDER BY r.due_on DESC, r.id DESC LIMIT 1",
            today.isoformat(),
        )[0],
        "team_audit": one(
            'SELECT a.id FROM audit a JOIN "case" c ON c.id = a.case_id WHERE c.worker_id = ? '
            "AND a.status = 'moderated' AND a.exercise_id IS NULL "
            "AND EXISTS (SELECT 1 FROM reflection f WHERE f.audit_id = a.id) "
            "AND (SELECT COUNT(*) FROM action x WHERE x.audit_id = a.id AND x.source = 'audit') = 2 "
            "ORDER BY a.id DESC LIMIT 1",
            practitioner_id,
        )[0],
    }


def last_page(browser, path):
    """The address of a list's last page, as its first page links to it."""
    text = browser.get(path).text
    links = re.findall(r'href="([^"]+)" aria-label="Page (\d+)"', text)
    if not links:
        return path
    href, _ = max(links, key=lambda link: int(link[1]))
    return href.replace("&amp;", "&")


def listed(lists):
    """The first and last page of each list ({name: (browser, path)}), the last straight after its first."""
    pages = []
    for name, (browser, path) in lists.items():
        pages.append(Page(f"{name}, first page", lambda b=browser, p=path: b.get(p)))
        last = last_page(browser, path)
        pages.append(Page(f"{name}, last page", lambda b=browser, p=last: b.get(p), first=f"{name}, first page"))
    return pages


def pages_for(ids, who):
    """Every page and download, with the person who opens it."""
    qa, auditor = who.qa, who.auditor
    lists = {
        "My audits": (auditor, "/my-audits"),
        "All audits": (qa, "/audits"),
        "Audits by auditor": (qa, f"/audits?auditor={ids['busiest']}"),
        "Audits by team": (qa, f"/audits?team={ids['team']}"),
        "Audits submitted": (qa, "/audits?status=submitted"),
        "Event log": (qa, "/admin/event-log"),
        "Event log, audits": (qa, "/admin/event-log?record_type=Audit"),
        "Cases": (qa, "/cases"),
        "Cases, open": (qa, "/cases?status=open"),
        "Users": (qa, "/admin/users"),
        "Auditor pool": (qa, "/auditor-pool"),
        "Audit plan": (qa, f"/audit-plan?month={ids['plan_month']}"),
        IMPORT_PREVIEW: (qa, ids["import_preview"]),
    }
    pages = [Page("Home", lambda: auditor.get("/")), *listed(lists)]
    submitted = f"/audits/{ids['submitted']}"
    pages += [
        Page("Audit page (auditor, open)", auditor.open_audit),
        Page("Autosave", lambda: autosaved(auditor), kind="save"),
        Page("Audit page (QA officer, submitted)", lambda: qa.get(submitted)),
        Page(
            "Event log, one audit", lambda: qa.get(f"/admin/event-log?record_type=Audit&record_id={ids['submitted']}")
        ),
        Page("Case page", lambda: qa.get(f"/cases/{ids['case']}")),
        Page("Who has looked at a case", lambda: qa.get(f"/cases/{ids['case']}/who-has-looked")),
        Page("Your account, your recent views", lambda: auditor.get("/account")),
        Page("Subject access, what the zip holds", lambda: qa.get(f"/cases/{ids['case']}/subject-access")),
        Page("Retention, what the next run would remove", lambda: qa.get("/retention")),
        Page("Cases on legal hold", lambda: qa.get("/retention/legal-holds")),
        Page("Teams", lambda: qa.get("/admin/teams")),
        Page("Audit templates", lambda: qa.get("/admin/audit-templates")),
        Page("An auditor's part in the pool", lambda: qa.get(f"/auditor-pool/{ids['busiest']}")),
        Page("Changing who audits a planned case", lambda: qa.get(f"/audit-plan/cases/{ids['planned']}/auditor")),
        Page("Audit record .docx", lambda: qa.get(f"{submitted}/record.docx"), kind="download"),
        Page("Action plan .docx", lambda: qa.get(f"{submitted}/action-plan.docx"), kind="download"),
        Page("Case-note text .docx", lambda: qa.get(f"{submitted}/case-note.docx"), kind="download"),
        Page("Case-note text .txt", lambda: qa.get(f"{submitted}/case-note.txt"), kind="download"),
    ]
    # Last, so that the plans and events each draw adds are there for no other page measured.
    drawing = Page(
        "Drawing and allocating a month",
        lambda: drawn(qa, ids["draw_month"]),
        kind="save",
        status=303,
        target_ms=DRAW_TARGET_MS,
        growth=False,
    )
    return [*pages, *area_pages(ids, who), *team_pages(ids, who), drawing]


def area_pages(ids, who):
    """The pages and downloads of the newer areas: moderation, calibration, notices, Immediate Responses,
    feedback and reliability exercises, with the lists of every moderation, family's feedback and notice sent."""
    qa, auditor, moderator = who.qa, who.auditor, who.moderator
    month = ids["sample_month"]
    moderated = f"/audits/{ids['moderated']}"
    response = f"/immediate-responses/{ids['response']}"
    feedback_audit, family, iro = ids["feedback"]
    feedback = f"/audits/{feedback_audit}/feedback"
    lists = {
        "Moderation sample": (qa, f"/moderation-sample?month={month}"),
        "My moderations": (moderator, "/moderations"),
        "My moderations done": (moderator, "/moderations/done"),
        "Notices": (qa, "/notices"),
        "Immediate Responses": (qa, "/immediate-responses"),
        "Immediate Responses, closed": (qa, "/immediate-responses?status=closed"),
        "Immediate Responses by team": (qa, f"/immediate-responses?team={ids['response_team']}"),
        "Calibration, every auditor": (qa, "/calibration/auditors"),
        "Calibration, every team": (qa, "/calibration/teams"),
        "All moderations": (qa, "/all-moderations"),
        "Families' feedback": (qa, "/family-feedback"),
        "Notices sent": (qa, "/admin/notices-sent"),
    }
    period = f"from_month={ids['first_drawn']}&to_month={month}"
    calibration = {
        "Calibration": "/calibration",
        "Calibration by service area": f"/calibration?service_area={first_choice(qa, 'service_area')}",
        "Calibration by template": f"/calibration?template={first_choice(qa, 'template')}",
        "Calibration, every month drawn": f"/calibration?{period}",
    }
    this_month = uk_today().strftime("%Y-%m")
    two_years_ago = months_before(uk_today().replace(day=1), 23).strftime("%Y-%m")
    kind = f"audit_type={first_choice(qa, 'audit_type', '/dashboard')}&template={first_choice(qa, 'template')}"
    dashboard = {
        "Dashboard": "/dashboard",
        "Dashboard by service area": f"/dashboard?service_area={first_choice(qa, 'service_area')}",
        "Dashboard by team": f"/dashboard?team={first_choice(qa, 'team', '/dashboard')}",
        "Dashboard by type and template": f"/dashboard?{kind}",
        "Dashboard, 24 months": f"/dashboard?from_month={two_years_ago}&to_month={this_month}",
    }
    pages = [
        Page("Home (QA officer)", lambda: qa.get("/")),
        Page("Home (moderator)", lambda: moderator.get("/")),
        *listed(lists),
        Page("Immediate Responses, raised", lambda: qa.get("/immediate-responses?status=raised")),
        Page("Immediate Responses, overdue", lambda: qa.get("/immediate-responses?overdue=yes")),
        Page("All moderations, grade changed", lambda: qa.get("/all-moderations?grade_changed=yes")),
        Page("Families' feedback, not gathered", lambda: qa.get("/family-feedback?gathered=no")),
        Page("Notices sent, not emailed", lambda: qa.get("/admin/notices-sent?email_status=not-sent")),
        Page("Immediate Response", lambda: qa.get(response)),
        Page("Immediate Response .docx", lambda: qa.get(f"{response}.docx"), kind="download"),
        Page("Acknowledge an Immediate Response", lambda: qa.get(f"/immediate-responses/{ids['raised']}/acknowledge")),
        Page("Close an Immediate Response", lambda: qa.get(f"/immediate-responses/{ids['acknowledged']}/close")),
        Page(
            "Raise an Immediate Response (audit)", lambda: auditor.get(f"{auditor.audit_path}/immediate-responses/new")
        ),
        Page("Raise an Immediate Response (case)", lambda: qa.get(f"/cases/{ids['case']}/immediate-responses/new")),
        Page("Notice", lambda: qa.get(f"/notices/{ids['notice']}")),
        Page("Moderation", lambda: moderator.get(f"/moderations/{ids['moderation']}")),
        Page("Change the moderator", lambda: qa.get(f"/moderations/{ids['unstarted']}/moderator")),
        Page("Audit page (QA officer, moderated)", lambda: qa.get(moderated)),
        Page("Audit record .docx (moderated)", lambda: qa.get(f"{moderated}/record.docx"), kind="download"),
        Page("Action plan .docx (moderated)", lambda: qa.get(f"{moderated}/action-plan.docx"), kind="download"),
        *(Page(name, lambda p=path: qa.get(p)) for name, path in calibration.items()),
        *(Page(name, lambda p=path: qa.get(p)) for name, path in dashboard.items()),
        *report_pages(qa, ids["report"]),
        *(calibration_csv(qa, name, path) for name, path in csvs(qa)),
        Page("Family feedback, new", lambda: auditor.get(f"{feedback}/family/new")),
        Page("Family feedback, change", lambda: auditor.get(f"{feedback}/family/{family}/edit")),
        Page("IRO feedback, new", lambda: auditor.get(f"{feedback}/iro/new")),
        Page("IRO feedback, change", lambda: auditor.get(f"{feedback}/iro/{iro}/edit")),
        Page("Reliability exercises", lambda: qa.get("/reliability-exercises")),
        Page("Reliability exercise results", lambda: qa.get(f"/reliability-exercises/{ids['exercise']}")),
        Page("Set up a reliability exercise", lambda: qa.get(f"/cases/{ids['case']}/reliability-exercises/new")),
    ]
    return pages


def team_pages(ids, who):
    """The pages of actions reaching the team (issue 17): the team actions list (a QA officer's and the team
    manager's, first and last pages; the overdue, and the service manager's several teams'), one open action and the
    team manager's step recording it done, the service manager's authorising one signed off; the four-month reviews due
    and not yet due, and one review; and the audits of a practitioner's cases, one of them as the team reads it and
    the form of the practitioner's reflection on it. Each one's home page too, which counts what waits for them.

    Not the four-month review's workbook (/action-reviews.xlsx): it holds a row for every action of every review on
    the list, twice (on its team's sheet and on every team's), not a page of them, so what it costs grows with the
    reviews due (about 1,000 at 24,000 audits, 47 at 100: about 1,100 ms of CPU against 60). Neither target suits a
    download that size, and the issue sets it none of its own."""
    qa, manager, service_manager, practitioner = who.qa, who.team_manager, who.service_manager, who.practitioner
    action, audit = f"/team-actions/{ids['open_action']}", f"/team-audits/{ids['team_audit']}"
    lists = {
        "Team actions": (qa, "/team-actions"),
        "Team actions (team manager)": (manager, "/team-actions"),
        "Four-month reviews": (qa, "/action-reviews"),
        "Four-month reviews not yet due": (qa, "/action-reviews?state=upcoming"),
    }
    return [
        Page("Home (team manager)", lambda: manager.get("/")),
        Page("Home (service manager)", lambda: service_manager.get("/")),
        Page("Home (practitioner)", lambda: practitioner.get("/")),
        *listed(lists),
        Page("Team actions, overdue", lambda: qa.get("/team-actions?state=overdue")),
        Page("Team actions (service manager)", lambda: service_manager.get("/team-actions")),
        Page("Team action (team manager)", lambda: manager.get(action)),
        Page("Record a team action done", lambda: manager.get(f"{action}/done")),
        Page(
            "Authorise a team action",
            lambda: service_manager.get(f"/team-actions/{ids['signed_off_action']}/authorised"),
        ),
        Page("Four-month review", lambda: qa.get(f"/action-reviews/{ids['review']}")),
        Page("Audits of your cases", lambda: practitioner.get("/team-audits")),
        Page("Audit as the team reads it", lambda: practitioner.get(audit)),
        Page("Reflection on an audit", lambda: practitioner.get(f"{audit}/reflection")),
    ]


def first_choice(browser, name, page="/calibration"):
    """The first value the filter `name` of the calibration page (or `page`) offers, other than all of them."""
    text = browser.get(page).text
    select = re.search(rf'<select[^>]*name="{name}".*?</select>', text, re.DOTALL)
    values = re.findall(r'<option value="([^"]+)"', select.group(0)) if select else []
    if not values:
        sys.exit(f"The page {page} offers no {name} to filter by")
    return values[0]


def calibration_csv(qa, name, path):
    """A CSV the calibration page links to. Those of every auditor and every team are a row for each one moderated in
    the period, as many as a council's staff, not its records: 100 audits cannot reach 150 auditors, so they are held
    to the usual target without a ratio (their pages of 25 are held to both)."""
    people = name.startswith(("auditors", "teams"))
    return Page(
        f"Calibration {name}",
        lambda: qa.get(path),
        kind="download",
        target_ms=CPU_TARGET_MS if people else None,
        growth=not people,
    )


def csvs(browser):
    """Each CSV download the calibration page links to, by the file it gives: (name, path)."""
    text = browser.get("/calibration").text
    paths = dict.fromkeys(
        href.replace("&amp;", "&") for href in re.findall(r'href="(/calibration/[^"]+\.csv[^"]*)"', text)
    )
    if not paths:
        sys.exit("The calibration page links to no CSV download")
    return [(re.search(r"/calibration/([^.?]+)", path).group(1) + " .csv", path) for path in paths]


def drawn(qa, month):
    """Draw `month`'s cases and share them among its auditors (again, once it is drawn), as a QA officer does from
    the plan page: the page is read first, not measured, for the form's token and the plan's version, which every
    draw changes; the answer to the draw, a redirect to the plan, is what is measured."""
    text = qa.get(f"/audit-plan?month={month}").text
    form = re.search(r'<form method="post" action="/audit-plan" .*?</form>', text, re.DOTALL)
    if form is None:
        sys.exit(f"The plan page for {month} has no form to draw the month: {text[:200]}")
    fields = dict(form_fields(form.group(0))) | {"spread": "proportional", "flag": "", "audit_type": "monthly"}
    answer, _ = qa.send("POST", "/audit-plan", fields)
    return answer


def autosaved(auditor):
    answer, problem = auditor.autosave()
    if problem:
        sys.exit(f"An autosave was not saved: {problem}")
    return answer


def report_pages(qa, report):
    """The reports (issue 18): their list, a report's page as its narrative is written, the service's action plan;
    the report to the senior leadership team as Word, its tables filled from six months' figures, held to the issue's
    2 s (it is the same few tallies at either size, so held to no ratio), the monthly summary, six months' figures
    one month at a time, and the action plan as Word, the report's last part."""
    month = months_before(uk_today().replace(day=1), 1).strftime("%Y-%m")
    word = {"kind": "download", "target_ms": REPORT_TARGET_MS, "growth": False}
    return [
        Page("Reports", lambda: qa.get("/reports")),
        Page("Report, writing", lambda: qa.get(f"/reports/{report}")),
        Page("Service action plan", lambda: qa.get("/action-plan")),
        Page("Report to leaders .docx (six months)", lambda: qa.get(f"/reports/{report}.docx"), **word),
        Page("Monthly summary .docx", lambda: qa.get(f"/reports/monthly-summary.docx?month={month}"), **word),
        # The report's Appendix B alone: a Word table of every action (60 in either dataset), held as the report is.
        Page("Service action plan .docx", lambda: qa.get("/action-plan.docx"), **word),
    ]
