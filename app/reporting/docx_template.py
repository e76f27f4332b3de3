"""The Word template language: placeholders and repeatable sections a CB edits in Word.

* ``{{ client.name }}`` is replaced by the value at that dotted path of the context (lists of
  plain values are joined with "; ", nothing is written for None);
* ``{{#findings}}`` ... ``{{/findings}}`` repeats what lies between for each item of a list
  (inside, names are looked up in the item first, then outwards; ``{{ . }}`` is the item
  itself); for a non-list value the part is kept once if the value is non-empty, dropped if
  not; ``{{^findings}}`` ... ``{{/findings}}`` is kept only when the value is empty;
* a section that opens and closes in one table row repeats that row; one that opens and
  closes in one paragraph repeats that paragraph; otherwise the opening and closing markers
  each stand alone in their own paragraph and everything between them repeats;
* ``{{ body }}`` alone in a paragraph marks where the generated document body goes.

Word splits typed text into runs unpredictably; placeholders are found across runs and the
replacement keeps the formatting of the run where the placeholder starts.  Every problem
(unknown placeholder, unclosed section, broken XML) names the placeholder and the part.
"""

from __future__ import annotations

import copy
import io
import re
import zipfile
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from lxml import etree

from app.errors import ReportError
from app.i18n import N_

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
TAG = re.compile(r"\{\{\s*([#/^]?)\s*([A-Za-z_\u4e00-\u9fff][\w.\u4e00-\u9fff]*|\.)\s*\}\}")
BODY = "body"
_MISSING = object()
# Compiled once; python-docx's element classes override .xpath() with their own namespaces.
_RUN_PATH = etree.XPath("./w:r | ./w:hyperlink/w:r | ./w:ins/w:r | ./w:smartTag/w:r", namespaces={"w": W})


def w(name: str) -> str:
    return f"{{{W}}}{name}"


class TemplateError(ReportError):
    message = N_("The template cannot be used.")


class TemplateBroken(TemplateError):
    message = N_("The template part {part} is not valid: {detail}.")


class TemplateUnknownPlaceholder(TemplateError):
    message = N_("The template uses unknown placeholders in {part}: {names}.")


class TemplateSectionUnclosed(TemplateError):
    message = N_("The section {name} in the template part {part} is opened but not closed in the same place.")


@dataclass(frozen=True)
class Problem:
    part: str
    placeholder: str


def check_package(data: bytes) -> None:
    """Refuse a file that is not a Word document or has an XML part that does not parse."""
    try:
        package = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise TemplateBroken(part="/", detail="not a Word (.docx) file") from None
    with package:
        names = package.namelist()
        if "word/document.xml" not in names:
            raise TemplateBroken(part="word/document.xml", detail="missing")
        for name in names:
            if not name.endswith((".xml", ".rels")):
                continue
            try:
                etree.fromstring(package.read(name))
            except etree.XMLSyntaxError as error:
                raise TemplateBroken(part=name, detail=str(error)) from None


def _runs(paragraph: etree._Element) -> list[etree._Element]:
    return [element for element in _RUN_PATH(paragraph) if isinstance(element, etree._Element)]


def _texts(run: etree._Element) -> list[etree._Element]:
    return [element for element in run.iterchildren(w("t"))]


def paragraph_text(paragraph: etree._Element) -> str:
    return "".join(t.text or "" for run in _runs(paragraph) for t in _texts(run))


def _set_run_text(run: etree._Element, text: str) -> None:
    texts = _texts(run)
    if not texts:
        return
    first = texts[0]
    for extra in texts[1:]:
        run.remove(extra)
    for sibling in list(first.itersiblings()):
        if sibling.tag == w("br") and sibling.get("fieldaudit") == "1":
            run.remove(sibling)
    lines = text.split("\n")
    first.text = lines[0]
    first.set(XML_SPACE, "preserve")
    anchor = first
    for line in lines[1:]:
        br = etree.Element(w("br"))
        anchor.addnext(br)
        t = etree.Element(w("t"))
        t.text = line
        t.set(XML_SPACE, "preserve")
        br.addnext(t)
        anchor = t


