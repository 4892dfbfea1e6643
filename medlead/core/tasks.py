"""Background work shared by every app: email goes out from the task queue, retried on failure."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from celery import shared_task

from medlead.core import notify

AddressBook = Callable[[list[int]], Iterable[str]]

# How person ids become email addresses: given by the app that keeps people (organisation, when it loads), so that
# core imports no app. Read when sending, so that an address changed after the email was queued is the one used.
_address_books: list[AddressBook] = []


def register_address_book(lookup: AddressBook) -> None:
    """Registers how to read the email addresses of people by id (the addresses of those who have one)."""
    _address_books.append(lookup)


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5, acks_late=True, reject_on_worker_lost=True)
def send_email(*, subject: str, body: str, to: list[str] | None = None, person_ids: list[int] | None = None) -> int:
    """One message to each address (and each person's address, read when sending) separately, so that no
    recipient sees who else was told."""
    addresses = list(to or [])
    if person_ids:
        if not _address_books:
            raise RuntimeError("No app has registered how to find people's email addresses.")
        for lookup in _address_books:
            addresses += lookup(person_ids)
    return sum(notify.send(subject=subject, body=body, address=address) for address in dict.fromkeys(addresses))
