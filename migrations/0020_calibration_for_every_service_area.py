"""Calibration's figures kept for every service area together as well as for each (services/calibration_tallies.py),
so that the page without a service area chosen, the one people open, reads a tenth of the rows; and the figures by
auditor and by team kept apart, each at the grain it is read by, rather than in one table of both.

Each new row is the sum of rows already kept, so the figures are added up here from the tallies themselves rather
than from every moderated grade again: an empty service area holds the rows for every service area."""

from peewee import DateField, ForeignKeyField, IntegerField, Model

EVERY_AREA = "service_area_id IS NULL"
GROUP = ("audits", "grades", "agreed", "change")


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

    class GroupTally(Base):
        month = DateField()
        template = ForeignKeyField(AuditTemplate, index=False)
        audits = IntegerField(default=0)
        grades = IntegerField(default=0)
        agreed = IntegerField(default=0)
        change = IntegerField(default=0)

    class CalibrationAuditor(GroupTally):
        service_area = ForeignKeyField(ServiceArea, index=False, null=True)
        auditor = ForeignKeyField(User, index=False)

        class Meta:
            indexes = ((("month", "template", "service_area", "auditor"), True),)

    class CalibrationTeam(GroupTally):
        service_area = ForeignKeyField(ServiceArea, index=False)
        team = ForeignKeyField(Team, index=False)

        class Meta:
            indexes = ((("month", "template", "service_area", "team"), True),)

    db.create_tables([CalibrationAuditor, CalibrationTeam])
    migrator.migrate(
        migrator.drop_not_null("calibration_tally", "service_area_id"),
        migrator.drop_not_null("calibration_spread", "service_area_id"),
    )
    every_area = {
        "calibration_tally": ["month", "template_id", "part"],
        "calibration_spread": ["month", "template_id"],
        "calibration_auditor": ["month", "template_id", "auditor_id"],
    }
    for table, key in every_area.items():
        db.execute_sql(
            f'CREATE UNIQUE INDEX "{table}_every_area" ON "{table}" ({", ".join(key)}) WHERE {EVERY_AREA}'  # noqa: S608 - the code's own names
        )
    sums = ", ".join(f"SUM({name})" for name in GROUP)
    filled = {
        "calibration_auditor": ["month", "template_id", "service_area_id", "auditor_id"],
        "calibration_team": ["month", "template_id", "service_area_id", "team_id"],
    }
    for table, key in filled.items():
        db.execute_sql(
            f"INSERT INTO {table} ({', '.join(key)}, {', '.join(GROUP)}) "  # noqa: S608 - the code's own names
            f"SELECT {', '.join(key)}, {sums} FROM calibration_group GROUP BY {', '.join(key)}"
        )
    db.execute_sql("DROP TABLE calibration_group")
    for table, key in every_area.items():
        values = [column for column in db.get_columns(table) if column.name not in (*key, "id", "service_area_id")]
        names = ", ".join(column.name for column in values)
        db.execute_sql(
            f"INSERT INTO {table} ({', '.join(key)}, {names}) "  # noqa: S608 - the code's own names
            f"SELECT {', '.join(key)}, {', '.join(f'SUM({column.name})' for column in values)} FROM {table} "
            f"GROUP BY {', '.join(key)}"
        )
