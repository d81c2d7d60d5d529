"""Learning themes (seed 004 2.7.2-2.7.8): the QA team keeps a list of practice themes; an audit's auditor, its
moderator or the QA team tag each domain's finding with the themes it shows; a month of the programme can take a
theme as its learning focus; and the dashboard shows, for each theme, how often it was tagged and how the final
grades of the domains it touches moved between the months before its focus month and the months after.

Bradford measures a focus month's impact "through the formal monthly audit" (004 2.7.8). A move in grades after a
focus month goes with it; it does not show the focus caused it. The page says so."""

import datetime
from dataclasses import dataclass

from peewee import fn

from models import Audit, DomainJudgement, Event, LearningTheme, ProgrammeMonth, TemplateDomain, ThemeTag
from services import dashboard, dashboard_tallies, moderations
from services.audits import months_before
from services.calibration import Share, as_date
from services.errors import RuleBroken

WINDOW = 3  # months before a focus month, and after it, whose grades are compared
FEW = 20  # fewer final grades than this on either side of a focus month say little: the page says so
STALE = (
    "Someone changed this audit's learning themes since you opened the page. Save again to replace their themes "
    "with the ones ticked below, or go back to the audit to see theirs."
)


# Tagging.


def may_tag(user, audit):
    """The audit's auditor, the QA team, and its moderator."""
    return audit.auditor_id == user.id or user.has_role("qa-officer") or moderations.moderates(user, audit)


def tagged(audit):
    """{judgement id: the ids of its themes} of the audit's domains (one query)."""
    found = {}
    query = ThemeTag.select(ThemeTag.judgement, ThemeTag.theme).join(DomainJudgement)
    for judgement, theme in query.where(DomainJudgement.audit == audit.id).tuples():
        found.setdefault(judgement, set()).add(theme)
    return found


def named(audit):
    """(domain name, [theme names]) of each of the audit's domains tagged with any, in the template's order."""
    query = (
        ThemeTag.select(TemplateDomain.position, TemplateDomain.name, LearningTheme.name)
        .join(DomainJudgement)
        .join(TemplateDomain)
        .switch(ThemeTag)
        .join(LearningTheme)
        .where(DomainJudgement.audit == audit.id)
    )
    found = {}
    for _, domain, theme in sorted(query.tuples()):  # a handful: sorted here, not by the database
        found.setdefault(domain, []).append(theme)
    return list(found.items())


def fingerprint(tags):
    """The tags as text, to tell whether they changed since a page showed them."""
    return ",".join(f"{judgement}:{theme}" for judgement, themes in sorted(tags.items()) for theme in sorted(themes))


def save(actor, audit, seen, chosen):
    """Tag each judgement of the audit with exactly the themes `chosen` ({judgement id: theme ids}), if its tags are
    still those of `seen` (their fingerprint as the page showed them); else RuleBroken. In one transaction with the
    tallies the dashboard counts them in, and the event."""
    judgements = {judgement for (judgement,) in DomainJudgement.select(DomainJudgement.id).where(
        DomainJudgement.audit == audit.id).tuples()}  # fmt: skip
    with dashboard_tallies.kept(Audit.id == audit.id):
        before = tagged(audit)
        if fingerprint(before) != seen:
            raise RuleBroken(STALE)
        added = [
            {"judgement": judgement, "theme": theme, "tagged_by": actor.id}
            for judgement, themes in chosen.items()
            if judgement in judgements
            for theme in set(themes) - before.get(judgement, set())
        ]
        for judgement, themes in before.items():
            gone = themes - set(chosen.get(judgement, ()))
            if gone:
                ThemeTag.delete().where((ThemeTag.judgement == judgement) & ThemeTag.theme.in_(gone)).execute()
        if added:
            ThemeTag.insert_many(added).execute()
        Event.record(actor, "tagged", audit, ["learning themes"])


# On the dashboard.


@dataclass(frozen=True)
class ThemeRow:
    """A theme: how often it was tagged in the period, the domains it was tagged on then, its latest focus month up
    to the period's end, and the share of the final grades of those domains that were Good or Outstanding in the
    WINDOW months before that month and in the WINDOW months after it."""

    name: str
    tags: int
    domains: tuple
    focus: datetime.date | None = None
    before: Share = Share(0, 0)
    after: Share = Share(0, 0)

    @property
    def change(self):
        """The move in percentage points, after against before; None without grades on both sides."""
        if not (self.before.total and self.after.total):
            return None
        return round(100 * self.after.count / self.after.total - 100 * self.before.count / self.before.total)

    @property
    def change_text(self):
        if self.change is None:
            return "Too few grades to compare" if self.focus else ""
        return "No change" if self.change == 0 else f"{self.change:+d} percentage points"

    @property
    def is_few(self):
        return self.focus is not None and min(self.before.total, self.after.total) < FEW


def windows(focus):
    """The months before the focus month and those after it (the first days of each)."""
    before = [months_before(focus, number) for number in range(WINDOW, 0, -1)]
    after = [months_before(focus, -number) for number in range(1, WINDOW + 1)]
    return before, after


def figures(filters, teams):
    """A ThemeRow for each theme, by name, for the dashboard's `filters` (services/dashboard.Filters) and `teams`
    (services/dashboard.team_areas), from the tallies: five queries, whatever the data."""
    themes = dict(LearningTheme.select(LearningTheme.id, LearningTheme.name).tuples())
    focused = ProgrammeMonth.select(ProgrammeMonth.focus, fn.MAX(ProgrammeMonth.month))
    focused = focused.where(ProgrammeMonth.focus.is_null(False), ProgrammeMonth.month <= filters.last_month)
    focus = {theme: as_date(month) for theme, month in focused.group_by(ProgrammeMonth.focus).tuples()}
    scope = dashboard.scope(filters, teams)
    kinds = [condition for condition in dashboard.chosen(filters) if condition[0] != "month"]
    tags, touched = {}, {}
    in_period = [*scope, *dashboard.chosen(filters)]
    for theme, template, part, count in dashboard.summed(["theme", "template", "part"], ["tags"], in_period, THEMES):
        if count:
            tags[theme] = tags.get(theme, 0) + count
            touched.setdefault(theme, set()).add((template, part))
    months = sorted({month for first in focus.values() for side in windows(first) for month in side})
    grades = {}
    if months:
        between = [("month", ">=", months[0]), ("month", "<=", months[-1]), ("part", "<>", 0)]
        for month, template, part, *counts in dashboard.summed(
            ["month", "template", "part"], dashboard.GRADE_FIELDS, [*scope, *kinds, *between]
        ):
            counts = [count or 0 for count in counts]
            grades[as_date(month), template, part] = (counts[0] + counts[1], sum(counts))
    names = dashboard.domain_names({template for parts in touched.values() for template, _ in parts})
    rows = []
    for theme, name in themes.items():
        parts = touched.get(theme, set())
        domains = tuple(sorted({names.get(key, f"Domain {key[1]}") for key in parts}))
        if theme in focus:
            before, after = windows(focus[theme])
            found = (focus[theme], share(grades, before, parts), share(grades, after, parts))
            rows.append(ThemeRow(name, tags.get(theme, 0), domains, *found))
        else:
            rows.append(ThemeRow(name, tags.get(theme, 0), domains))
    return sorted(rows, key=lambda row: row.name.casefold())


THEMES = "theme_tally"


def share(grades, months, parts):
    """The Share of the final grades of `parts` ((template, part) each) in `months` that were Good or better."""
    counted = [grades.get((month, template, part), (0, 0)) for month in months for template, part in parts]
    return Share(sum(good for good, _ in counted), sum(total for _, total in counted))
