"""Matching the category words of organisers' own lists ("Nhóm hàng") to our categories: one
function, shared by the participant list import (command and admin).

A word matches, in this order: an alias the organiser confirmed before; a category of the same
name ignoring accents, case, tone placement and punctuation; the one category whose name starts
with the word ("Thủ công mỹ nghệ" → "Thủ công mỹ nghệ – làng nghề"); the one whose name contains
it as whole words. Two candidates at one step are no match: the importer reports the word rather
than guess."""

import re

from tuanhang.kernel.vn import fold

_NOT_WORD = re.compile(r"[^0-9a-z]+")


def category_key(text: str) -> str:
    """The form words are compared in: folded (no accents, lower case, đ → d), punctuation as spaces."""
    return " ".join(_NOT_WORD.sub(" ", fold(text or "")).split())


class CategoryMatcher:
    """Matches words against `categories` (loaded once) and an organiser's `aliases` (key → category)."""

    def __init__(self, categories, aliases=None):
        self.keyed = [(category_key(c.name), c) for c in categories]
        self.aliases = dict(aliases or {})

    def match(self, word: str):
        """The category `word` stands for, or None (unknown or ambiguous)."""
        key = category_key(word)
        if not key:
            return None
        if key in self.aliases:
            return self.aliases[key]
        for found in (
            [c for k, c in self.keyed if k == key],
            [c for k, c in self.keyed if k.startswith(key + " ")],
            [c for k, c in self.keyed if f" {key} " in f" {k} "],
        ):
            if len(found) == 1:
                return found[0]
            if found:
                return None
        return None
