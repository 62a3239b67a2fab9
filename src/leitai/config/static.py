"""How static files are stored and named: collected into STATIC_ROOT with a content hash in each name, a
brotli (.br) and a gzip (.gz) copy beside each, so whitenoise serves them compressed with a one-year-plus
cache lifetime (`Cache-Control: max-age=315360000, public, immutable`): a changed file gets a new name.

`leitai serve` and `leitai demo` collect them before the server starts (commands/demo.py: `collect`). Where
nothing was collected (the test suite, `leitai manage runserver`), pages name the plain files, which whitenoise
then serves from the app folders (WHITENOISE_USE_FINDERS) with a short cache lifetime.
"""

from __future__ import annotations

from django.contrib.staticfiles.storage import StaticFilesStorage
from whitenoise.storage import CompressedManifestStaticFilesStorage


class Storage(CompressedManifestStaticFilesStorage):
    def url(self, name, force=False):
        if not self.hashed_files:  # nothing collected: the plain name, served from the app folders
            return StaticFilesStorage.url(self, name)
        return super().url(name, force)
