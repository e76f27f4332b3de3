"""The representative's handwritten signature: vector strokes with timing (what the signature pad records).

Points are ``[x, y, t]``: integer pixel coordinates on the pad and milliseconds since the pen first
touched it.  Timing is what makes a drawn signature more than a picture (speed and rhythm), so a
signature whose points all carry one time, or that is a single dot, is refused.  The strokes are
stored compactly (delta-coded, deflated, base64) inside the signature record and hashed canonically,
so the auditor's device signature covers them exactly.
"""

from __future__ import annotations

import base64
import itertools
import json
import zlib
from datetime import datetime
from typing import Any

from pydantic import Field, ValidationError, model_validator

from app.domain.base import DomainModel, explain, invalid
from app.i18n import N_
from app.signing.errors import BadStrokes

MIN_POINTS = 10
MAX_POINTS = 20_000
Point = tuple[int, int, int]


class Strokes(DomainModel):
    width: int = Field(ge=50, le=10_000)
    height: int = Field(ge=20, le=10_000)
    started_at: datetime
    input: str = Field(default="pointer", max_length=20)
    strokes: list[list[Point]] = Field(min_length=1, max_length=500)

    @model_validator(mode="after")
    def _plausible(self) -> Strokes:
        points = [p for stroke in self.strokes for p in stroke]
        if len(points) < MIN_POINTS:
            raise invalid(N_("a signature needs at least {count} points."), count=MIN_POINTS)
        if len(points) > MAX_POINTS:
            raise invalid(N_("at most {count} points are allowed."), count=MAX_POINTS)
        if any(not (0 <= x <= self.width and 0 <= y <= self.height) for x, y, _t in points):
            raise invalid(N_("a point lies outside the signature pad."))
        times = [t for _x, _y, t in points]
        if any(b < a for a, b in itertools.pairwise(times)) or times[0] < 0:
            raise invalid(N_("the timing of the points goes backwards."))
        if times[-1] - times[0] < 100:
            raise invalid(N_("the signature carries no timing (it was not drawn by hand)."))
        return self

    @property
    def point_count(self) -> int:
        return sum(len(stroke) for stroke in self.strokes)


def parse_strokes(data: Any) -> Strokes:
    try:
        return Strokes.model_validate(data)
    except ValidationError as error:
        raise BadStrokes(detail="; ".join(reason for _path, reason in explain(error))) from None


def encode(strokes: Strokes) -> str:
    """Delta-coded, deflated, base64 text (a signature of a few hundred points takes ~1-2 KB)."""
    deltas = []
    for stroke in strokes.strokes:
        previous = (0, 0, 0)
        coded = []
        for point in stroke:
            coded.append([point[0] - previous[0], point[1] - previous[1], point[2] - previous[2]])
            previous = point
        deltas.append(coded)
    body = {"w": strokes.width, "h": strokes.height, "at": strokes.started_at.isoformat(), "in": strokes.input,
            "d": deltas}
    raw = json.dumps(body, separators=(",", ":")).encode()
    return base64.b64encode(zlib.compress(raw, 9)).decode("ascii")


def decode(text: str) -> Strokes:
    try:
        body = json.loads(zlib.decompress(base64.b64decode(text.encode("ascii"), validate=True)))
        rebuilt = []
        for coded in body["d"]:
            x = y = t = 0
            stroke = []
            for dx, dy, dt in coded:
                x, y, t = x + dx, y + dy, t + dt
                stroke.append((x, y, t))
            rebuilt.append(stroke)
        data = {"width": body["w"], "height": body["h"], "started_at": body["at"], "input": body["in"],
                "strokes": rebuilt}
    except (ValueError, KeyError, TypeError, zlib.error):
        raise BadStrokes(detail="encoding") from None
    return parse_strokes(data)


def thin(strokes: Strokes, budget: int) -> Strokes:
    """Drop every other inner point until the encoding fits ``budget`` characters.

    Done before anything is hashed or signed, so what is stored is exactly what was signed.
    """
    current = strokes
    while len(encode(current)) > budget:
        thinner = [stroke if len(stroke) <= 2 else [*stroke[:-1:2], stroke[-1]] for stroke in current.strokes]
        if sum(map(len, thinner)) == current.point_count:
            raise BadStrokes(detail="too long")
        current = current.model_copy(update={"strokes": thinner})
    return current


def to_svg(strokes: Strokes, colour: str = "#000") -> str:
    """The drawn signature as an SVG document (for reports)."""
    paths = []
    for stroke in strokes.strokes:
        moves = " ".join(f"{'M' if i == 0 else 'L'}{x} {y}" for i, (x, y, _t) in enumerate(stroke))
        paths.append(f'<path d="{moves}" fill="none" stroke="{colour}" stroke-width="2" '
                     'stroke-linecap="round" stroke-linejoin="round"/>')
    return (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {strokes.width} {strokes.height}" '
            f'width="{strokes.width}" height="{strokes.height}">{"".join(paths)}</svg>')
