"""Sign-off mode: the representative answers and signs one audit's findings on the auditor's laptop.

The mode shows one audit only (its findings and the closing-meeting summary; no evidence, no
settings, no other audit), records each answer through the lifecycle service (role: the audited
organisation's representative) and the signature through ``app.signing.signoff``.  Store work runs on
the runner's database thread; leaving needs the auditor's passphrase, checked off the GUI thread with
the profile's own back-off.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QObject, Signal

from app.domain import FindingState, Grade
from app.domain.finding import FINDING_STATE_LABELS, GRADE_LABELS
from app.errors import FieldAuditError
from app.findings import service
from app.i18n import _
from app.security.unlock import Unlocker
from app.services.session import Session
from app.signing.errors import IdentityMissing
from app.signing.signoff import Representative, sign_off
from ui.runner import Runner
from ui.signoff.signoff_view import FindingCard, SignOffView

REPRESENTATIVE_ACTOR = "representative"
_OPEN = frozenset({FindingState.RAISED, FindingState.REOPENED})


@dataclass(frozen=True)
class Row:
    finding_id: str
    heading: str
    statement: str
    answered: str | None
    requirement: str = ""
    evidence: str = ""


@dataclass(frozen=True)
class Snapshot:
    title: str
    summary: str
    rows: list[Row]


def load(session: Session, audit_id: str) -> Snapshot:
    """Everything the mode shows, read on the database thread (this audit only)."""
    store = session.store
    audit = store.audits.get(audit_id)
    findings = sorted(store.findings.list(audit_id), key=lambda f: f.id)
    counts = Counter(f.grade for f in findings)
    summary = _("Closing meeting — {client}: {major} major, {minor} minor nonconformities, {other} other findings.")
    rows = []
    for finding in findings:
        clauses = ", ".join(f"{r.standard} {r.clause}" for r in finding.clause_refs)
        answered = None if finding.state in _OPEN else _("Answered: {state}").format(
            state=_(FINDING_STATE_LABELS[finding.state]))
        rows.append(Row(finding.id, f"{_(GRADE_LABELS[finding.grade])} · {clauses}", finding.statement, answered,
                        requirement=finding.requirement, evidence=finding.objective_evidence))
    return Snapshot(audit.title, summary.format(
        client=audit.client.name, major=counts[Grade.MAJOR_NC], minor=counts[Grade.MINOR_NC],
        other=counts[Grade.OBSERVATION] + counts[Grade.OPPORTUNITY]), rows)


class SignOffController(QObject):
    signed = Signal(object)
    left = Signal()

    def __init__(self, runner: Runner, session: Session, audit_id: str, *, actor: str, role: str,
                 suite: str | None = None, view: SignOffView | None = None) -> None:
        super().__init__()
        self.runner = runner
        self.session = session
        self.audit_id = audit_id
        self.actor = actor
        self.role = role
        self.suite = suite  # None: the profile's (the suite the platform chose), read when signing
        self.view = view or SignOffView()
        self.view.sign.clicked.connect(self.sign)
        self.view.clear_pad.clicked.connect(self.view.pad.clear)
        self.view.leave.clicked.connect(self.leave)
        self.view.passphrase.returnPressed.connect(self.leave)

    def start(self, full_screen: bool = True) -> None:
        self.reload()
        if full_screen:
            self.view.showFullScreen()
        else:
            self.view.show()

    def reload(self) -> None:
        job = self.runner.database(lambda _p: load(self.session, self.audit_id), "sign-off")
        job.succeeded.connect(self._show)
        job.failed.connect(self._failed)

    def _show(self, snapshot: Snapshot) -> None:
        view = self.view
        view.title.setText(snapshot.title)
        view.summary.setText(snapshot.summary)
        for card in view.card_list():
            view.cards.removeWidget(card)
            card.deleteLater()
        for row in snapshot.rows:
            view.add_card(FindingCard(row.finding_id, row.heading, row.statement, row.answered,
                                      requirement=row.requirement, evidence=row.evidence))

    def _failed(self, error: BaseException) -> None:
        self.view.error.show_error(str(error) if isinstance(error, FieldAuditError) else _("The action failed."))

    def answers(self) -> list[tuple[str, str, str]]:
        """(finding id, action, comment) for every finding not answered yet; raises when incomplete."""
        chosen = []
        for card in self.view.card_list():
            if not card.accept.isEnabled():
                continue
            if not (card.accept.isChecked() or card.dispute.isChecked()):
                raise SignOffIncomplete(_("Accept or dispute every finding before signing."))
            comment = card.comment.text().strip()
            if card.dispute.isChecked() and not comment:
                raise SignOffIncomplete(_("Say why you dispute a finding in its comment."))
            chosen.append((card.finding_id, "dispute" if card.dispute.isChecked() else "acknowledge", comment))
        return chosen

    def sign(self) -> None:
        view = self.view
        view.error.clear_error()
        try:
            chosen = self.answers()
            strokes = view.pad.strokes()
        except SignOffIncomplete as why:
            view.error.show_error(str(why))
            return
        except FieldAuditError as error:
            view.error.show_error(str(error))
            return
        if not view.name.text().strip():
            view.error.show_error(str(IdentityMissing()))
            return
        representative = Representative(name=view.name.text(), title=view.job_title.text(),
                                        id_type=str(view.id_type.currentData()), id_number=view.id_number.text())

        def work(_progress: Any) -> Any:
            for finding_id, action, comment in chosen:
                service.move(self.session.store, REPRESENTATIVE_ACTOR, "auditee", finding_id, action,
                             {"auditee_comment": comment})
            return sign_off(self.session.store, self.session.data_key, actor=self.actor, role=self.role,
                            audit_id=self.audit_id, representative=representative, strokes=strokes,
                            suite=self.suite or self.session.signing_suite)

        view.sign.setEnabled(False)
        job = self.runner.database(work, "sign-off")
        job.succeeded.connect(self._signed)
        job.failed.connect(self._failed)
        job.finished.connect(lambda: view.sign.setEnabled(True))

    def _signed(self, records: Any) -> None:
        self.view.status.setText(_("Signed. The findings and your signature are recorded."))
        self.view.pad.clear()
        self.reload()
        self.signed.emit(records)

    def leave(self) -> None:
        passphrase = self.view.passphrase.text()
        self.view.passphrase.clear()
        gate = Unlocker(self.session.paths)

        def check(_progress: Any) -> bool:
            key = gate.with_passphrase(passphrase)
            return bool(key)

        job = self.runner.network(check, "leave sign-off")
        job.succeeded.connect(lambda _ok: self._close())
        job.failed.connect(lambda error: self.view.leave_error.show_error(
            str(error) if isinstance(error, FieldAuditError) else _("The passphrase could not be checked.")))

    def _close(self) -> None:
        self.view.allow_close = True
        self.view.close()
        self.left.emit()


class SignOffIncomplete(FieldAuditError):
    pass
