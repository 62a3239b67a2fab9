"""Who may see a person's record (个人履历) — the one place the page, the comparison, the API and the Word
export ask: the organizers see every record; everybody else (other roles, anonymous visitors) only the
records the office published (Person.record_public), and of those only the public pledges and items."""

from __future__ import annotations


def is_organizer(user) -> bool:
    return bool(user.is_authenticated and user.is_organizer)


def can_see_record(user, person) -> bool:
    return is_organizer(user) or bool(person.record_public)


def public_only(user) -> bool:
    """Whether the record is shown as published (public pledges and items only) rather than in full."""
    return not is_organizer(user)
