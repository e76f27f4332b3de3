"""The audit plan as a neutral document (then docx, PDF or OFD through any writer).

Takes the :class:`~app.planning.schedule_model.Plan` (and optionally its
:class:`~app.planning.audit_time.AuditTime`) and writes it in the document's language, which
may differ from the UI's.  Problems :func:`~app.planning.schedule.revalidate` still finds are
printed in the plan so a plan that no longer holds cannot be handed out unnoticed.
"""

from __future__ import annotations

from typing import Any

from app.domain.audit import AUDIT_TYPE_LABELS, TEAM_ROLE_LABELS, TeamRole
from app.i18n import N_
from app.planning.audit_time import AuditTime
from app.planning.schedule_check import revalidate
from app.planning.schedule_model import ACTIVITY_LABELS, Activity, Plan, Slot
from app.reporting.language import translator
from app.reporting.model import Document, KeyValues, Paragraph, Section, SignatureBlock, Signer, Table


def _dates(plan: Plan) -> str:
    audit = plan.audit
    if audit.start_date == audit.end_date:
        return audit.start_date.isoformat()
    return f"{audit.start_date.isoformat()} – {audit.end_date.isoformat()}"


def _clauses(slot: Slot) -> str:
    """``ISO 9001:2015 8.1, 8.2, 8.3``: each standard named once, one line per standard."""
    by_standard: dict[str, list[str]] = {}
    for ref in slot.clauses:
        by_standard.setdefault(ref.standard, []).append(ref.clause)
    return "\n".join(f"{standard} {', '.join(numbers)}" for standard, numbers in by_standard.items())


def _item_key(slot: Slot) -> tuple[Any, ...]:
    return (slot.day, slot.auditor, slot.expert, slot.site, slot.process,
            tuple((ref.standard, ref.clause) for ref in slot.clauses))


def _schedule_rows(plan: Plan, names: dict[str, str], t: Any, language: str) -> list[list[str]]:
    separator = ", " if language.startswith("en") else "、"
    # Meeting attendees in the team's order with the lead auditor first, not by user id.
    rank = {m.user_id: (m.role is not TeamRole.LEAD, i) for i, m in enumerate(plan.audit.team)}
    rows: list[list[str]] = []
    meetings: dict[tuple[Any, Any, Activity], list[Slot]] = {}
    for slot in plan.slots:
        if slot.activity is not Activity.AUDIT:
            meetings.setdefault((slot.day, slot.start, slot.activity), []).append(slot)
    # One audit item the scheduler split around the lunch break (or across a day's end) is one row with
    # its time ranges, not two identical rows: the same day, auditor, expert, site, process and clauses.
    spans: dict[tuple[Any, ...], list[Slot]] = {}
    for slot in plan.slots:
        if slot.activity is Activity.AUDIT:
            spans.setdefault(_item_key(slot), []).append(slot)
    done: set[tuple[Any, ...]] = set()
    for slot in sorted(plan.slots, key=lambda s: (s.day, s.start, s.activity is Activity.AUDIT, s.auditor)):
        when = f"{slot.start:%H:%M}–{slot.end:%H:%M}"
        if slot.activity is not Activity.AUDIT:
            key = (slot.day, slot.start, slot.activity)
            if key in done:
                continue
            done.add(key)
            attending = sorted(meetings[key], key=lambda s: rank.get(s.auditor, (True, len(rank))))
            people = separator.join(names.get(s.auditor, s.auditor) for s in attending)
            rows.append([slot.day.isoformat(), when, slot.site, t(ACTIVITY_LABELS[slot.activity]), "", people, "",
                         slot.contact])
            continue
        item = _item_key(slot)
        if item in done:
            continue
        done.add(item)
        when = "\n".join(f"{part.start:%H:%M}–{part.end:%H:%M}" for part in sorted(spans[item], key=lambda p: p.start))
        clauses = _clauses(slot)
        process = slot.process or t(N_("Management system"))
        rows.append([slot.day.isoformat(), when, slot.site, process, clauses, names.get(slot.auditor, slot.auditor),
                     names.get(slot.expert, slot.expert) if slot.expert else "", slot.contact])
    return rows


