"""The demo's learning themes (seed 004 2.7.2): four themes, two months that took one as their learning focus, and
findings tagged with them, so that the dashboard has a theme to follow. Chronologies was the focus six months ago,
and the demo council's recording has got better since: in the three months after, most of the audits not moderated
that graded Recording and Communication below Good are a grade better. Invented, as all the demo data is."""

import random

from models import DomainJudgement, LearningTheme, ProgrammeMonth, TemplateDomain, ThemeTag, db
from services.audits import GRADE_ORDER, months_before

THEMES = {
    "Chronologies": ("Recording and Communication", "An up-to-date chronology that says what each event meant"),
    "Child's lived experience": ("Relationship Based Practice and Direct Work", "What a day is like for the child"),
    "Contingency planning": ("Multi-Agency Planning, Analysis, Review and Decision Making", "What if the plan fails"),
    "Case recording": ("Recording and Communication", "Records written for the child to read one day"),
}
FOCUS = {"Chronologies": 6, "Contingency planning": 2}  # months before this month


def load(qa_officer, template, audits, today, seed=2026):
    """Add the themes, their focus months, and tags on `audits` (the submitted ones), by `qa_officer`."""
    rng = random.Random(f"{seed}:themes")  # noqa: S311 - seeded, repeatable demo data, not secrets
    themes = {name: LearningTheme.create(name=name, description=about) for name, (_, about) in THEMES.items()}
    this_month = today.replace(day=1)
    for name, months in FOCUS.items():
        month = months_before(this_month, months)
        updated = ProgrammeMonth.update(focus=themes[name]).where(ProgrammeMonth.month == month).execute()
        if not updated:
            ProgrammeMonth.create(month=month, audit_type="monthly", focus=themes[name])
    domains = {domain.name: domain.id for domain in TemplateDomain.select().where(TemplateDomain.template == template)}
    judgements = {
        (judgement.audit_id, judgement.domain_id): judgement
        for judgement in DomainJudgement.select().where(DomainJudgement.audit.in_([audit.id for audit in audits]))
    }
    focus = months_before(this_month, FOCUS["Chronologies"])
    after = [months_before(focus, -number) for number in range(1, 4)]
    tags = []
    with db.atomic():
        for audit in audits:
            for name, (domain, _) in THEMES.items():
                judgement = judgements.get((audit.id, domains.get(domain)))
                if judgement is None or rng.random() > 0.35:
                    continue
                tags.append({"judgement": judgement.id, "theme": themes[name].id, "tagged_by": qa_officer.id})
            recording = judgements.get((audit.id, domains.get("Recording and Communication")))
            allocated = audit.allocated_at.date().replace(day=1)
            if recording and audit.status == "submitted" and allocated in after and rng.random() < 0.7:
                better(recording)
        ThemeTag.insert_many(tags).execute()


def better(judgement):
    """A grade below Good made a step better."""
    step = GRADE_ORDER.index(judgement.grade) if judgement.grade in GRADE_ORDER else 0
    if step >= 2:
        DomainJudgement.update(grade=GRADE_ORDER[step - 1]).where(DomainJudgement.id == judgement.id).execute()
