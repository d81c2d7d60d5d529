"""Moderated audits written straight into the database, a few by hand or thousands at once. They do not go
through the draw or the moderation services: the calibration figures need only the records those leave."""

import datetime
import itertools

from peewee import chunked

from models import Audit, AuditTemplate, Case, DomainModeration, Moderation, ModerationDraw, TemplateDomain, db
from services import calibration_tallies

# Short names for grades, so a test's data reads like a table.
GRADE = {"O": "outstanding", "G": "good", "RI": "requires-improvement", "I": "inadequate"}
STEP = {code: step for step, code in enumerate(GRADE)}

_numbers = itertools.count(1)


def small_template(domains=("Assessment", "Planning")):
    """A template of its own, with a few domains, so a person can check the figures by hand."""
    template = AuditTemplate.create(name=f"Calibration test {next(_numbers)}", version=1, source="tests")
    for position, name in enumerate(domains, start=1):
        TemplateDomain.create(template=template, position=position, name=name, guidance="")
    return template


def insert(model, rows):
    """Insert `rows` (dicts) a few hundred to a statement; returns the new ids in order."""
    return [row[0] for batch in chunked(rows, 300) for row in model.insert_many(batch).returning(model.id).tuples()]


class ModeratedAudits:
    """Adds audits of `template` with their moderation, each in its month's draw (`drawn_by`'s, if new)."""

    def __init__(self, drawn_by, template):
        self.drawn_by = drawn_by
        self.template = template
        self.domain_ids = [domain.id for domain in template.ordered_domains]
        self.draws = {}

    def draw(self, month):
        """The month's draw (one a month, whichever template its audits are on)."""
        if month not in self.draws:
            draw = ModerationDraw.get_or_none(month=month, round=1) or ModerationDraw.create(
                month=month,
                round=1,
                seed=1,
                rule_version=1,
                percentage=30,
                population="[]",
                drawn_by=self.drawn_by,
                due_on=month,
            )
            self.draws[month] = draw.id
        return self.draws[month]

    def add(self, audits):
        """`audits`: (auditor, team, month, grades, status) each, `grades` a list of "G>RI" (the auditor's grade,
        then the moderated one): the overall judgement first, then each domain in order."""
        audits = list(audits)
        with db.atomic():
            numbers = [next(_numbers) for _ in audits]
            cases = insert(
                Case, [case_row(number, team) for number, (_, team, *_) in zip(numbers, audits, strict=True)]
            )
            audit_ids = insert(
                Audit,
                [
                    self.audit_row(case, auditor, grades[0].split(">")[0])
                    for case, (auditor, _, _, grades, _) in zip(cases, audits, strict=True)
                ],
            )
            moderations = insert(
                Moderation,
                [
                    moderation_row(audit, self.draw(month), grades[0], status)
                    for audit, (_, _, month, grades, status) in zip(audit_ids, audits, strict=True)
                ],
            )
            domains = [
                domain_row(moderation, domain, pair)
                for moderation, (_, _, _, grades, _) in zip(moderations, audits, strict=True)
                for domain, pair in zip(self.domain_ids, grades[1:], strict=True)
            ]
            insert(DomainModeration, domains)
            calibration_tallies.rebuild()  # as submitting each through services/moderations.py would add it
        return moderations

    def audit_row(self, case, auditor, overall):
        return {
            "case": case,
            "auditor": auditor.id,
            "allocated_by": self.drawn_by.id,
            "allocated_at": datetime.datetime(2026, 1, 5, 9, 0),
            "due_on": datetime.date(2026, 2, 2),
            "status": "moderated",
            "template": self.template.id,
            "overall_grade": GRADE[overall],
            "submitted_at": datetime.datetime(2026, 1, 20, 9, 0),
            "version": 1,
        }


def case_row(number, team):
    return {
        "reference": f"MODERATED-{number:06d}",
        "initials": "AB",
        "birth_year": 2015,
        "team": team.id,
        "worker_name": "Sam Worker",
        "opened_on": datetime.date(2024, 3, 1),
        "is_open": True,
        "version": 1,
    }


def grades_of(pair):
    auditor_grade, moderated = pair.split(">")
    return GRADE[auditor_grade], GRADE[moderated]


def moderation_row(audit, draw, pair, status):
    auditor_grade, grade = grades_of(pair)
    submitted = status == "submitted"
    return {
        "audit": audit,
        "draw": draw,
        "chosen_because": "random",
        "status": status,
        "auditor_grade": auditor_grade,
        "agrees": auditor_grade == grade,
        "grade": grade,
        "submitted_at": datetime.datetime(2026, 2, 1, 9, 0) if submitted else None,
        "due_on": datetime.date(2026, 2, 28),
        "version": 1,
    }


def domain_row(moderation, domain, pair):
    auditor_grade, grade = grades_of(pair)
    return {
        "moderation": moderation,
        "domain": domain,
        "auditor_grade": auditor_grade,
        "agrees": auditor_grade == grade,
        "grade": grade,
    }
