"""Receipts for judges' sheets and the arena's hash chain (回执与哈希链): the one rule both the app (when it
stores a sheet or an event) and `leitai arena verify` (offline, on the published bundle) compute. Pure stdlib.

A receipt is what a judge keeps to check later that their sheet was counted, as a Helios voter keeps a
ballot tracker:

    receipt = Crockford base32 of the first 50 bits of
              SHA-256(canonical {"arena", "judge", "contestant", "scores", "version", "secret"})

- `canonical`: JSON, keys sorted, no spaces, UTF-8 characters as they are (no \\u escapes).
- `scores`: criterion code → the score's decimal text, `repr(float)` (the text SCORES.csv carries).
- `secret`: 32 hex digits (128 random bits) drawn for each revision and published only with the results,
  so before publication a receipt reveals nothing about the scores; after it anyone can recompute it.
- A ranking (排序测评) has its own receipt, the same way over
  canonical {"arena", "judge", "ranks", "version", "secret"}, `ranks` being unit code → rank (a whole
  number): one receipt per revision of a judge's whole ranking. Its keys differ from a sheet's, so a
  ranking's material can never read as a sheet's.
- 10 characters from the alphabet 0-9 A-Z without I, L, O, U, shown as ABCD-EFGH-JK; reading one back
  ignores case, spaces and dashes, and takes I and L for 1, O for 0.

The chain: every entry is {"arena", "seq", "kind", "at", "payload"}; its hash is
SHA-256(prev_hash ‖ canonical entry) in hex, the first prev_hash 64 zeros. Changing, removing, adding or
reordering any entry changes every hash after it, and the head (the last hash) names the whole record.
"""

from __future__ import annotations

import hashlib
import json
import re
import secrets
from collections.abc import Mapping

CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
RECEIPT_LENGTH = 10
GENESIS = "0" * 64
_READ = str.maketrans({"I": "1", "L": "1", "O": "0"})
_RECEIPT = re.compile(f"^[{CROCKFORD}]{{{RECEIPT_LENGTH}}}$")
_HEX64 = re.compile(r"^[0-9a-f]{64}$")
_SECRET = re.compile(r"^[0-9a-f]{32}$")


def canonical(value) -> str:
    """The one JSON text of a value: sorted keys, no spaces, UTF-8 characters as they are, no NaN."""
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"), allow_nan=False)


def new_secret() -> str:
    """128 random bits as 32 lowercase hex digits (the `secrets` module)."""
    return secrets.token_hex(16)


def is_secret(text: str) -> bool:
    return bool(_SECRET.match(text))


def score_text(value: float) -> str:
    """A score as the receipt and SCORES.csv write it: the shortest text of the float."""
    return repr(float(value))


def receipt_material(arena: int, judge: str, contestant: str, scores: Mapping[str, float], version: int,
                     secret: str) -> str:
    """The canonical text the receipt digests."""
    return canonical({"arena": int(arena), "judge": judge, "contestant": contestant,
                      "scores": {str(k): score_text(v) for k, v in scores.items()}, "version": int(version),
                      "secret": secret})


def receipt(arena: int, judge: str, contestant: str, scores: Mapping[str, float], version: int, secret: str) -> str:
    """The receipt code of one revision of a sheet: 10 Crockford base32 characters (no dashes)."""
    return _code(receipt_material(arena, judge, contestant, scores, version, secret))


def rank_receipt_material(arena: int, judge: str, ranks: Mapping[str, int], version: int, secret: str) -> str:
    """The canonical text a ranking's receipt digests: unit code → rank, as whole numbers."""
    return canonical({"arena": int(arena), "judge": judge, "ranks": {str(k): int(v) for k, v in ranks.items()},
                      "version": int(version), "secret": secret})


def rank_receipt(arena: int, judge: str, ranks: Mapping[str, int], version: int, secret: str) -> str:
    """The receipt code of one revision of a judge's ranking (排序测评), as `receipt` is a sheet's."""
    return _code(rank_receipt_material(arena, judge, ranks, version, secret))


def _code(material: str) -> str:
    """The first 50 bits of SHA-256 of the material, in Crockford base32."""
    digest = hashlib.sha256(material.encode("utf-8")).digest()
    bits = int.from_bytes(digest[:8], "big") >> (64 - 5 * RECEIPT_LENGTH)
    return "".join(CROCKFORD[(bits >> (5 * (RECEIPT_LENGTH - 1 - i))) & 31] for i in range(RECEIPT_LENGTH))


def show_receipt(code: str) -> str:
    """ABCDEFGHJK → ABCD-EFGH-JK, for reading aloud and copying."""
    return f"{code[:4]}-{code[4:8]}-{code[8:]}" if len(code) == RECEIPT_LENGTH else code


def read_receipt(text: str) -> str | None:
    """A typed receipt as stored (10 characters), or None when it cannot be one: case, spaces and dashes are
    ignored, I and L read as 1, O as 0."""
    code = re.sub(r"[\s\-_.·—–]", "", str(text or "")).upper().translate(_READ)
    return code if _RECEIPT.match(code) else None


def chain_entry(arena: int, seq: int, kind: str, at: str, payload: Mapping) -> str:
    """The canonical text of one chain entry (what its hash covers, after the previous hash)."""
    return canonical({"arena": int(arena), "seq": int(seq), "kind": kind, "at": at, "payload": dict(payload)})


def chain_hash(prev_hash: str, entry_text: str) -> str:
    """SHA-256(prev_hash ‖ canonical entry), hex."""
    return hashlib.sha256((prev_hash + entry_text).encode("utf-8")).hexdigest()


def is_hash(text: str) -> bool:
    return bool(_HEX64.match(text))


def short_head(head: str) -> str:
    """The head as shown beside results: its first 12 hex digits in groups of 4 (the full hash on demand)."""
    return "-".join(head[i:i + 4] for i in range(0, 12, 4)) if head else ""


def digest(data: bytes) -> str:
    """SHA-256 of a published file's bytes, hex (the publication entry names result.csv and rubric.json)."""
    return hashlib.sha256(data).hexdigest()


__all__ = ["CROCKFORD", "GENESIS", "RECEIPT_LENGTH", "canonical", "chain_entry", "chain_hash", "digest", "is_hash",
           "is_secret", "new_secret", "rank_receipt", "rank_receipt_material", "read_receipt", "receipt",
           "receipt_material", "score_text", "short_head", "show_receipt"]
