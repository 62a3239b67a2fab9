"""Follow-up reviews (回头看) by citizen supervisors and the raiser's one-time feedback link."""
