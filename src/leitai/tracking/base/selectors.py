"""Reads every tracking room shares: the units by the names people type (codes, names, short names)."""

from __future__ import annotations

from django.shortcuts import get_object_or_404

from leitai.core.io.tabular import clean_name
from leitai.units.models import Unit


def unit_lookup() -> dict[str, str]:
    """Cleaned code, name and short name → unit code (codes win over names, names over short names)."""
    out: dict[str, str] = {}
    units = list(Unit.objects.filter(active=True).values_list("code", "name", "short_name"))
    for position in range(3):
        for row in units:
            if row[position] and clean_name(row[position]) not in out:
                out[clean_name(row[position])] = row[0]
    return out


def units_by_name() -> dict[str, Unit]:
    """Cleaned code, name and short name → active unit (codes win over names, names over short names)."""
    found: dict[str, Unit] = {}
    units = list(Unit.objects.filter(active=True))
    for attr in ("code", "name", "short_name"):
        for unit in units:
            key = clean_name(getattr(unit, attr))
            if key and key not in found:
                found[key] = unit
    return found


def units_by_code(codes=None) -> dict[str, Unit]:
    """Active units by code (all of them, or those of `codes`)."""
    qs = Unit.objects.filter(active=True) if codes is None else Unit.objects.filter(code__in=set(codes))
    return {u.code: u for u in qs}


def active_units():
    """The active units in the units' order (for choosing one on a page)."""
    return Unit.objects.filter(active=True).order_by("sort_order", "code")


def unit_or_404(code: str) -> Unit:
    return get_object_or_404(Unit, code=code)
