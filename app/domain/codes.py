"""Pydantic field types that run the reference-data checks at the model boundary."""

from __future__ import annotations

from typing import Annotated

from pydantic import AfterValidator, BeforeValidator

from app.domain.base import invalid
from app.i18n import N_
from app.refdata import CodeVerdict, check_uscc


def _raise_if_invalid(verdict: CodeVerdict) -> str:
    if not verdict.valid or verdict.normalised is None:
        reason = verdict.problems[0] if verdict.problems else None
        if reason is None:
            raise invalid(N_("The code is not valid."))
        raise invalid(reason.template, **reason.params)
    return verdict.normalised


def _uscc(value: object) -> str:
    return _raise_if_invalid(check_uscc(value))


def _region(value: object) -> str:
    from app.refdata import check_region

    return _raise_if_invalid(check_region(value))


def _industry(value: object) -> str:
    from app.refdata import check_industry

    return _raise_if_invalid(check_industry(value))


def _iaf(value: object) -> str:
    from app.refdata import check_iaf

    return _raise_if_invalid(check_iaf(value))


USCC = Annotated[str, BeforeValidator(_uscc)]
RegionCode = Annotated[str, BeforeValidator(_region)]
IndustryCode = Annotated[str, BeforeValidator(_industry)]
ScopeCode = Annotated[str, BeforeValidator(_iaf)]


def _non_blank(value: str) -> str:
    if not value.strip():
        raise invalid(N_("must not be empty."))
    return value


NonBlank = Annotated[str, AfterValidator(_non_blank)]
