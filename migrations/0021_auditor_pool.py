"""The auditor pool for the month's audit plan: each auditor's monthly quota and whether they are kept from their
own service area's cases, each empty for the usual of their job role (services/auditor_pool.py), and the months
they are away. Nothing existing changes: every auditor starts with their job role's usual."""

from peewee import BooleanField, DateField, ForeignKeyField, IntegerField, Model


def up(migrator, db):
    class Base(Model):
        class Meta:
            database = db
            legacy_table_names = False

    class User(Base):
        pass

    class AuditorAway(Base):
        user = ForeignKeyField(User, on_delete="CASCADE", index=False)
        month = DateField()  # its first day

        class Meta:
            indexes = ((("user", "month"), True), (("month",), False))

    migrator.migrate(
        migrator.add_column("user", "monthly_quota", IntegerField(null=True)),
        migrator.add_column("user", "kept_from_own_area", BooleanField(null=True)),
    )
    db.create_tables([AuditorAway])
