"""Ranking units on their data (`leitai index compute`): the spec, normalisation, the index engine with its
stars and flags, projections to the year's end and 双过半 targets."""