class Renderer:
    """Fill one XML part of a template from a context; collects problems instead of stopping."""

    def __init__(self, part: str, context: Mapping[str, Any]) -> None:
        self.part = part
        self.root_context = context
        self.problems: list[Problem] = []
        self.body_marker: etree._Element | None = None

    # -- values ---------------------------------------------------------------------------
    def lookup(self, path: str, stack: Sequence[Any]) -> Any:
        if path == ".":
            return stack[-1]
        head, *rest = path.split(".")
        for scope in reversed(stack):
            if isinstance(scope, Mapping) and head in scope:
                value = scope[head]
                for key in rest:
                    if isinstance(value, Mapping) and key in value:
                        value = value[key]
                    else:
                        return _MISSING
                return value
        return _MISSING

    def value(self, path: str, stack: Sequence[Any]) -> str:
        found = self.lookup(path, stack)
        if found is _MISSING:
            self.problems.append(Problem(self.part, path))
            return ""
        if found is None:
            return ""
        if isinstance(found, list | tuple):
            return "; ".join("" if item is None else str(item) for item in found)
        if isinstance(found, bool):
            return "✓" if found else ""
        return str(found)

    def expand(self, name: str, inverted: bool, stack: Sequence[Any]) -> Iterator[list[Any]]:
        found = self.lookup(name, stack)
        if found is _MISSING:
            self.problems.append(Problem(self.part, name))
            return
        empty = found in (None, "", False) or (isinstance(found, list | tuple) and not found)
        if inverted:
            if empty:
                yield list(stack)
            return
        if empty:
            return
        if isinstance(found, list | tuple):
            for item in found:
                yield [*stack, item]
        else:
            yield [*stack, found]

    # -- structure ------------------------------------------------------------------------
    def render_container(self, container: etree._Element, stack: Sequence[Any]) -> None:
        children = [child for child in container if child.tag in (w("p"), w("tbl"), w("sdt"))]
        index = 0
        while index < len(children):
            element = children[index]
            if element.tag == w("sdt"):
                content = element.find(w("sdtContent"))
                if content is not None:
                    self.render_container(content, stack)
                index += 1
                continue
            if element.tag == w("tbl"):
                self.render_table(element, stack)
                index += 1
                continue
            text = paragraph_text(element).strip()
            opening = TAG.fullmatch(text)
            if opening and opening.group(1) in "#^" and opening.group(1):
                end = self._find_close(children, index, opening.group(2), container)
                if end is None:
                    self.problems.append(Problem(self.part, "#" + opening.group(2)))
                    raise TemplateSectionUnclosed(name=opening.group(2), part=self.part)
                block = children[index + 1:end]
                self._repeat(children[index], children[end], block, opening.group(2),
                             opening.group(1) == "^", stack)
                index = end + 1
                continue
            self.render_paragraph(element, stack)
            index += 1

    def _find_close(self, children: list[etree._Element], start: int, name: str,
                    container: etree._Element) -> int | None:
        depth = 0
        for position in range(start + 1, len(children)):
            if children[position].tag != w("p"):
                continue
            match = TAG.fullmatch(paragraph_text(children[position]).strip())
            if match and match.group(2) == name:
                if match.group(1) in ("#", "^"):
                    depth += 1
                elif match.group(1) == "/":
                    if depth == 0:
                        return position
                    depth -= 1
        return None

    def _repeat(self, opening: etree._Element, closing: etree._Element, block: list[etree._Element],
                name: str, inverted: bool, stack: Sequence[Any]) -> None:
        parent = opening.getparent()
        assert parent is not None
        for scope in self.expand(name, inverted, stack):
            copies = [copy.deepcopy(element) for element in block]
            holder = etree.Element(w("body"))
            for element in copies:
                holder.append(element)
            self.render_container(holder, scope)
            for element in list(holder):
                opening.addprevious(element)
        for element in [opening, *block, closing]:
            parent.remove(element)

    def render_table(self, table: etree._Element, stack: Sequence[Any]) -> None:
        rows = table.findall(w("tr"))
        index = 0
        while index < len(rows):
            row = rows[index]
            text = "".join(paragraph_text(p) for p in row.iter(w("p")))
            opening = next((m for m in TAG.finditer(text) if m.group(1) in ("#", "^")), None)
            if opening is None:
                for cell in row.findall(w("tc")):
                    self.render_container(cell, stack)
                index += 1
                continue
            name, end = opening.group(2), None
            for position in range(index, len(rows)):
                row_text = "".join(paragraph_text(p) for p in rows[position].iter(w("p")))
                if any(m.group(1) == "/" and m.group(2) == name for m in TAG.finditer(row_text)):
                    end = position
                    break
            if end is None:
                raise TemplateSectionUnclosed(name=name, part=self.part)
            block = rows[index:end + 1]
            for scope in self.expand(name, opening.group(1) == "^", stack):
                for original in block:
                    fresh = copy.deepcopy(original)
                    self._strip_markers(fresh, name)
                    for cell in fresh.findall(w("tc")):
                        self.render_container(cell, scope)
                    block[0].addprevious(fresh)
            for original in block:
                table.remove(original)
            index = end + 1

    def _strip_markers(self, element: etree._Element, name: str) -> None:
        marker = re.compile(r"\{\{\s*[#/^]\s*" + re.escape(name) + r"\s*\}\}")
        for paragraph in element.iter(w("p")):
            self._replace(paragraph, marker, lambda _m: "")

    def render_paragraph(self, paragraph: etree._Element, stack: Sequence[Any]) -> None:
        text = paragraph_text(paragraph)
        if "{{" not in text:
            return
        whole = TAG.fullmatch(text.strip())
        if whole and whole.group(2) == BODY and not whole.group(1) and self.body_marker is None:
            self.body_marker = paragraph
            return
        sections = [m for m in TAG.finditer(text) if m.group(1) in ("#", "^")]
        if sections:
            # A section opening and closing inside one paragraph repeats that paragraph.
            name, inverted = sections[0].group(2), sections[0].group(1) == "^"
            if not any(m.group(1) == "/" and m.group(2) == name for m in TAG.finditer(text)):
                raise TemplateSectionUnclosed(name=name, part=self.part)
            parent = paragraph.getparent()
            assert parent is not None
            for scope in self.expand(name, inverted, stack):
                fresh = copy.deepcopy(paragraph)
                self._strip_markers(fresh, name)
                self.render_paragraph(fresh, scope)
                paragraph.addprevious(fresh)
            parent.remove(paragraph)
            return
        self._replace(paragraph, TAG, lambda m: self._stray(m) if m.group(1) == "/" else self.value(m.group(2), stack))

    def _stray(self, match: re.Match[str]) -> str:
        """A closing marker with no opening one: reported like an unknown placeholder."""
        self.problems.append(Problem(self.part, "/" + match.group(2)))
        return ""

    def _replace(self, paragraph: etree._Element, pattern: re.Pattern[str], value: Any) -> None:
        runs = _runs(paragraph)
        texts = ["".join(t.text or "" for t in _texts(run)) for run in runs]
        joined = "".join(texts)
        matches = list(pattern.finditer(joined))
        if not matches:
            return
        starts, position = [], 0
        for text in texts:
            starts.append(position)
            position += len(text)

        def locate(offset: int) -> tuple[int, int]:
            for number, text in enumerate(texts):
                if starts[number] <= offset < starts[number] + len(text):
                    return number, offset - starts[number]
            return len(texts) - 1, len(texts[-1])

        new = list(texts)
        for match in reversed(matches):
            first, first_off = locate(match.start())
            last, last_off = locate(match.end() - 1)
            replacement = value(match)
            if first == last:
                new[first] = new[first][:first_off] + replacement + new[first][last_off + 1:]
            else:
                new[first] = new[first][:first_off] + replacement
                for middle in range(first + 1, last):
                    new[middle] = ""
                new[last] = new[last][last_off + 1:]
        for run, old, fresh in zip(runs, texts, new, strict=True):
            if old != fresh:
                _set_run_text(run, fresh)


def render_part(root: etree._Element, part: str, context: Mapping[str, Any]) -> Renderer:
    """Fill a document, header or footer part in place; the renderer keeps the problems found."""
    renderer = Renderer(part, context)
    container = root.find(w("body"))
    renderer.render_container(container if container is not None else root, [context])
    for box in list(root.iter(w("txbxContent"))):
        renderer.render_container(box, [context])
    return renderer


def raise_problems(problems: Sequence[Problem]) -> None:
    if not problems:
        return
    part = problems[0].part
    names = sorted({f"{{{{ {p.placeholder} }}}}" for p in problems if p.part == part})
    raise TemplateUnknownPlaceholder(part=part, names=", ".join(names))
