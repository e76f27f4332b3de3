"""One gettext loading for the UI and for documents: a document's language does not switch the UI's."""

from __future__ import annotations

from app.i18n import current_language, gettext, set_language, translations
from app.reporting.language import translator


def test_documents_use_the_ui_catalogues_without_switching_language() -> None:
    before = current_language()
    try:
        set_language("zh_CN")
        assert translations("zh") is translations("zh_CN") is translations("zh-CN")
        assert translator("en")("Audit report") == "Audit report"
        assert translator("zh_CN")("Audit report") == "审核报告" == gettext("Audit report")
        set_language("en")
        assert gettext("Audit report") == "Audit report" and translator("zh")("Audit report") == "审核报告"
        assert translations("en").gettext("Audit report") == "Audit report"
    finally:
        set_language(before)
