"""What every tracking room shares: who acts and the in-app notice, the notifiers, units by typed name,
page helpers and workbooks."""
