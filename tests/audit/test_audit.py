"""The audit log: every change (services and the admin) with old and new values, who and when, in an
append-only hash chain; `leitai audit verify` names the first entry someone changed behind its back."""

from __future__ import annotations

import threading

import pytest
from click.testing import CliRunner
from django.db import connection, transaction
from django.urls import reverse

from leitai.audit.chain import seal, verify
from leitai.audit.models import AppendOnly, Entry, Seal
from leitai.cli import main
from tests.conftest import PASSWORD


def _entries(model: str, pk) -> list[dict]:
    return [e.content for e in Entry.objects.filter(model=model, object_pk=str(pk)).order_by("id")]


def _superuser(user):
    user.is_superuser = True
    user.save()
    return user


def test_a_change_through_the_admin_is_recorded_with_old_and_new_values_and_who(city, organizer, client):
    from leitai.units.models import Unit

    client.force_login(_superuser(organizer))
    unit = city["a"]
    response = client.post(f"/admin/units/unit/{unit.pk}/change/", {
        "code": unit.code, "name": "东城新区", "short_name": "", "name_en": "", "kind": unit.kind,
        "parent": unit.parent_id, "sort_order": unit.sort_order, "active": "on",
        "posts-TOTAL_FORMS": 0, "posts-INITIAL_FORMS": 0, "posts-MIN_NUM_FORMS": 0, "posts-MAX_NUM_FORMS": 1000})
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Unit.objects.get(pk=unit.pk).name == "东城新区"
    [created, changed] = _entries("units.unit", unit.pk)
    assert created["action"] == "create" and created["new"]["name"] == "东城区"
    assert changed["action"] == "update"
    assert changed["old"] == {"name": "东城区"} and changed["new"] == {"name": "东城新区"}
    assert changed["actor"] == "organizer" and changed["actor_id"] == organizer.pk
    assert changed["via"] == f"POST /admin/units/unit/{unit.pk}/change/"


def test_a_service_change_is_recorded_and_a_deletion_keeps_the_old_values(city, organizer):
    from leitai.indicators.models import AnnualTarget

    target = AnnualTarget.objects.create(unit=city["a"], indicator=city["gdp"], year=2024, value=6.5)
    target.value = 7.0
    target.save()
    kinds = [(e["action"], e["old"], e["new"] if e["action"] != "create" else None)
             for e in _entries("indicators.annualtarget", target.pk)]
    assert kinds == [("create", None, None), ("update", {"value": 6.5}, {"value": 7.0})]
    assert _entries("indicators.annualtarget", target.pk)[0]["actor"] == "system"  # no request, no command


def test_secrets_are_hidden_and_sign_ins_are_not_recorded(organizer, client):
    before = Entry.objects.filter(model="accounts.user").count()
    response = client.post(reverse("accounts:login"), {"username": "organizer", "password": PASSWORD})
    assert response.status_code == 302  # signed in: last_login moved, which is not a change worth a line
    assert Entry.objects.filter(model="accounts.user").count() == before
    organizer.set_password("another-horse-43")
    organizer.save()
    last = _entries("accounts.user", organizer.pk)[-1]
    assert last["old"] == {"password": "<hidden>"} and last["new"] == {"password": "<hidden>"}
    assert "md5" not in Entry.objects.filter(model="accounts.user").last().data


def _tamper(sql: str, params) -> None:
    with connection.cursor() as cur:
        cur.execute(sql, params)


def _verify_cli() -> tuple[int, str]:
    result = CliRunner().invoke(main, ["audit", "verify", "--lang", "en"])
    return result.exit_code, result.output


def test_verify_passes_an_intact_chain_and_names_the_entry_changed_by_raw_sql(city, organizer):
    from leitai.units.models import Unit

    for n in range(5):
        Unit.objects.create(code=f"X{n}", name=f"新单位{n}", kind="town", parent=city["a"])
    seal()  # PostgreSQL seals after the commit (never here: the test's transaction stays open); SQLite already did
    assert Seal.objects.count() == Entry.objects.count() > 10
    code, out = _verify_cli()
    assert code == 0 and f"{Entry.objects.count()} entries" in out
    victim = Entry.objects.filter(model="units.unit", data__contains="新单位2").get()
    table = connection.ops.quote_name(Entry._meta.db_table)
    _tamper(f"UPDATE {table} SET data = REPLACE(data, '新单位', '旧单位') WHERE id = %s", [victim.pk])
    code, out = _verify_cli()
    assert code == 2
    assert f"entry {victim.pk}" in out and "content does not match its hash" in out
    assert verify().broken_entry == victim.pk


