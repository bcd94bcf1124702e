"""Indexes that differ by database.

`PatternOpsIndex(expression, name=…)` — an index of one expression with PostgreSQL's
`text_pattern_ops` operator class, so that a prefix search (`LIKE 'ABC%'`: what `__startswith`
compiles to, and `__istartswith` over an index of `Upper(field)`) can use it whatever the
database's collation — a default btree serves LIKE only under the C collation. SQLite knows no
operator classes: there it is an index of the bare expression (valid SQL, so SQLite migrates and
remakes the table as ever; its LIKE, which folds the case of ASCII letters only, does not use it).

    PatternOpsIndex(Upper("number"), name="iom_route_number_prefix")

The operator class is written into the CREATE INDEX statement rather than as Django's
`OpClass()` expression: that one needs django.contrib.postgres installed (its ready() makes
OpClass an index wrapper) and renders the same on SQLite, where it is a syntax error.
"""

from __future__ import annotations

from django.db import models


class _WithOperatorClass:
    """The statement's indexed expression followed by the operator class; renames and reference
    checks go to the expression as before."""

    def __init__(self, columns, opclass: str):
        self.columns, self.opclass = columns, opclass

    def __getattr__(self, name):
        return getattr(self.columns, name)

    def __str__(self):
        return f"{self.columns} {self.opclass}"


class PatternOpsIndex(models.Index):
    opclass = "text_pattern_ops"

    def __init__(self, *expressions, **kwargs):
        if len(expressions) != 1 or kwargs.get("fields"):
            raise ValueError("PatternOpsIndex indexes exactly one expression")
        super().__init__(*expressions, **kwargs)

    def create_sql(self, model, schema_editor, using="", **kwargs):
        statement = super().create_sql(model, schema_editor, using=using, **kwargs)
        if schema_editor.connection.vendor == "postgresql":
            statement.parts["columns"] = _WithOperatorClass(statement.parts["columns"], self.opclass)
        return statement
