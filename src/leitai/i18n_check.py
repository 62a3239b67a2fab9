"""Translations: compile the English catalogue (.po → .mo) and check the committed .mo is current.

`python -m leitai.i18n_check` fails when a .po file was edited without recompiling;
`python -m leitai.i18n_check --compile` recompiles. Uses polib, so GNU gettext is not needed.
"""

from __future__ import annotations

import sys
from pathlib import Path

LOCALE = Path(__file__).resolve().parent / "locale"


def _catalogues():
    return sorted(LOCALE.glob("*/LC_MESSAGES/*.po"))


def main(argv: list[str]) -> int:
    import polib

    stale = []
    for po_path in _catalogues():
        mo_path = po_path.with_suffix(".mo")
        po = polib.pofile(str(po_path))
        if "--compile" in argv:
            po.save_as_mofile(str(mo_path))
            continue
        if not mo_path.exists():
            stale.append(str(mo_path))
            continue
        mo = polib.mofile(str(mo_path))
        want = {(e.msgctxt, e.msgid): e.msgstr for e in po.translated_entries()}
        have = {(e.msgctxt, e.msgid): e.msgstr for e in mo if e.msgid}
        if want != have:
            stale.append(str(mo_path))
    if stale:
        print("Translations out of date, run: python -m leitai.i18n_check --compile\n  " + "\n  ".join(stale))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
