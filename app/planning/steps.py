"""One recorded step of a calculation: a translatable template with its parameters.

Steps are translated when shown, so one result explains itself in Chinese or English.
Parameters named in ``labels`` hold message ids themselves (e.g. "QMS") and are translated too.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from app.i18n import gettext


@dataclass(frozen=True)
class Step:
    template: str
    params: Mapping[str, Any] = field(default_factory=dict)
    labels: tuple[str, ...] = ()

    def render(self, translate: Callable[[str], str] = gettext) -> str:
        values = {key: translate(str(value)) if key in self.labels else value
                  for key, value in self.params.items()}
        text = translate(self.template)
        try:
            return text.format(**values)
        except (KeyError, IndexError, ValueError):
            return text
