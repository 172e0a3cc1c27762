"""Learner-facing text in English or Korean.

English is the source language. Code writes English text and passes it through
`tr`, which gives its Korean from the catalog (grader/locale/ko/*.toml, pairs
of `en` and `ko`) when the language is Korean, and the English text itself
when the catalog lacks it. A text with values is a template, filled after
translation: `tr("{what} has the wrong shape").format(what=...)`.

`N_` marks a constant that is translated later, where it is shown. Check
titles and hints (`@check`) and the manifest's titles and hints are
translated where they are shown, so they need no marking.

The language: `--lang`, else GRADER_LANG, else the locale (LC_ALL,
LC_MESSAGES, LANG: "ko_KR.UTF-8" means Korean), else English.
"""
from __future__ import annotations

import functools
import os
import tomllib
import unicodedata
from pathlib import Path

LANGUAGES = ("en", "ko")
LOCALE = Path(__file__).resolve().parent / "locale"


def language() -> str:
    chosen = os.environ.get("GRADER_LANG", "")
    if chosen in LANGUAGES:
        return chosen
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(name)
        if value:
            return "ko" if value.lower().startswith("ko") else "en"
    return "en"


def set_language(lang: str) -> None:
    """Use lang from now on, here and in every process started from here."""
    if lang not in LANGUAGES:
        raise LookupError(tr("no language {lang!r}; the languages are {languages}").format(
            lang=lang, languages=", ".join(LANGUAGES)))
    os.environ["GRADER_LANG"] = lang


@functools.cache
def catalog(lang: str) -> dict[str, str]:
    """English text -> its translation, from every file in locale/<lang>/."""
    entries: dict[str, str] = {}
    for path in sorted((LOCALE / lang).glob("*.toml")):
        for entry in tomllib.loads(path.read_text(encoding="utf-8")).get("message", []):
            entries[entry["en"]] = entry[lang]
    return entries


def tr(text: str) -> str:
    """text in the current language (English when no translation is known)."""
    lang = language()
    if lang == "en":
        return text
    return catalog(lang).get(text, text)


def width(text: str) -> int:
    """Columns text takes in a terminal: Hangul and other wide characters take two."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def pad(text: str, columns: int) -> str:
    """text and spaces to fill columns, for tables that mix Hangul and Latin letters."""
    return text + " " * max(columns - width(text), 0)


def N_(text: str) -> str:
    """Mark text for translation where it is shown; returns it unchanged."""
    return text
