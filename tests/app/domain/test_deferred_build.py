"""Domain models build their validators on first use, so importing them costs little at start-up."""

from __future__ import annotations

import subprocess
import sys


def test_importing_the_domain_builds_no_validator() -> None:
    # A fresh interpreter: in this one other tests may already have used the models.
    code = ("from app.domain import Audit\n"
            "before = Audit.__pydantic_complete__\n"
            "from app.domain.base import parse, DomainModel\n"
            "print(before, DomainModel.model_config.get('defer_build'))\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    assert out == ["False", "True"]


def test_a_deferred_model_still_validates_and_explains() -> None:
    import pytest

    from app.domain.base import DomainModel, parse
    from app.errors import ValidationFailed

    class Sample(DomainModel):
        title: str

    assert parse(Sample, {"title": "  x  "}).title == "x"
    with pytest.raises(ValidationFailed):
        parse(Sample, {"title": "x", "unknown": 1})
