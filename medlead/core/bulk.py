"""Many records at once: saving a national import's hundreds of thousands of people (issue 20, target 3), and
reading the records of a long list of ids (``among``).

Django's ``bulk_create`` spends most of its time in Python building INSERT statements (4.4 s for 20,000 people, of
which PostgreSQL took 1.3 s). On PostgreSQL, ``copy_create`` takes the new ids from the table's own sequence, then
sends every row in one COPY. The records come out as ``bulk_create`` leaves them: each field's value prepared by
the field itself (defaults and ``auto_now`` included), the id set on each object, nothing committed outside the
caller's transaction. Elsewhere (SQLite, for ``make run``) it is ``bulk_create``."""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db import DEFAULT_DB_ALIAS, connections, models
from django.db.models import Lookup, Q

from medlead.core import kept


class AnyOf(Lookup):
    """``field__any_of=[ids]``: ``field = ANY(%s)`` with the ids as one array on PostgreSQL, so that the query is the
    same text (one prepared statement) however many ids it names, and a list of a trust's thousand doctors is one
    value to send, not a thousand placeholders to build and parse (9 ms a query for the responsible officer's
    annual report); ``IN (...)`` elsewhere (SQLite, for ``make run``)."""

    lookup_name = "any_of"

    def get_prep_lookup(self) -> list[Any]:
        return [self.lhs.output_field.get_prep_value(v) for v in self.rhs]

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, tuple[Any, ...]]:
        lhs, lhs_params = self.process_lhs(compiler, connection)
        if connection.vendor == "postgresql":
            return f"{lhs} = ANY(%s::bigint[])", (*lhs_params, list(self.rhs))
        if not self.rhs:
            raise EmptyResultSet  # as Django's own ``__in`` does for an empty list
        return f"{lhs} IN ({', '.join(['%s'] * len(self.rhs))})", (*lhs_params, *self.rhs)


models.BigAutoField.register_lookup(AnyOf)
models.ForeignKey.register_lookup(AnyOf)


def among(field: str, ids: Collection[int]) -> Q:
    """The filter to the records whose ``field`` (an id or a foreign key) is one of ``ids``, one query text however
    many (``AnyOf``)."""
    return Q(**{f"{field}__any_of": list(ids)})


# Fields whose prepared value is the Python value itself when it is already of this type (a ``CharField``'s ``str``):
# sent as they are, for speed. Every other field, and any other value, is prepared by the field.
_AS_IS = {
    "CharField": (str,),
    "TextField": (str,),
    "EmailField": (str,),
    "BooleanField": (bool,),
    "IntegerField": (int,),
    "PositiveIntegerField": (int,),
    "PositiveSmallIntegerField": (int,),
    "SmallIntegerField": (int,),
    "BigIntegerField": (int,),
}


def _preparer(field: models.Field[Any, Any], db: Any) -> Callable[[models.Model], Any]:
    kinds = _AS_IS.get(field.get_internal_type())
    prepare, pre_save = field.get_db_prep_save, field.pre_save

    def prepared(obj: models.Model) -> Any:
        value = pre_save(obj, True)
        if value is None or (kinds is not None and type(value) in kinds):
            return value
        return prepare(value, db)

    return prepared


def copy_create(model: type[models.Model], objs: Sequence[models.Model]) -> None:
    """Insert ``objs`` (new instances of ``model``, without ids) and set their ids."""
    if not objs:
        return
    db = connections[DEFAULT_DB_ALIAS]
    if db.vendor != "postgresql":
        model._default_manager.bulk_create(objs, batch_size=500)
        return
    opts = model._meta
    pk = opts.pk
    assert pk is not None and isinstance(pk, models.AutoField | models.BigAutoField)
    fields = [f for f in opts.concrete_fields if f is not pk]
    preparers = [_preparer(f, db) for f in fields]
    table = opts.db_table
    with db.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [db.ops.quote_name(table), pk.column, len(objs)],
        )
        ids = [row[0] for row in cursor.fetchall()]
    # Every row is made before the COPY starts: the connection can do nothing else while a COPY is open.
    rows = []
    for obj, new_id in zip(objs, ids, strict=True):
        rows.append((new_id, *(prepared(obj) for prepared in preparers)))
        obj.pk = new_id
        obj._state.adding = False
        obj._state.db = db.alias
    columns = ", ".join(db.ops.quote_name(str(f.column)) for f in [pk, *fields])
    with (
        db.wrap_database_errors,  # a broken rule is Django's IntegrityError, as from any other save
        db.cursor() as cursor,
        cursor.cursor.copy(f"COPY {db.ops.quote_name(table)} ({columns}) FROM STDIN") as copy,
    ):
        for row in rows:
            copy.write_row(row)
    kept.wrote([table], using=db.alias)  # a COPY does not pass Django's statements, which kept watches


UPDATE_EVERY = 1000  # rows a statement of ``values_update`` changes


def values_update(model: type[models.Model], objs: Sequence[models.Model], fields: Sequence[str]) -> None:
    """Save ``fields`` of ``objs`` (records that exist). Django's ``bulk_update`` builds a CASE expression per field
    and record, in Python, and spent 95% of a national import's apply doing it (ADR 0031). On PostgreSQL,
    ``values_update`` sends one ``UPDATE ... FROM (VALUES ...)`` a thousand records at a time, each value prepared
    by its field and cast to the column's type. Like ``bulk_update`` it sets only the fields named (no ``auto_now``).
    Elsewhere it is ``bulk_update``."""
    if not objs:
        return
    db = connections[DEFAULT_DB_ALIAS]
    if db.vendor != "postgresql":
        model._default_manager.bulk_update(objs, list(fields), batch_size=500)
        return
    opts = model._meta
    pk = opts.pk
    assert pk is not None
    by_name = {f.name: f for f in opts.concrete_fields}
    columns = [by_name[name] for name in fields]
    quote = db.ops.quote_name
    casts = ", ".join(f"%s::{f.db_type(db)}" for f in [pk, *columns])
    names = ", ".join(quote(str(f.column)) for f in [pk, *columns])
    sets = ", ".join(f"{quote(str(f.column))} = v.{quote(str(f.column))}" for f in columns)
    table = quote(opts.db_table)
    with db.wrap_database_errors, db.cursor() as cursor:
        for start in range(0, len(objs), UPDATE_EVERY):
            batch = objs[start : start + UPDATE_EVERY]
            params: list[Any] = []
            for obj in batch:
                params.append(obj.pk)
                params += [f.get_db_prep_save(getattr(obj, f.attname), db) for f in columns]
            rows = ", ".join([f"({casts})"] * len(batch))
            cursor.execute(  # names quoted from the model, every value a parameter
                f"UPDATE {table} SET {sets} FROM (VALUES {rows}) AS v({names}) "  # noqa: S608
                f"WHERE {table}.{quote(str(pk.column))} = v.{quote(str(pk.column))}",
                params,
            )
