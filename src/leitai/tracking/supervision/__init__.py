"""Supervision (督办): the daily reminder job, the in-app notices and the 双过半 early warning."""
