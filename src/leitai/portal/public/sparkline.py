"""A small line drawn on the server (inline SVG): the history of a rank or a score, no script needed."""

from __future__ import annotations

WIDTH, HEIGHT, PAD = 120, 32, 3


def points(values: list[float | None], *, lower_is_better: bool = False) -> dict | None:
    """The polyline and the last dot of `values` (None skipped) in a WIDTH×HEIGHT box; better is drawn higher
    (a rank: 1 at the top). None when fewer than two values."""
    present = [(k, v) for k, v in enumerate(values) if v is not None]
    if len(present) < 2:
        return None
    lo, hi = min(v for _, v in present), max(v for _, v in present)
    span = (hi - lo) or 1.0
    step = (WIDTH - 2 * PAD) / max(len(values) - 1, 1)

    def y(v: float) -> float:
        share = (v - lo) / span
        if lower_is_better:
            share = 1 - share
        return round(HEIGHT - PAD - share * (HEIGHT - 2 * PAD), 1)

    coords = [(round(PAD + k * step, 1), y(v)) for k, v in present]
    return {"points": " ".join(f"{x},{yy}" for x, yy in coords), "last_x": coords[-1][0], "last_y": coords[-1][1],
            "width": WIDTH, "height": HEIGHT}
