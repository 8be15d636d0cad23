"""Hooks: how a lower layer asks a higher one for something without importing it.

A lower app declares a Hook with a safe default (what holds when the higher app is not installed);
the higher app provides the function in its AppConfig.ready. Signals tell the layers above that
something happened; a hook asks them a question and gets one answer.
"""

from collections.abc import Callable


class Hook:
    def __init__(self, name: str, default: Callable):
        self.name = name
        self.default = default
        self._provider: Callable | None = None

    def provide(self, function: Callable) -> Callable:
        """Answer this hook with `function` (one provider: a second replaces the first)."""
        self._provider = function
        return function

    def __call__(self, *args, **kwargs):
        return (self._provider or self.default)(*args, **kwargs)

    def __repr__(self):
        return f"<Hook {self.name}>"
