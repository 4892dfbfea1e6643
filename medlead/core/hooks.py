"""How a lower layer uses what a higher one knows, without importing it (docs/adr/0014).

The layer contract (``.importlinter``) lets an app import only the apps below it. Two small mechanisms cover the
few places where a lower app needs something only a higher app can give:

- a ``Question`` is declared by the app that asks (revalidation asks "does this doctor have an open MHPS case?")
  and answered by the app that knows (concerns), when it loads. Asking a question nobody answered is an error, not
  a silent "no": a rule that cannot be checked must not pass.
- a ``Registry`` collects contributions (the loaders of the reference data, in the order the apps are installed).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Generic, ParamSpec, TypeVar

P = ParamSpec("P")
T = TypeVar("T")


class Unanswered(LookupError):
    """A question asked before any app answered it (an app missing from INSTALLED_APPS, or not yet loaded)."""


class Question(Generic[P, T]):
    """A question one app asks and exactly one other answers."""

    def __init__(self, text: str) -> None:
        self.text = text
        self._answer: Callable[P, T] | None = None

    def answer_with(self, answer: Callable[P, T]) -> Callable[P, T]:
        if self._answer is not None and self._answer is not answer:
            raise ValueError(f"The question {self.text!r} already has an answer.")
        self._answer = answer
        return answer

    def __call__(self, *args: P.args, **kwargs: P.kwargs) -> T:
        if self._answer is None:
            raise Unanswered(f"Nothing answers {self.text!r}: is the app that knows installed?")
        return self._answer(*args, **kwargs)


class Registry(Generic[T]):
    """Named contributions, kept in the order they were registered; a name registered twice is an error."""

    def __init__(self, what: str) -> None:
        self.what = what
        self._items: dict[str, T] = {}

    def register(self, name: str, item: T) -> T:
        if name in self._items and self._items[name] is not item:
            raise ValueError(f"Two {self.what} are called {name!r}.")
        self._items[name] = item
        return item

    def __iter__(self) -> Iterator[tuple[str, T]]:
        return iter(list(self._items.items()))

    def __getitem__(self, name: str) -> T:
        return self._items[name]

    def __contains__(self, name: object) -> bool:
        return name in self._items
