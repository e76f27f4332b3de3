"""Shared base for domain models and the user-facing explanation of validation errors."""

from __future__ import annotations

from typing import Any, ClassVar, TypeVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError
from pydantic_core import PydanticCustomError

from app.domain.clock import utc_now as utc_now  # re-exported: records' timestamps
from app.domain.ids import new_id
from app.errors import ValidationFailed
from app.i18n import N_, gettext


class DomainModel(BaseModel):
    """Strict-ish base: unknown fields are refused, strings are trimmed."""

    model_config = ConfigDict(
        extra="forbid",
        str_strip_whitespace=True,
        validate_assignment=True,
        use_enum_values=False,
        # Validators are built on first use, not at import: start-up imports every model but uses few.
        defer_build=True,
    )


class Entity(DomainModel):
    """A record that lives in the store and syncs: it has an id and belongs to an audit."""

    entity_name: ClassVar[str] = ""
    id: str = Field(default_factory=new_id, min_length=1, max_length=64)

    @property
    def scope_id(self) -> str:
        """The audit this record belongs to (its sync scope)."""
        raise NotImplementedError


def invalid(template: str, **params: Any) -> PydanticCustomError:
    """A validation error whose message is translated when it is shown.

    ``template`` must be marked with ``N_``; ``params`` fill its placeholders.
    """
    return PydanticCustomError("fieldaudit", template, {"template": template, **params})


FIELD_LABELS: dict[str, str] = {
    "client.name": N_("Organisation name"),
    "client.uscc": N_("Unified social credit code"),
    "client.address": N_("Address"),
    "client.region_code": N_("Region code"),
    "client.industry_code": N_("Industry code"),
    "title": N_("Title"),
    "standards": N_("Standards"),
    "scope_codes": N_("Scope codes"),
    "audit_type": N_("Audit type"),
    "start_date": N_("Start date"),
    "end_date": N_("End date"),
    "effective_personnel": N_("Effective personnel"),
    "team": N_("Audit team"),
    "complexity": N_("EMS/OH&S complexity category"),
    "clause": N_("Clause"),
    "standard": N_("Standard"),
    "answer": N_("Answer"),
    "grade": N_("Grade"),
    "statement": N_("Statement"),
    "clause_refs": N_("Clause references"),
    "sha256": N_("Content hash"),
    "media_type": N_("Media type"),
    "size": N_("Size"),
    # The lead auditor's conclusions (Audit.conclusions); the same words as in the report.
    "conclusions": N_("Conclusions"),
    "cb_name": N_("Certification body"),
    "objectives": N_("Audit objectives"),
    "objectives_fulfilled": N_("Audit objectives fulfilled"),
    "deviations": N_("Deviations from the audit plan"),
    "sampling": N_("Sampling"),
    "programme_issues": N_("Issues affecting the audit programme"),
    "unresolved_issues": N_("Unresolved issues"),
    "changes": N_("Significant changes since the last audit"),
    "conformity": N_("Conformity of the management system"),
    "effectiveness": N_("Effectiveness of the management system"),
    "internal_audit": N_("Internal audit and management review"),
    "marks_use": N_("Use of certification documents and marks"),
    "scope_appropriate": N_("Scope of certification is appropriate"),
    "scope_note": N_("Note on the scope of certification"),
    "recommendation": N_("Recommendation"),
    "recommendation_note": N_("Note on the recommendation"),
    "previous_actions": N_("Verification of earlier corrective actions"),
    # Settings (app/settings.py).
    "platform_url": N_("Platform address"),
    "auto_lock_minutes": N_("Lock after idle minutes"),
    "sync_interval_minutes": N_("Sync interval in minutes"),
}

_GENERIC: dict[str, str] = {
    "missing": N_("{field}: this field is required."),
    "string_too_short": N_("{field}: must not be empty."),
    "string_too_long": N_("{field}: is too long (at most {max_length} characters)."),
    "too_short": N_("{field}: at least {min_length} entries are required."),
    "too_long": N_("{field}: at most {max_length} entries are allowed."),
    "enum": N_("{field}: must be one of {expected}."),
    "literal_error": N_("{field}: must be one of {expected}."),
    "greater_than": N_("{field}: must be greater than {gt}."),
    "greater_than_equal": N_("{field}: must be at least {ge}."),
    "less_than_equal": N_("{field}: must be at most {le}."),
    "extra_forbidden": N_("{field}: is not a known field."),
    "string_type": N_("{field}: must be text."),
    "int_parsing": N_("{field}: must be a whole number."),
    "int_type": N_("{field}: must be a whole number."),
    "date_from_datetime_parsing": N_("{field}: must be a date (YYYY-MM-DD)."),
    "date_parsing": N_("{field}: must be a date (YYYY-MM-DD)."),
    "datetime_parsing": N_("{field}: must be a date and time."),
    "string_pattern_mismatch": N_("{field}: has an invalid format."),
}


def field_label(location: tuple[int | str, ...]) -> str:
    dotted = ".".join(str(part) for part in location if not isinstance(part, int))
    label = FIELD_LABELS.get(dotted)
    if label is None and dotted:
        label = FIELD_LABELS.get(dotted.rsplit(".", 1)[-1])
    return gettext(label) if label else dotted or gettext(N_("Record"))


def explain(error: ValidationError) -> list[tuple[str, str]]:
    """``(field path, message in the user's language)`` for each problem."""
    problems: list[tuple[str, str]] = []
    for detail in error.errors():
        location = tuple(detail.get("loc", ()))
        path = ".".join(str(part) for part in location)
        ctx = dict(detail.get("ctx") or {})
        label = field_label(location)
        if detail["type"] == "fieldaudit":
            text = gettext(str(ctx.pop("template")))
            message = f"{label}: {_fill(text, ctx)}"
        elif detail["type"] in _GENERIC:
            message = _fill(gettext(_GENERIC[detail["type"]]), {"field": label, **ctx})
        elif detail["type"] == "value_error" and "error" in ctx:
            message = f"{label}: {ctx['error']}"
        else:
            message = f"{label}: {detail['msg']}"
        problems.append((path, message))
    return problems


def _fill(text: str, params: dict[str, Any]) -> str:
    try:
        return text.format(**params)
    except (KeyError, IndexError, ValueError):
        return text


def validation_failed(error: ValidationError) -> ValidationFailed:
    """Turn pydantic's error into the product's error, one entry per problem."""
    return ValidationFailed.from_problems(explain(error))


ModelT = TypeVar("ModelT", bound=BaseModel)


def parse(model: type[ModelT], data: Any) -> ModelT:
    """Validate ``data`` as ``model``; raise :class:`ValidationFailed` with translated reasons."""
    try:
        return model.model_validate(data)
    except ValidationError as error:
        raise validation_failed(error) from None
