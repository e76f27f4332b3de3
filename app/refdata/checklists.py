"""Checklist templates (our own questions and guidance per clause) and checklist instantiation.

A template is a versioned data file: ``common`` questions are keyed by Annex SL
row (worded with a ``{system}`` placeholder so one question serves a single or
an integrated audit), ``specific`` ones by standard and clause.  The shipped
templates are in ``resources/refdata/checklists``; the platform may push newer
versions into a folder of the profile (:func:`install_template`).  A newer
template only ever *adds* items to an audit (:func:`missing_items`): answers
already given are never rewritten.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from app.errors import FieldAuditError
from app.i18n import N_
from app.refdata.catalogues import (
    canonical_standard,
    catalogue,
    correspondences,
    format_ref,
    leaf_clauses,
)
from app.refdata.data import DATA_DIR

if TYPE_CHECKING:
    from app.domain import ChecklistItem

TEMPLATE_FOLDER = DATA_DIR / "checklists"
INTEGRATED = "integrated"
_VERSION = re.compile(r"\d+(\.\d+)*")


class TemplateError(FieldAuditError):
    message = N_("The checklist template is not valid: {reason}")


class UnknownStandard(FieldAuditError):
    message = N_("There is no clause catalogue for the standard {standard}.")


@dataclass(frozen=True)
class ChecklistDraft:
    """What a new ``app.domain.ChecklistItem`` is made from, with the question in both languages."""

    standard: str
    clause: str
    also_covers: tuple[str, ...]
    question_zh: str
    question_en: str
    guidance_zh: str
    guidance_en: str
    template_id: str
    template_version: str

    def question(self, language: str | None = None) -> str:
        return self.question_en if (language or "").startswith("en") else self.question_zh

    def guidance(self, language: str | None = None) -> str:
        return self.guidance_en if (language or "").startswith("en") else self.guidance_zh

    def item_fields(self, language: str | None = None) -> dict[str, Any]:
        """Keyword arguments for ``ChecklistItem`` (plus ``audit_id``)."""
        return {"standard": self.standard, "clause": self.clause, "also_covers": list(self.also_covers),
                "question": self.question(language)}


@dataclass(frozen=True)
class ChecklistTemplate:
    template_id: str
    version: str
    systems: dict[str, dict[str, str]]
    common: dict[str, dict[str, str]]
    specific: dict[str, dict[str, dict[str, str]]]

    @property
    def version_key(self) -> tuple[int, ...]:
        return tuple(int(part) for part in self.version.split("."))

    @classmethod
    def from_payload(cls, payload: Mapping[str, Any]) -> ChecklistTemplate:
        try:
            template = cls(str(payload["template_id"]), str(payload["version"]), dict(payload["systems"]),
                           dict(payload["common"]), {k: dict(v) for k, v in payload["specific"].items()})
        except (KeyError, TypeError, AttributeError) as error:
            raise TemplateError(reason=f"missing or malformed {error}") from None
        if not _VERSION.fullmatch(template.version):
            raise TemplateError(reason=f"version {template.version!r}")
        entries = list(template.common.values()) + [e for std in template.specific.values() for e in std.values()]
        for entry in entries:
            if not (isinstance(entry, dict) and entry.get("zh") and entry.get("en")):
                raise TemplateError(reason="every question needs zh and en text")
        return template

    def system_name(self, key: str, language: str) -> str:
        names = self.systems.get(key) or self.systems.get(INTEGRATED) or {}
        return names.get(language, "")

    def entry(self, row_id: str | None, standard: str, clause: str) -> dict[str, str] | None:
        if row_id is not None and row_id in self.common:
            return self.common[row_id]
        return self.specific.get(standard, {}).get(clause)


def _read(path: Path) -> ChecklistTemplate:
    try:
        payload = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise TemplateError(reason=f"{path.name}: {error}") from None
    return ChecklistTemplate.from_payload(payload)


def available_templates(platform_dir: Path | None = None) -> list[ChecklistTemplate]:
    """Shipped templates plus any the platform pushed, oldest first (broken pushed files are skipped)."""
    found = [_read(path) for path in sorted(TEMPLATE_FOLDER.glob("*.json"))]
    if platform_dir is not None and platform_dir.is_dir():
        for path in sorted(platform_dir.glob("*.json")):
            try:
                found.append(_read(path))
            except TemplateError:
                continue
    return sorted(found, key=lambda template: template.version_key)


def load_template(platform_dir: Path | None = None, version: str | None = None) -> ChecklistTemplate:
    """The newest template (or the given version, to re-create an old audit's checklist)."""
    templates = available_templates(platform_dir)
    if version is not None:
        for template in templates:
            if template.version == version:
                return template
        raise TemplateError(reason=f"version {version} is not available")
    return templates[-1]


def install_template(payload: Mapping[str, Any], platform_dir: Path) -> Path:
    """Store a template pushed by the platform (validated; written temp-then-rename)."""
    template = ChecklistTemplate.from_payload(payload)
    platform_dir.mkdir(parents=True, exist_ok=True)
    target = platform_dir / f"{template.template_id}-{template.version}.json"
    tmp = target.with_suffix(f".{os.getpid()}.tmp")
    tmp.write_text(json.dumps(dict(payload), ensure_ascii=False), encoding="utf-8")
    os.replace(tmp, target)
    return target


def _standards(names: Iterable[str]) -> list[str]:
    ordered: list[str] = []
    for name in names:
        key = canonical_standard(str(name))
        if key is None:
            raise UnknownStandard(standard=str(name)[:60])
        if key not in ordered:
            ordered.append(key)
    return ordered


def instantiate_checklist(standards: Sequence[str], template: ChecklistTemplate | None = None
                          ) -> list[ChecklistDraft]:
    """One item per leaf clause; in an integrated audit each Annex SL clause appears once.

    The merged item belongs to the first standard of the audit that has the
    clause and lists the others in ``also_covers`` (``"ISO 14001:2015 7.2"``).
    """
    chosen = _standards(standards)
    template = template or load_template()
    row_of = {(std, ref): row for row in correspondences() for std, ref in row.refs.items()}
    covered: set[tuple[str, str]] = set()
    drafts: list[ChecklistDraft] = []
    for standard in chosen:
        for leaf in leaf_clauses(standard):
            if (standard, leaf.number) in covered:
                continue
            row = row_of.get((standard, leaf.number))
            others = [other for other in chosen if other != standard and row is not None and other in row.refs]
            covered.add((standard, leaf.number))
            if row is not None:
                covered.update((other, row.refs[other]) for other in others)
            also = tuple(format_ref(other, row.refs[other]) for other in others if row is not None)
            system = INTEGRATED if others else standard
            entry = template.entry(row.id if row is not None else None, standard, leaf.number)
            drafts.append(_draft(template, standard, leaf.number, also, system, entry))
    return drafts


def _draft(template: ChecklistTemplate, standard: str, clause: str, also: tuple[str, ...], system: str,
           entry: dict[str, str] | None) -> ChecklistDraft:
    if entry is None:
        # A template that lacks a clause still yields a usable item built from the clause title.
        title = catalogue(standard)[clause]
        entry = {"zh": f"是否满足“{clause} {title.title_zh}”的要求？",
                 "en": f"Are the requirements of “{clause} {title.title_en}” met?",
                 "guidance_zh": "", "guidance_en": ""}

    def fill(key: str, language: str) -> str:
        return entry.get(key, "").replace("{system}", template.system_name(system, language))

    return ChecklistDraft(standard, clause, also, fill("zh", "zh"), fill("en", "en"), fill("guidance_zh", "zh"),
                          fill("guidance_en", "en"), template.template_id, template.version)


def missing_items(existing: Iterable[tuple[str, str]], standards: Sequence[str],
                  template: ChecklistTemplate | None = None) -> list[ChecklistDraft]:
    """Items a (newer) template adds to an audit whose checklist already has ``existing``.

    ``existing`` holds (standard, clause) pairs already in the audit, including the
    clauses they cover; those items, and the answers on them, are left untouched.
    """
    have = set(existing)
    return [draft for draft in instantiate_checklist(standards, template)
            if (draft.standard, draft.clause) not in have]


def covered_pairs(items: Iterable[Any]) -> set[tuple[str, str]]:
    """(standard, clause) pairs of existing checklist items and of everything they also cover."""
    pairs: set[tuple[str, str]] = set()
    for item in items:
        pairs.add((item.standard, item.clause))
        for ref in item.also_covers:
            name, _, number = str(ref).rpartition(" ")
            key = canonical_standard(name)
            if key is not None:
                pairs.add((key, number))
    return pairs


def build_checklist_items(audit_id: str, standards: Sequence[str], language: str | None = None,
                          template: ChecklistTemplate | None = None) -> list[ChecklistItem]:
    """Validated ``ChecklistItem`` models for a new audit (``question`` in ``language``).

    The English question, the guidance and the template version are passed too
    as soon as the model has fields for them (``question_en``, ``guidance``,
    ``guidance_en``, ``template_version``), so nothing here changes when it does.
    """
    from app.domain import ChecklistItem
    from app.domain.base import parse

    known = ChecklistItem.model_fields
    items: list[ChecklistItem] = []
    for draft in instantiate_checklist(standards, template):
        extra = {"question_en": draft.question_en, "guidance": draft.guidance(language),
                 "guidance_en": draft.guidance_en,
                 "template_version": f"{draft.template_id}@{draft.template_version}"}
        data = {"audit_id": audit_id, **draft.item_fields(language),
                **{key: value for key, value in extra.items() if key in known}}
        items.append(parse(ChecklistItem, data))
    return items
