"""The arena's judging: the rubric, the tally of score sheets (`leitai arena tally`), rank-to-points
(`leitai points tally`), the draw of the order and the day's flow of stages."""
