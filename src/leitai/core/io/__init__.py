"""Files in and out, still without I/O of its own: callers pass text or rows. The tabular reader of every
import (Excel/CSV, wide or long), and the CSV/JSON formats of the offline contracts (index, arena, points,
assessment)."""
