"""Pledges (承诺/军令状): entered or from an arena, judged from data or by the organizer, imported and exported."""
