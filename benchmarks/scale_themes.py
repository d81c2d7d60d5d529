"""The learning themes a council at Leeds scale would keep (issue 18, seed 004 2.7.2), for scale_data.py: eight
themes, a learning focus every third month, and about one domain's finding in six of the submitted audits tagged
with a theme, each theme mostly on the one domain it is about (about 28,000 tags at 24,000 audits)."""

from bulk import insert, insert_all

from models import DomainJudgement, LearningTheme, ProgrammeMonth, ThemeTag

THEMES = [
    "Case recording",
    "Chronologies",
    "Child's lived experience",
    "Contingency planning",
    "Management oversight",
    "Voice of the child",
    "Risk analysis",
    "Working with fathers",
]
TAGGED = 1 / 6  # the share of submitted audits' findings tagged


def build_themes(rng, council):
    """Themes, focus months and tags, by the first QA officer."""
    themes = insert(LearningTheme, [{"name": name, "description": ""} for name in THEMES])
    months = sorted({row["allocated_at"].date().replace(day=1) for row in council.audits})
    insert(
        ProgrammeMonth,
        [{"month": month, "audit_type": "monthly", "focus": themes[number % len(themes)]}
         for number, month in enumerate(months[::3])],
    )  # fmt: skip
    submitted = [row["id"] for row in council.audits if row.get("submitted_at")]
    tags = []
    for start in range(0, len(submitted), 900):
        batch = DomainJudgement.audit.in_(submitted[start : start + 900])
        judgements = DomainJudgement.select(DomainJudgement.id, DomainJudgement.domain).where(batch)
        for judgement_id, domain_id in judgements.tuples():
            if rng.random() < TAGGED:
                # Each theme is mostly found on one domain, as a theme is about one part of practice.
                theme = themes[domain_id % len(themes)] if rng.random() < 0.8 else rng.choice(themes)
                tags.append({"judgement": judgement_id, "theme": theme, "tagged_by": council.qa_officers[0]})
    insert_all(ThemeTag, tags)
