"""转入督办: an arena's shortcomings and pledges previewed row by row, then written all or nothing."""
