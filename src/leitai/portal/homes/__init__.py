"""Each signed-in role's home page (/): the organizer's today, the reporter's work, the judge's arenas and
the citizen supervisor's follow-up reviews. The public and anonymous visitors get the portal's own home."""
