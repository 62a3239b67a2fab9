"""Receipts and the hash chain (core.judging.receipts): the contract computed by hand, independently of the
module — the canonical text written out literally, SHA-256 from hashlib and base32 from the standard
library's RFC 4648 encoder mapped onto Crockford's alphabet."""

from __future__ import annotations

import base64
import hashlib

import pytest

from leitai.core.judging import receipts as r

SECRET = "00112233445566778899aabbccddeeff"
# The canonical text of arena 7, judge J001, contestant A, version 2: keys sorted, no spaces, scores as the
# shortest float text (9 → "9.0").
MATERIAL = ('{"arena":7,"contestant":"A","judge":"J001","scores":{"position":"9.0","quality":"8.5"},'
            '"secret":"00112233445566778899aabbccddeeff","version":2}')
RFC_TO_CROCKFORD = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", "0123456789ABCDEFGHJKMNPQRSTVWXYZ")


def by_hand(material: str) -> str:
    digest = hashlib.sha256(material.encode("utf-8")).digest()
    return base64.b32encode(digest).decode()[:10].translate(RFC_TO_CROCKFORD)


def test_the_receipt_is_the_first_50_bits_of_the_digest_in_crockford_base32():
    assert r.receipt_material(7, "J001", "A", {"quality": 8.5, "position": 9}, 2, SECRET) == MATERIAL
    assert r.receipt(7, "J001", "A", {"quality": 8.5, "position": 9}, 2, SECRET) == by_hand(MATERIAL) == "C23Z69K6R5"


def test_the_receipt_changes_with_every_input():
    base = r.receipt(7, "J001", "A", {"quality": 8.5}, 2, SECRET)
    for changed in (r.receipt(8, "J001", "A", {"quality": 8.5}, 2, SECRET),
                    r.receipt(7, "J002", "A", {"quality": 8.5}, 2, SECRET),
                    r.receipt(7, "J001", "B", {"quality": 8.5}, 2, SECRET),
                    r.receipt(7, "J001", "A", {"quality": 9.0}, 2, SECRET),
                    r.receipt(7, "J001", "A", {"quality": 8.5}, 3, SECRET),
                    r.receipt(7, "J001", "A", {"quality": 8.5}, 2, "f" * 32)):
        assert changed != base
    # The order of the criteria does not matter (the keys are sorted), nor 9 against 9.0.
    assert r.receipt(7, "J001", "A", {"b": 9, "a": 8.5}, 1, SECRET) == r.receipt(7, "J001", "A", {"a": 8.5, "b": 9.0}, 1, SECRET)


RANK_MATERIAL = ('{"arena":7,"judge":"J001","ranks":{"A":2,"B":1,"东城":3},'
                 '"secret":"00112233445566778899aabbccddeeff","version":2}')


def test_a_rankings_receipt_is_the_same_rule_over_the_whole_ranking():
    ranks = {"东城": 3, "B": 1, "A": 2}
    assert r.rank_receipt_material(7, "J001", ranks, 2, SECRET) == RANK_MATERIAL
    assert r.rank_receipt(7, "J001", ranks, 2, SECRET) == by_hand(RANK_MATERIAL)
    base = r.rank_receipt(7, "J001", ranks, 2, SECRET)
    for changed in (r.rank_receipt(8, "J001", ranks, 2, SECRET), r.rank_receipt(7, "J002", ranks, 2, SECRET),
                    r.rank_receipt(7, "J001", {**ranks, "A": 1, "B": 2}, 2, SECRET),
                    r.rank_receipt(7, "J001", ranks, 3, SECRET), r.rank_receipt(7, "J001", ranks, 2, "f" * 32)):
        assert changed != base
    # Ranks are whole numbers: "2" and 2 are the same rank.
    assert r.rank_receipt(7, "J001", {"A": "2", "B": 1, "东城": 3}, 2, SECRET) == base


def test_chinese_codes_are_written_as_utf8_characters_not_escapes():
    text = r.receipt_material(1, "J001", "东城", {"质量": 8.0}, 1, SECRET)
    assert '"contestant":"东城"' in text and '"质量":"8.0"' in text
    assert r.receipt(1, "J001", "东城", {"质量": 8.0}, 1, SECRET) == by_hand(text)


def test_a_receipt_is_shown_grouped_and_read_back_forgivingly():
    assert r.show_receipt("C23Z69K6R5") == "C23Z-69K6-R5"
    for typed in ("C23Z-69K6-R5", "c23z 69k6 r5", " c23z69k6r5 ", "C23Z—69K6—R5"):
        assert r.read_receipt(typed) == "C23Z69K6R5"
    assert r.read_receipt("IL0O-0000-00") == "1100000000"  # I and L read as 1, O as 0
    for wrong in ("", "C23Z-69K6", "C23Z-69K6-R5X", "C23Z-69K6-RU", None):
        assert r.read_receipt(wrong) is None  # U is not in the alphabet


def test_secrets_are_128_random_bits():
    a, b = r.new_secret(), r.new_secret()
    assert a != b and r.is_secret(a) and len(a) == 32
    assert not r.is_secret("0" * 31) and not r.is_secret("G" * 32)


def test_the_chain_hash_is_sha256_of_the_previous_hash_and_the_canonical_entry():
    entry = r.chain_entry(7, 1, "stage", "2024-04-10T09:00:00+00:00", {"unit": "A", "stage": "on_stage"})
    assert entry == ('{"arena":7,"at":"2024-04-10T09:00:00+00:00","kind":"stage",'
                     '"payload":{"stage":"on_stage","unit":"A"},"seq":1}')
    first = r.chain_hash(r.GENESIS, entry)
    assert first == hashlib.sha256(("0" * 64 + entry).encode()).hexdigest()
    assert first == "e3418b6d0e78e2a55fadadb8e2c7e9ad1ebddebeaf617c8f92352f4ee25a5a5e"
    second = r.chain_hash(first, r.chain_entry(7, 2, "stage", "2024-04-10T09:01:00+00:00", {"unit": "A"}))
    assert second == hashlib.sha256((first + '{"arena":7,"at":"2024-04-10T09:01:00+00:00","kind":"stage",'
                                             '"payload":{"unit":"A"},"seq":2}').encode()).hexdigest()
    assert r.short_head(first) == "e341-8b6d-0e78"


def test_canonical_refuses_nan():
    with pytest.raises(ValueError):
        r.canonical({"x": float("nan")})
