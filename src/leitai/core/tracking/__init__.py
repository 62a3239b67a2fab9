"""Pledges and rectification: the items' state machine and deadlines, pledge rules, project schedules and
the annual assessment (考绩) that turns it all into scores (`leitai assess compute`)."""