def test_verify_names_a_changed_column_a_removed_entry_and_a_forged_hash(city):
    from leitai.units.models import Unit

    for n in range(4):
        Unit.objects.create(code=f"Y{n}", name=f"单位{n}", kind="town", parent=city["a"])
    seal()
    ids = list(Entry.objects.order_by("id").values_list("id", flat=True))
    entries = connection.ops.quote_name(Entry._meta.db_table)
    seals = connection.ops.quote_name(Seal._meta.db_table)

    _tamper(f"UPDATE {entries} SET model = 'units.person' WHERE id = %s", [ids[-1]])
    assert verify().broken_entry == ids[-1] and "column model" in verify().en
    _tamper(f"UPDATE {entries} SET model = 'units.unit' WHERE id = %s", [ids[-1]])
    assert verify().intact

    _tamper(f"DELETE FROM {seals} WHERE entry_id = %s", [ids[2]])
    _tamper(f"DELETE FROM {entries} WHERE id = %s", [ids[2]])
    verdict = verify()
    assert verdict.broken_entry == ids[3] and "missing" in verdict.en


def test_a_rewritten_hash_breaks_the_next_link(city):
    from leitai.units.models import Unit

    for n in range(3):
        Unit.objects.create(code=f"Z{n}", name=f"单位{n}", kind="town", parent=city["a"])
    seal()
    links = list(Seal.objects.order_by("seq"))
    seals = connection.ops.quote_name(Seal._meta.db_table)
    _tamper(f"UPDATE {seals} SET hash = %s WHERE id = %s", ["f" * 64, links[1].pk])
    verdict = verify()
    assert verdict.broken_entry in (links[1].entry_id, links[2].entry_id)


def test_the_log_is_append_only_through_the_orm_and_the_admin(city, organizer, client):
    seal()
    entry = Entry.objects.first()
    entry.actor = "someone else"
    with pytest.raises(AppendOnly):
        entry.save()
    with pytest.raises(AppendOnly):
        entry.delete()
    with pytest.raises(AppendOnly):
        Entry.objects.filter(pk=entry.pk).update(actor="x")
    with pytest.raises(AppendOnly):
        Entry.objects.all().delete()
    with pytest.raises(AppendOnly):
        Seal.objects.all().delete()
    client.force_login(_superuser(organizer))
    assert client.get("/admin/audit/entry/").status_code == 200
    assert client.get(f"/admin/audit/entry/{entry.pk}/change/").status_code == 200  # a view, no save button
    assert client.post(f"/admin/audit/entry/{entry.pk}/change/", {"actor": "x"}).status_code == 403
    assert client.post(f"/admin/audit/entry/{entry.pk}/delete/", {"post": "yes"}).status_code == 403
    assert Entry.objects.get(pk=entry.pk).actor != "x"


@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_never_fork_the_chain(city):
    """Many transactions at once, each sealing after its commit: one chain, seq 1…N, every entry once.
    PostgreSQL: real threads racing (the advisory lock serialises the sealing); SQLite (writers serialised by
    IMMEDIATE transactions; the test database is in-memory with table locks): the same work one thread after
    another."""
    from leitai.units.models import Unit

    errors = []

    def work(n: int) -> None:
        try:
            for k in range(8):
                with transaction.atomic():
                    Unit.objects.create(code=f"T{n}-{k}", name=f"并发{n}-{k}", kind="town", parent_id=city["a"].pk)
        except Exception as e:  # pragma: no cover - reported below
            errors.append(e)
        finally:
            connection.close()

    threads = [threading.Thread(target=work, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
        if connection.vendor != "postgresql":
            t.join()
    for t in threads:
        t.join()
    assert errors == []
    seal()
    seqs = list(Seal.objects.order_by("seq").values_list("seq", flat=True))
    assert seqs == list(range(1, Entry.objects.count() + 1))
    assert Entry.objects.filter(model="units.unit", object_pk__in=[str(p) for p in
                                Unit.objects.filter(code__startswith="T").values_list("pk", flat=True)]).count() == 32
    assert verify().intact
