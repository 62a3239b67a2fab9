"""The demo's planted judges (demo/arenas.py PLANTED_BIAS: a lenient city leader, a severe representative) are
exactly the judges the audit flags on the demo's published arena."""

from __future__ import annotations


def test_the_audit_flags_the_demo_s_lenient_and_severe_judges_and_no_others(demo):
    from leitai.arena.models import Arena
    from leitai.arena.results.audit import arena_audit
    from leitai.demo.arenas import planted_judges

    past = Arena.objects.get(pk=demo["arenas"]["past"])
    planted = planted_judges(past)
    assert sorted(planted.values()) == ["lenient", "severe"]
    result = arena_audit(past)
    flagged = {r.judge: r.flags for r in result.rows if r.flags}
    assert flagged == {code: [kind] for code, kind in planted.items()}, [
        (r.judge, r.group, r.sheets, r.leniency, r.leniency_lo, r.leniency_hi, r.flags) for r in result.rows]
    # They are also the judges left out of the others' consensus.
    assert sorted(c for codes in result.excluded.values() for c in codes) == sorted(planted)
