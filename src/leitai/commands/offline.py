"""Shared by the offline recomputation commands (`index compute`, `arena tally`): message language, file
reading and failure with exit code 2. Free of Django so those commands start fast."""

from __future__ import annotations

import os
import sys

import click


def setup_django() -> None:
    """Configure Django for the commands that touch the database (the offline ones never call this). Changes
    they make are audited as made on the command line (by the system account running it)."""
    import getpass

    from leitai.audit.context import assume

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "leitai.config.settings")
    import django

    words = [w for w in sys.argv[1:3] if not w.startswith("-")]
    try:
        who = getpass.getuser()
    except (KeyError, OSError):
        who = "?"
    assume(name=f"cli:{who}", via=" ".join(["leitai", *words]))
    django.setup()


def lang_of(choice: str | None) -> str:
    """--lang, else LEITAI_LANG (the commands' own), else LEITAI_LANGUAGE (the app's), else Chinese."""
    from leitai.config.options import read

    raw = choice or read("LEITAI_LANG") or read("LEITAI_LANGUAGE")
    return "en" if raw.lower().startswith("en") else "zh"


def fail(lang: str, path: str, zh: str, en: str) -> None:
    """Print the message (each of its lines prefixed with the file) and exit with code 2."""
    for text in (en if lang == "en" else zh).splitlines():
        click.echo(f"{path}: {text}", err=True)
    sys.exit(2)


def read_text(lang: str, path: str) -> str:
    """A UTF-8 file's text; a missing, unreadable or non-UTF-8 file fails naming the file."""
    try:
        with open(path, encoding="utf-8") as f:
            return f.read()
    except FileNotFoundError:
        fail(lang, path, "文件不存在", "no such file")
    except UnicodeDecodeError as e:
        fail(lang, path, f"不是 UTF-8 编码（第 {e.start} 字节）", f"not UTF-8 text (byte {e.start})")
    except OSError as e:
        fail(lang, path, f"无法读取：{e.strerror}", f"cannot read: {e.strerror}")


def write_text(lang: str, path: str, text: str) -> None:
    """Write UTF-8 text with the lines as given; failure names the file."""
    try:
        with open(path, "w", encoding="utf-8", newline="") as f:
            f.write(text)
    except OSError as e:
        fail(lang, path, f"无法写入：{e.strerror}", f"cannot write: {e.strerror}")
