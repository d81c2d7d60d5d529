"""Signing in with the council's own account (services/sso.py): the provider's identity an account is linked to at
its first sign-in, so that a later change of email at the provider cannot take over another account. Nothing
existing changes: every account starts unlinked."""

from peewee import CharField


def up(migrator, db):
    migrator.migrate(
        migrator.add_column("user", "sso_issuer", CharField(null=True)),
        migrator.add_column("user", "sso_subject", CharField(null=True)),
        migrator.add_index("user", ("sso_issuer", "sso_subject"), True),
    )
