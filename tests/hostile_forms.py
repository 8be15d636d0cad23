"""What a page offers to send, read from its HTML as a browser would (tests/test_hostile_inputs.py):
its forms (action, method, every named <input>, <select> and <textarea> with the value a browser
would submit unchanged) and the query parameters of its links.

The stdlib's html.parser is enough: the pages are our own templates, and a field the parser missed
would be a field the suite does not attack, which the coverage tests of the suite make visible."""

from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urljoin, urlsplit

# Inputs a browser sends as typed text (their value as rendered, or empty).
_NOT_SENT = {"submit", "button", "image", "reset"}


@dataclass
class Form:
    action: str  # absolute path of the action (the page's own path when the form has none)
    method: str  # "get" or "post"
    fields: dict[str, list[str]] = field(default_factory=dict)  # name → values a browser submits
    names: list[str] = field(default_factory=list)  # every named field, in page order (unchecked boxes too)
    buttons: list[tuple[str, str]] = field(default_factory=list)  # named submit buttons (name, value)

    def add(self, name: str, value: str | None) -> None:
        if name not in self.names:
            self.names.append(name)
        if value is not None:
            self.fields.setdefault(name, []).append(value)

    def data(self) -> dict[str, list[str]]:
        """What pressing the form's first named button (or Enter) sends, as rendered."""
        data = {name: list(values) for name, values in self.fields.items()}
        if self.buttons:
            name, value = self.buttons[0]
            data.setdefault(name, [value])
        return data


class _PageParser(HTMLParser):
    def __init__(self, page_path: str):
        super().__init__(convert_charrefs=True)
        self.page_path = page_path
        self.forms: list[Form] = []
        self.links: list[str] = []
        self._form: Form | None = None
        self._select: tuple[str, bool] | None = None  # (name, multiple)
        self._options: list[tuple[str, bool]] = []
        self._option: list | None = None  # [value or None, selected, text]
        self._textarea: list | None = None  # [name, text]

    def handle_starttag(self, tag, attrs):
        a = {key: (value if value is not None else "") for key, value in attrs}
        if tag == "a" and a.get("href"):
            self.links.append(urljoin(self.page_path, a["href"]))
        elif tag == "form":
            action = urljoin(self.page_path, a.get("action") or self.page_path)
            self._form = Form(action=action, method=(a.get("method") or "get").lower())
            self.forms.append(self._form)
        elif self._form is None:
            return
        elif tag == "input" and a.get("name"):
            self._input(a)
        elif tag == "button" and a.get("name") and a.get("type", "submit") == "submit":
            self._form.buttons.append((a["name"], a.get("value", "")))
        elif tag == "select" and a.get("name"):
            self._select = (a["name"], "multiple" in a)
            self._options = []
        elif tag == "option" and self._select is not None:
            self._option = [a.get("value"), "selected" in a, ""]
        elif tag == "textarea" and a.get("name"):
            self._textarea = [a["name"], ""]

    def _input(self, a):
        kind = a.get("type", "text").lower()
        if kind in _NOT_SENT:
            if kind in ("submit", "image"):
                self._form.buttons.append((a["name"], a.get("value", "")))
            return
        if kind in ("checkbox", "radio"):
            self._form.add(a["name"], a.get("value", "on") if "checked" in a else None)
        elif kind == "file":
            self._form.add(a["name"], None)
        else:
            self._form.add(a["name"], a.get("value", ""))

    def handle_data(self, data):
        if self._option is not None:
            self._option[2] += data
        elif self._textarea is not None:
            self._textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "option" and self._option is not None:
            value, selected, text = self._option
            self._options.append((value if value is not None else text.strip(), selected))
            self._option = None
        elif tag == "select" and self._select is not None:
            self._close_select()
        elif tag == "textarea" and self._textarea is not None:
            name, text = self._textarea
            self._form.add(name, text.removeprefix("\n"))
            self._textarea = None
        elif tag == "form":
            self._form = None

    def _close_select(self):
        name, multiple = self._select
        chosen = [value for value, selected in self._options if selected]
        if not chosen and not multiple and self._options:
            chosen = [self._options[0][0]]  # a browser sends the first option of a single select
        self._form.add(name, None)
        for value in chosen:
            self._form.add(name, value)
        self._select = None


@dataclass
class Page:
    forms: list[Form]
    links: list[str]  # absolute paths with their query strings

    def query_names(self, path: str) -> set[str]:
        """The query parameters the page's links send to `path`."""
        names = set()
        for link in self.links:
            parts = urlsplit(link)
            if parts.path == path and not parts.netloc:
                names |= {key for key, _value in parse_qsl(parts.query, keep_blank_values=True)}
        return names


def parse_page(html: str, page_path: str) -> Page:
    parser = _PageParser(page_path)
    parser.feed(html)
    parser.close()
    return Page(forms=parser.forms, links=parser.links)
