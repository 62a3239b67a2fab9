"""The overview pages: the supervision dashboard, the public page and a unit's page of its items, pledges
and key projects."""
