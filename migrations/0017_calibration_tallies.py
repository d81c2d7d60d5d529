"""Calibration's figures added up by month drawn, template and service area, kept as each moderation is
submitted (services/calibration_tallies.py), so that the calibration page reads a few hundred rows instead of
every moderated grade; filled here from the moderations already submitted. The statements are those of
services/calibration_tallies.py as this migration was written: a migration keeps its own copy."""

from peewee import DateField, ForeignKeyField, IntegerField, Model

GRADES = ("outstanding", "good", "requires-improvement", "inadequate")
STEPS = range(len(GRADES))
TOTALS = ("o", *(f"r{i}" for i in STEPS), *(f"c{j}" for j in STEPS))
PRODUCTS = [(a, b) for index, a in enumerate(TOTALS) for b in TOTALS[index:]]
PLACE = {"month": "month", "template_id": "template", "service_area_id": "area"}


def up(migrator, db):
    class Base(Model):
        class Meta:
            database = db
            legacy_table_names = False

    class AuditTemplate(Base):
        pass

    class ServiceArea(Base):
        pass

    class Team(Base):
        pass

    class User(Base):
        pass

    class CalibrationTally(Base):
        month = DateField()
        template = ForeignKeyField(AuditTemplate, index=False)
        service_area = ForeignKeyField(ServiceArea, index=False)
        part = IntegerField()

        class Meta:
            indexes = ((("month", "template", "part", "service_area"), True),)

    class CalibrationSpread(Base):
        month = DateField()
        template = ForeignKeyField(AuditTemplate, index=False)
        service_area = ForeignKeyField(ServiceArea, index=False)
        audits = IntegerField(default=0)

        class Meta:
            indexes = ((("month", "template", "service_area"), True),)

    class CalibrationGroup(Base):
        month = DateField()
        template = ForeignKeyField(AuditTemplate, index=False)
        service_area = ForeignKeyField(ServiceArea, index=False)
        team = ForeignKeyField(Team, index=False)
        auditor = ForeignKeyField(User, index=False)
        audits = IntegerField(default=0)
        grades = IntegerField(default=0)
        agreed = IntegerField(default=0)
        change = IntegerField(default=0)

        class Meta:
            indexes = ((("month", "template", "service_area", "team", "auditor"), True),)

    for i in STEPS:
        for j in STEPS:
            CalibrationTally._meta.add_field(f"n_{i}_{j}", IntegerField(default=0))
    for a, b in PRODUCTS:
        CalibrationSpread._meta.add_field(f"s_{a}_{b}", IntegerField(default=0))
    db.create_tables([CalibrationTally, CalibrationSpread, CalibrationGroup])
    for sql in statements():
        db.execute_sql(sql)


def step(column):
    return f"CASE {column} " + " ".join(f"WHEN '{code}' THEN {n}" for n, code in enumerate(GRADES)) + " END"


def graded():
    known = ", ".join(f"'{code}'" for code in GRADES)
    kept_by = "m.id AS moderation, d.month, a.template_id AS template, t.service_area_id AS area, c.team_id AS team"
    joins = (
        "JOIN moderation_draw d ON d.id = m.draw_id JOIN audit a ON a.id = m.audit_id "
        'JOIN "case" c ON c.id = a.case_id JOIN team t ON t.id = c.team_id'
    )

    def chosen(grades):
        return (
            f"WHERE m.status = 'submitted' AND a.template_id IS NOT NULL AND {grades}.auditor_grade IN ({known}) "
            f"AND {grades}.grade IN ({known})"
        )

    return (
        f"SELECT {kept_by}, a.auditor_id AS auditor, p.position AS part, {step('x.auditor_grade')} AS i, "  # noqa: S608 - only the code's own names
        f"{step('x.grade')} AS j FROM domain_moderation x JOIN moderation m ON m.id = x.moderation_id "
        f"JOIN template_domain p ON p.id = x.domain_id {joins} {chosen('x')} "
        f"UNION ALL SELECT {kept_by}, a.auditor_id AS auditor, 0 AS part, {step('m.auditor_grade')} AS i, "
        f"{step('m.grade')} AS j FROM moderation m {joins} {chosen('m')}"
    )


def inserted(table, keys, values, source):
    columns = [*keys, *values]
    select = ", ".join([*keys.values(), *values.values()])
    return (
        f"INSERT INTO {table} ({', '.join(columns)}) SELECT {select} FROM ({source}) AS g "  # noqa: S608 - only the code's own names
        f"GROUP BY {', '.join(keys.values())}"
    )


def statements():
    grades = graded()
    pairs = {f"n_{i}_{j}": f"SUM(CASE WHEN i = {i} AND j = {j} THEN 1 ELSE 0 END)" for i in STEPS for j in STEPS}
    group = {
        "audits": "SUM(CASE WHEN part = 0 THEN 1 ELSE 0 END)",
        "grades": "COUNT(*)",
        "agreed": "SUM(CASE WHEN i = j THEN 1 ELSE 0 END)",
        "change": "SUM(j - i)",
    }
    totals = {"o": f"SUM({len(GRADES) - 1} - ABS(i - j))"}
    totals |= {f"r{n}": f"SUM(CASE WHEN i = {n} THEN 1 ELSE 0 END)" for n in STEPS}
    totals |= {f"c{n}": f"SUM(CASE WHEN j = {n} THEN 1 ELSE 0 END)" for n in STEPS}
    per_audit = (
        f"SELECT month, template, area, {', '.join(f'{sql} AS {name}' for name, sql in totals.items())} "  # noqa: S608 - only the code's own names
        f"FROM ({grades}) AS each_grade GROUP BY moderation, month, template, area"
    )
    products = {"audits": "COUNT(*)"} | {f"s_{a}_{b}": f"SUM({a} * {b})" for a, b in PRODUCTS}
    return [
        inserted("calibration_tally", PLACE | {"part": "part"}, pairs, grades),
        inserted("calibration_group", PLACE | {"team_id": "team", "auditor_id": "auditor"}, group, grades),
        inserted("calibration_spread", PLACE, products, per_audit),
    ]
