"""The audit itself: versioned templates of domains, a judgement per domain, the
practitioner discussion, the overall judgement, SMART actions, and drafts kept
when a session times out. Existing audits are given the default template."""

import datetime

from peewee import BooleanField, CharField, DateField, DateTimeField, ForeignKeyField, IntegerField, Model, TextField

# Sefton good practice guide for auditors (seed 001) s.3.2: the seven practice domains.
SEFTON = [
    (
        "Help, Protection and Stability",
        "Risk and need were recognised early and acted on without delay. The child is safer and more settled than "
        "when help began, and there is a clear contingency plan if things go wrong. Start with a few lines about the "
        "child: who they are, their history and their circumstances now.",
    ),
    (
        "Recording and Communication",
        "The record tells the child's story in plain, respectful language that they could read later in life. The "
        "case summary, chronology and genogram are up to date; visits are recorded promptly, linked to the plan and "
        "analysed, and the child's own words are visible.",
    ),
    (
        "Assessment",
        "The assessment is up to date, completed in time and refreshed when circumstances change. It draws on other "
        "agencies, parents and carers, weighs history as well as the present, analyses risk and strengths, and looks "
        "ahead to the child's future needs.",
    ),
    (
        "Relationship Based Practice and Direct Work",
        "The child sees their worker regularly and has a trusting relationship with them. Direct work tools are used "
        "well, the work is recorded and uploaded, and it shapes the plan. Say which tools you saw and how good the "
        "rapport is.",
    ),
    (
        "Multi-Agency Planning, Analysis, Review and Decision Making",
        "The right agencies attend meetings, share information and challenge one another when needed. Plans are "
        "specific and reviewed on time, decisions are recorded with their reasons, and the IRO or chair checks "
        "progress between reviews.",
    ),
    (
        "The Role of Supervision and Management Oversight",
        "The case is discussed in supervision as often as practice standards require. The manager reflects with the "
        "practitioner, tests hypotheses, spots drift and delay, and sets actions that are followed up rather than "
        "copied forward.",
    ),
    (
        "Impact and Overall Outcomes",
        "The help given has made a real difference to the child's safety, stability, health, education and "
        "relationships. Say what has changed for the child, what has not, and what must happen next.",
    ),
]

# Bradford report on quality assurance and audit (seed 004) 2.3.4: the nine key elements of practice.
BRADFORD = [
    (
        "Identifying and reducing risk and need",
        "Risk and need were identified promptly, the response matched them, and the risk to the child has reduced.",
    ),
    (
        "Assessment",
        "Assessments are timely, thorough and analytical, and of a quality that supports sound decisions.",
    ),
    (
        "Plans and reviews",
        "Plans are specific and reviewed on time, and together they drive progress towards good outcomes for the "
        "child.",
    ),
    (
        "The child's voice and lived experience",
        "The child's wishes, feelings and daily experience are known, recorded in their own words and at the centre "
        "of the work.",
    ),
    (
        "Engaging the family",
        "Parents, carers and the wider family are engaged in the work and understand what needs to change and why.",
    ),
    (
        "Working with partners",
        "Professionals around the family share information and work together to improve the child's life.",
    ),
    (
        "Management oversight",
        "Managers make effective, proportionate and timely decisions, and make sure the standard of work is good.",
    ),
    (
        "Case records",
        "The record is accurate, up to date and tells the child's story clearly.",
    ),
    (
        "Impact",
        "It is clear how the work has made a difference to the child's life.",
    ),
]