def plan_document(plan: Plan, *, language: str = "zh_CN", audit_time: AuditTime | None = None,
                  cb_name: str = "") -> Document:
    """The plan of ``plan.audit`` in ``language`` ("zh_CN" or "en").

    The certification body is ``cb_name`` or, by default, the one the lead auditor recorded on the audit.
    """
    t = translator(language)
    audit = plan.audit
    names = {member.user_id: member.name for member in audit.team}
    standards = "; ".join(str(standard) for standard in audit.standards)
    cb_name = cb_name or (audit.conclusions.cb_name if audit.conclusions is not None else "")
    details = KeyValues([
        *([(t(N_("Certification body")), cb_name)] if cb_name else []),
        (t(N_("Audited organisation")), audit.client.name),
        (t(N_("Address")), audit.client.address),
        (t(N_("Representative")), audit.client.representative),
        (t(N_("Audit type")), t(AUDIT_TYPE_LABELS[audit.audit_type])),
        (t(N_("Audit criteria")), standards),
        (t(N_("Scope")), audit.scope),
        (t(N_("Scope codes")), ", ".join(audit.scope_codes)),
        (t(N_("Audit dates")), _dates(plan)),
        (t(N_("Sites")), "\n".join(f"{site.name} {site.address}".strip() for site in audit.sites)),
        (t(N_("Audit time")), t(N_("{days} auditor days")).format(days=f"{plan.audit_days:g}")),
    ])
    team = Table([t(N_("Name")), t(N_("Role")), t(N_("Competence codes"))],
                 [[m.name, t(TEAM_ROLE_LABELS[m.role]), ", ".join(m.competence_codes)] for m in audit.team],
                 widths=[0.3, 0.3, 0.4])
    blocks: list[Any] = [Section(t(N_("Audit details")), [details]), Section(t(N_("Audit team")), [team])]
    if audit_time is not None:
        # The explanation covers the whole cycle; the last line says which figure this plan uses.
        this_audit = t(N_("This audit ({type}): {days} auditor days on site.")).format(
            type=t(AUDIT_TYPE_LABELS[audit.audit_type]), days=f"{plan.audit_days:g}")
        blocks.append(Section(t(N_("Audit time (IAF MD 5)")),
                              [*(Paragraph(line) for line in audit_time.explain(t).splitlines()),
                               Paragraph(this_audit, bold=True)]))
    header = [t(N_("Date")), t(N_("Time")), t(N_("Site")), t(N_("Process / activity")), t(N_("Clauses")),
              t(N_("Auditor")), t(N_("Technical expert")), t(N_("Auditee contact"))]
    rows = _schedule_rows(plan, names, t, language)
    # The time column fits "08:30–12:00" on one line; the expert column is left out when no expert
    # takes part (an empty column only narrows the others and makes every row wrap).
    widths = [0.11, 0.12, 0.1, 0.12, 0.2, 0.11, 0.1, 0.14]
    keep = [index for index in range(len(header)) if index != 6 or any(row[6] for row in rows)]
    schedule = Table([header[i] for i in keep], [[row[i] for i in keep] for row in rows],
                     widths=[widths[i] for i in keep])
    blocks.append(Section(t(N_("Schedule")), [schedule]))
    problems = revalidate(plan)
    if problems:
        blocks.append(Section(t(N_("Plan checks not passed")),
                              [Paragraph(problem.message(t)) for problem in problems]))
    lead = audit.lead()
    blocks.append(SignatureBlock([Signer(t(N_("Lead auditor")), lead.name if lead else "", "")],
                                 title=t(N_("Approval"))))
    context = {
        "cb": {"name": cb_name},
        "client": {"name": audit.client.name, "address": audit.client.address,
                   "representative": audit.client.representative},
        "audit": {"type": t(AUDIT_TYPE_LABELS[audit.audit_type]), "dates": _dates(plan),
                  "standards": [str(s) for s in audit.standards], "scope": audit.scope,
                  "days": f"{plan.audit_days:g}"},
        "team": [{"name": m.name, "role": t(TEAM_ROLE_LABELS[m.role]), "codes": ", ".join(m.competence_codes)}
                 for m in audit.team],
        "slots": [dict(zip(("date", "time", "site", "process", "clauses", "auditor", "expert", "contact"), row,
                           strict=True)) for row in rows],
    }
    return Document(title=t(N_("Audit plan")), subtitle=audit.client.name, language=language,
                    author=lead.name if lead else "", blocks=blocks, context=context, kind="plan",
                    metadata={"audit_id": audit.id, "kind": "plan"})
