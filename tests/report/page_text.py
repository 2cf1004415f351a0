"""The visible text of parts of a report, as a reader sees it (no tags, attributes or styles)."""

from __future__ import annotations

from html.parser import HTMLParser


class _Text(HTMLParser):
    """The visible text of the elements of a page that match a tag and attribute, one string
    each (whitespace collapsed)."""

    def __init__(self, tag: str, attribute: str, value: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tag, self.attribute, self.value = tag, attribute, value
        self.found: list[str] = []
        self._depth = 0
        self._parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("style", "script"):
            self._skip += 1
        if tag != self.tag:
            return
        if self._depth:
            self._depth += 1
        elif self.value in (dict(attrs).get(self.attribute) or "").split():
            self._depth, self._parts = 1, []

    def handle_endtag(self, tag: str) -> None:
        if tag in ("style", "script"):
            self._skip -= 1
        if tag == self.tag and self._depth:
            self._depth -= 1
            if not self._depth:
                self.found.append(" ".join("".join(self._parts).split()))

    def handle_data(self, data: str) -> None:
        if self._depth and not self._skip:
            self._parts.append(data)


def texts(html: str, tag: str, value: str, attribute: str = "class") -> list[str]:
    parser = _Text(tag, attribute, value)
    parser.feed(html)
    parser.close()
    return parser.found


def section(html: str, name: str) -> str:
    (found,) = texts(html, "section", name, "id")
    return found