def up(migrator, db):
    class Base(Model):
        class Meta:
            database = db
            legacy_table_names = False

    class User(Base):
        pass

    class Audit(Base):
        pass

    class AuditTemplate(Base):
        name = CharField()
        version = IntegerField()
        source = CharField()
        is_current = BooleanField(default=False)
        created_at = DateTimeField(default=datetime.datetime.utcnow)

        class Meta:
            indexes = ((("name", "version"), True),)

    class TemplateDomain(Base):
        template = ForeignKeyField(AuditTemplate)
        position = IntegerField()
        name = CharField()
        guidance = TextField()

        class Meta:
            indexes = ((("template", "position"), True),)

    class TemplateDomainStub(Base):
        class Meta:
            table_name = "template_domain"

    class DomainJudgement(Base):
        audit = ForeignKeyField(Audit, on_delete="CASCADE")
        domain = ForeignKeyField(TemplateDomainStub)
        grade = CharField(null=True)
        evidence = TextField(default="")
        so_what = TextField(default="")

        class Meta:
            indexes = ((("audit", "domain"), True),)

    class Action(Base):
        audit = ForeignKeyField(Audit, on_delete="CASCADE")
        source = CharField(default="audit")
        what = TextField()
        owner_name = CharField()
        owner_role = CharField()
        due_on = DateField()
        done_when = TextField()
        vague_confirmed = BooleanField(default=False)
        status = CharField(default="open")
        created_at = DateTimeField(default=datetime.datetime.utcnow)
        version = IntegerField(default=1)

    class Draft(Base):
        audit = ForeignKeyField(Audit, on_delete="CASCADE")
        user = ForeignKeyField(User)
        field = CharField()
        text = TextField()
        saved_at = DateTimeField()

        class Meta:
            indexes = ((("audit", "user", "field"), True),)

    db.create_tables([AuditTemplate, TemplateDomain])
    templates = {}
    for name, source, domains, current in [
        ("Sefton practice domains", "Sefton good practice guide for auditors, 2022 (s.3.2)", SEFTON, True),
        (
            "Bradford key elements of practice",
            "Bradford quality assurance and audit report, 2021 (2.3.4)",
            BRADFORD,
            False,
        ),
    ]:
        template = AuditTemplate.create(name=name, version=1, source=source, is_current=current)
        for position, (domain, guidance) in enumerate(domains, start=1):
            TemplateDomain.create(template=template, position=position, name=domain, guidance=guidance)
        templates[name] = template
    db.create_tables([DomainJudgement, Action, Draft])

    sefton = templates["Sefton practice domains"]
    migrator.migrate(
        migrator.add_column("audit", "template_id", ForeignKeyField(AuditTemplate, field=AuditTemplate.id, null=True)),
        migrator.add_column("audit", "period_start", DateField(null=True)),
        migrator.add_column("audit", "period_end", DateField(null=True)),
        migrator.add_column("audit", "about_child", TextField(default="")),
        migrator.add_column("audit", "discussion_on", DateField(null=True)),
        migrator.add_column("audit", "discussion_minutes", IntegerField(null=True)),
        migrator.add_column("audit", "practitioner_view", TextField(default="")),
        migrator.add_column("audit", "practitioner_differently", TextField(default="")),
        migrator.add_column("audit", "immediate_concern", BooleanField(null=True)),
        migrator.add_column("audit", "supervised_recently", BooleanField(null=True)),
        migrator.add_column("audit", "overall_grade", CharField(null=True)),
        migrator.add_column("audit", "overall_rationale", TextField(default="")),
        migrator.add_column("audit", "grade_gap_reason", TextField(default="")),
        migrator.add_column("audit", "submitted_at", DateTimeField(null=True)),
    )

    # Audits allocated before this migration use the default template, and cover
    # the six months before they were allocated (Sefton guide s.3.2).
    class AuditRow(Base):
        allocated_at = DateTimeField()
        template = ForeignKeyField(AuditTemplate, null=True)
        period_start = DateField(null=True)
        period_end = DateField(null=True)

        class Meta:
            table_name = "audit"

    for audit in AuditRow.select():
        end = audit.allocated_at.date()
        AuditRow.update(template=sefton, period_start=six_months_before(end), period_end=end).where(
            AuditRow.id == audit.id
        ).execute()


def six_months_before(day):
    """The same day six months earlier, or the month's last day if it has no such day."""
    year, month = (day.year, day.month - 6) if day.month > 6 else (day.year - 1, day.month + 6)
    for candidate in (day.day, 30, 29, 28):
        try:
            return datetime.date(year, month, candidate)
        except ValueError:
            continue
    raise ValueError(day)
