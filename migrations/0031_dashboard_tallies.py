"""The dashboard's figures, added up by month allocated, template, type, service area, team and part, kept as the
records they count change (services/dashboard_tallies.py), filled here from the audits already recorded; and an index
of Immediate Responses by when they were raised, which the dashboard counts for a period. The
statements are those of services/dashboard_tallies.py as this migration was written: a migration keeps its own copy."""

from peewee import CharField, DateField, IntegerField, Model, PostgresqlDatabase

GRADES = ("outstanding", "good", "requires-improvement", "inadequate")
REASONS = ("declined", "no-reply", "not-appropriate", "safety", "other")
COUNTS = (
    "audits",
    "cancelled",
    "submitted",
    "on_time",
    *(grade.replace("-", "_") for grade in GRADES),
    "moderated",
    "changed",
    "actions_sent",
    "actions_closed",
    "actions_completed",
    "actions_on_time",
    "family_gathered",
    *(f"family_{reason.replace('-', '_')}" for reason in REASONS),
)
SCOPES = (("area", "team"), ("area", "0"), ("0", "0"))


def up(migrator, db):
    class DashboardTally(Model):
        month = DateField()
        template = IntegerField()
        audit_type = CharField()
        service_area = IntegerField()
        team = IntegerField()
        part = IntegerField()

        class Meta:
            database = db
            table_name = "dashboard_tally"
            indexes = (
                (("service_area", "team", "month", "template", "audit_type", "part"), True),
                (("part", "month"), False),
            )

    for column in COUNTS:
        DashboardTally._meta.add_field(column, IntegerField(default=0))
    db.create_tables([DashboardTally])
    # The dashboard counts the Immediate Responses raised in a period.
    db.execute_sql("CREATE INDEX immediate_response_raised_at_id ON immediate_response (raised_at, id)")
    postgresql = isinstance(db, PostgresqlDatabase)
    source = rows(postgresql)
    for area, team in SCOPES:
        keys = f"month, template, audit_type, {area}, {team}, part"
        grouped = ", ".join(key for key in ("month", "template", "audit_type", area, team, "part") if key != "0")
        sums = ", ".join(f"SUM({column})" for column in COUNTS)
        db.execute_sql(
            f"INSERT INTO dashboard_tally (month, template, audit_type, service_area, team, part, {', '.join(COUNTS)}) "  # noqa: S608 - only the code's own names
            f"SELECT {keys}, {sums} FROM ({source}) AS g GROUP BY {grouped}"
        )


def rows(postgresql):
    month = (
        "CAST(date_trunc('month', a.allocated_at) AS DATE)" if postgresql else "strftime('%Y-%m-01', a.allocated_at)"
    )

    def day(column):
        return f"CAST({column} AS DATE)" if postgresql else f"date({column})"

    def counted(condition):
        return f"CASE WHEN {condition} THEN 1 ELSE 0 END"

    def of_audit(table, condition):
        return f"(SELECT COUNT(*) FROM {table} x WHERE x.audit_id = a.id AND {condition})"  # noqa: S608 - only the code's own names

    sent = "x.received_on IS NOT NULL"
    completed = "x.closed_at IS NOT NULL AND x.status IN ('authorised', 'signed-off')"
    in_time = (
        "EXISTS (SELECT 1 FROM action_step s WHERE s.action_id = x.id AND s.kind = 'signed-off' "  # noqa: S608 - only the code's own names
        f"AND {day('s.at')} <= x.deadline)"
    )
    audit = {
        "audits": "1",
        "cancelled": counted("a.status = 'cancelled'"),
        "submitted": counted("a.submitted_at IS NOT NULL"),
        "on_time": counted(f"{day('a.submitted_at')} <= a.due_on"),
        **{
            grade.replace("-", "_"): counted(
                f"a.submitted_at IS NOT NULL AND COALESCE(m.grade, a.overall_grade) = '{grade}'"
            )
            for grade in GRADES
        },
        "moderated": counted("m.id IS NOT NULL"),
        "changed": counted("m.grade <> m.auditor_grade"),
        "actions_sent": of_audit("action", sent),
        "actions_closed": of_audit("action", f"{sent} AND x.closed_at IS NOT NULL"),
        "actions_completed": of_audit("action", f"{sent} AND {completed}"),
        "actions_on_time": of_audit("action", f"{sent} AND {completed} AND {in_time}"),
        "family_gathered": of_audit("family_feedback", "x.gathered"),
        **{
            f"family_{reason.replace('-', '_')}": of_audit(
                "family_feedback", f"NOT x.gathered AND x.not_gathered_reason = '{reason}'"
            )
            for reason in REASONS
        },
    }
    domain = {grade.replace("-", "_"): counted(f"COALESCE(dm.grade, d.grade) = '{grade}'") for grade in GRADES}
    domain |= {"moderated": counted("dm.id IS NOT NULL"), "changed": counted("dm.grade <> dm.auditor_grade")}
    key = (
        f"{month} AS month, COALESCE(a.template_id, 0) AS template, a.audit_type AS audit_type, "
        "t.service_area_id AS area, c.team_id AS team"
    )
    joins = (
        'JOIN "case" c ON c.id = a.case_id JOIN team t ON t.id = c.team_id '
        "LEFT JOIN moderation m ON m.audit_id = a.id AND m.status = 'submitted'"
    )
    audit_values = ", ".join(f"{audit[column]} AS {column}" for column in COUNTS)
    domain_values = ", ".join(f"{domain.get(column, '0')} AS {column}" for column in COUNTS)
    return (
        f"SELECT {key}, 0 AS part, {audit_values} "  # noqa: S608 - only the code's own names
        f"FROM audit a {joins} WHERE a.exercise_id IS NULL "
        f"UNION ALL SELECT {key}, p.position AS part, {domain_values} "
        "FROM domain_judgement d JOIN template_domain p ON p.id = d.domain_id "
        f"JOIN audit a ON a.id = d.audit_id {joins} "
        "LEFT JOIN domain_moderation dm ON dm.moderation_id = m.id AND dm.domain_id = d.domain_id "
        "WHERE a.exercise_id IS NULL AND a.submitted_at IS NOT NULL"
    )
