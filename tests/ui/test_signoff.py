"""Sign-off mode: one audit only, every finding answered, a drawn signature, locked until the passphrase."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication, QLabel

from app.domain import FindingState, SignatureMethod
from app.findings import service
from app.services.session import Session, create_profile
from tests.conftest import FAST_COST, PASSPHRASE
from tests.factories import make_audit, make_finding
from ui.runner import Runner
from ui.signoff.signoff_controller import SignOffController


@pytest.fixture
def runner(qapp: QApplication) -> Iterator[Runner]:
    made = Runner()
    yield made
    made.shutdown()


@pytest.fixture
def opened(profile_dir: Path) -> Iterator[Session]:
    session = create_profile(profile_dir, PASSPHRASE, cost=FAST_COST)
    yield session
    session.close()


def draw(qtbot: Any, pad: Any) -> None:
    qtbot.mousePress(pad, Qt.MouseButton.LeftButton, pos=QPoint(30, 90))
    for step in range(40):
        qtbot.wait(4)
        qtbot.mouseMove(pad, QPoint(30 + step * 8, 90 + (step % 7) * 6 - 18))
    qtbot.mouseRelease(pad, Qt.MouseButton.LeftButton, pos=QPoint(350, 100))


def test_sign_off_mode(qtbot: Any, runner: Runner, opened: Session) -> None:
    store = opened.store
    audit, other = make_audit(title="本次审核"), make_audit(title="另一个审核")
    with store.unit_of_work("u-lead") as uow:
        uow.create(audit)
        uow.create(other)
    first = service.raise_finding(store, "u-lead", "lead", make_finding(audit.id, statement="量具超期使用。"))
    second = service.raise_finding(store, "u-lead", "lead", make_finding(audit.id, grade="major_nc",
                                                                         statement="未开展内部审核。"))
    service.raise_finding(store, "u-lead", "lead", make_finding(other.id, statement="别的审核的发现"))
    ctl = SignOffController(runner, opened, audit.id, actor="u-lead", role="lead", suite="national")
    qtbot.addWidget(ctl.view)
    ctl.start()
    view = ctl.view
    qtbot.waitUntil(lambda: len(view.card_list()) == 2, timeout=10000)
    assert view.isFullScreen() and "严重不符合 1 项，一般不符合 1 项" in view.summary.text()
    shown = " ".join(label.text() for label in view.findChildren(QLabel))
    assert "量具超期使用" in shown and "别的审核的发现" not in shown and "另一个审核" not in shown

    view.sign.click()
    assert "认可或提出异议" in view.error.text()
    cards = {card.finding_id: card for card in view.card_list()}
    cards[first.id].accept.setChecked(True)
    cards[second.id].dispute.setChecked(True)
    view.sign.click()
    assert "异议" in view.error.text()
    cards[second.id].comment.setText("内审已于11月完成，记录在档案室")
    view.sign.click()
    assert "签名" in view.error.text()  # nothing drawn yet
    draw(qtbot, view.pad)
    view.sign.click()
    assert "姓名" in view.error.text()
    view.name.setText("陈经理")
    view.id_number.setText("110101199003071234")
    view.sign.click()
    qtbot.waitUntil(lambda: bool(view.status.text()), timeout=10000)
    assert store.findings.get(first.id).state is FindingState.ACKNOWLEDGED
    assert store.findings.get(second.id).state is FindingState.DISPUTED
    methods = sorted(s.method.value for s in store.signatures.list(audit.id))
    assert methods == sorted([SignatureMethod.HANDWRITTEN.value, SignatureMethod.DEVICE_KEY.value])
    assert "110101199003071234" not in store.signatures.list(audit.id)[0].signature
    qtbot.waitUntil(lambda: all(not c.accept.isEnabled() for c in view.card_list()), timeout=10000)

    # Locked: closing or Escape does not leave; a wrong passphrase does not either.
    view.close()
    qtbot.keyClick(view, Qt.Key.Key_Escape)
    assert view.isVisible()
    view.passphrase.setText("wrong passphrase")
    view.leave.click()
    qtbot.waitUntil(lambda: view.leave_error.isVisible(), timeout=10000)
    assert view.isVisible() and "口令" in view.leave_error.text()
    with qtbot.waitSignal(ctl.left, timeout=10000):
        view.passphrase.setText(PASSPHRASE)
        view.leave.click()
    assert not view.isVisible()
