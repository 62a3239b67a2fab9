"""The order of presentation at an arena: a recorded, repeatable draw (抽签), or the order of a ranking.

The draw must give the same order for the same seed on every machine and Python version, so anyone
holding the published seed can check it. It therefore relies on nothing but SHA-256: the random stream
is sha256(prefix ‖ seed ‖ counter) blocks, numbers below n are taken by rejection sampling (no modulo
bias), and the shuffle is a hand-written Fisher–Yates — random.shuffle's internals are not a promise.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Iterator, Mapping, Sequence

from leitai.core.errors import DataError

_PREFIX = b"leitai-draw-v1\x00"


def _blocks(seed: str) -> Iterator[int]:
    """An endless stream of 64-bit integers derived from the seed."""
    counter = 0
    base = _PREFIX + seed.encode("utf-8") + b"\x00"
    while True:
        digest = hashlib.sha256(base + counter.to_bytes(8, "big")).digest()
        for i in range(0, 32, 8):
            yield int.from_bytes(digest[i:i + 8], "big")
        counter += 1


def _below(stream: Iterator[int], n: int) -> int:
    """A uniform integer in [0, n): 64-bit draws above the largest multiple of n are thrown away."""
    limit = (1 << 64) - (1 << 64) % n
    while True:
        r = next(stream)
        if r < limit:
            return r % n


def _checked(contestants: Sequence[str]) -> list[str]:
    names = [str(c) for c in contestants]
    seen: set[str] = set()
    for name in names:
        if name in seen:
            raise DataError(f"抽签名单中选手 {name} 出现了两次", f"contestant {name} appears twice in the draw")
        seen.add(name)
    return names


def draw_order(contestants: Sequence[str], seed: str) -> list[str]:
    """The drawn order of presentation for `seed` (a non-empty string, published with the result).

    The list is sorted by code first, so the order depends only on who draws and the seed — not on the
    order someone typed the names in."""
    if not isinstance(seed, str) or not seed.strip():
        raise DataError("抽签需要非空的种子（seed）", "a draw needs a non-empty seed")
    order = sorted(_checked(contestants))
    stream = _blocks(seed)
    for i in range(len(order) - 1, 0, -1):
        j = _below(stream, i + 1)
        order[i], order[j] = order[j], order[i]
    return order


def order_by_ranking(contestants: Sequence[str], ranks: Mapping[str, int]) -> list[str]:
    """Best rank first; ties by name; contestants without a rank (missing or 0) last, by name."""
    names = _checked(contestants)
    return sorted(names, key=lambda c: (int(ranks.get(c) or 0) or math.inf, c))
