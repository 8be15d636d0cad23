"""A page's elements read from its HTML as a screen reader meets them (tests/test_form_error_summary.py):
every element by id with its attributes and text, the <title>, the error summary's links, and what a
field would send (its typed value kept after a refused submit)."""

from dataclasses import dataclass, field
from html.parser import HTMLParser

_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


@dataclass
class Element:
    tag: str
    attrs: dict
    parent: "Element | None" = None
    children: list = field(default_factory=list)
    text_parts: list = field(default_factory=list)

    def text(self) -> str:
        parts = list(self.text_parts)
        for child in self.children:
            parts.append(child.text())
        return " ".join(" ".join(parts).split())

    def ancestors(self):
        node = self.parent
        while node is not None:
            yield node
            node = node.parent


class _TreeParser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = Element("#root", {})
        self.current = self.root
        self.by_id: dict[str, Element] = {}
        self.elements: list[Element] = []

    def handle_starttag(self, tag, attrs):
        element = Element(tag, {k: (v if v is not None else "") for k, v in attrs}, parent=self.current)
        self.current.children.append(element)
        self.elements.append(element)
        if "id" in element.attrs:
            self.by_id.setdefault(element.attrs["id"], element)
        if tag not in _VOID:
            self.current = element

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in _VOID:
            self.current = self.current.parent

    def handle_endtag(self, tag):
        node = self.current
        while node is not None and node.tag != tag:
            node = node.parent
        if node is not None and node.parent is not None:
            self.current = node.parent

    def handle_data(self, data):
        self.current.text_parts.append(data)


class Page:
    def __init__(self, html: str):
        parser = _TreeParser()
        parser.feed(html)
        self.by_id = parser.by_id
        self.elements = parser.elements

    def title(self) -> str:
        return next((e.text() for e in self.elements if e.tag == "title"), "")

    def summary(self) -> Element | None:
        return self.by_id.get("error-summary")

    def summary_links(self) -> list[tuple[str, str]]:
        """(target id, link text) of every link of the error summary."""
        summary = self.summary()
        links = [e for e in self.elements if e.tag == "a" and summary in e.ancestors()]
        return [(a.attrs["href"].removeprefix("#"), a.text()) for a in links]

    def described_by(self, element: Element) -> str:
        """The text of what aria-describedby names, on the element or on its enclosing fieldset."""
        holders = [element, *(a for a in element.ancestors() if a.tag == "fieldset")]
        ids = " ".join(h.attrs.get("aria-describedby", "") for h in holders).split()
        return " ".join(self.by_id[i].text() for i in ids if i in self.by_id)

    def value_of(self, name: str) -> list[str]:
        """What the named field would send as rendered (text boxes, text areas, checked boxes, selected options)."""
        values = []
        for e in self.elements:
            if e.attrs.get("name") != name:
                continue
            if e.tag == "textarea":
                values.append("".join(e.text_parts).strip("\n"))
            elif e.tag == "select":
                values += [
                    o.attrs.get("value", o.text())
                    for o in _descendants(e)
                    if o.tag == "option" and "selected" in o.attrs
                ]
            elif e.tag == "input" and e.attrs.get("type") in ("checkbox", "radio"):
                if "checked" in e.attrs:
                    values.append(e.attrs.get("value", "on"))
            elif e.tag == "input":
                values.append(e.attrs.get("value", ""))
        return values


def _descendants(element):
    for child in element.children:
        yield child
        yield from _descendants(child)
