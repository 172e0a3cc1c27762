"""Every learner-facing text exists in English and Korean, and the Korean renders.

The texts are found in the source: `tr("...")` and `N_("...")` calls, `@check`
titles and hints, and the manifest's titles and hints. Each exercise's texts
live in grader/locale/ko/NN_name.toml, the engine's in engine.toml. A string
that reads as English prose anywhere else in a learner-facing module fails
too: it would reach a Korean reader untranslated.
"""
from __future__ import annotations

import ast
import re
import string
import tomllib
import unicodedata
from pathlib import Path

import pytest

from grader import i18n
from grader.manifest import CHECKS, ROOT, VISIBLE

from conftest import EXERCISES, grade, patch, reference_copy, stub_copy

GRADER = ROOT / "grader"
KO = i18n.LOCALE / "ko"
# Modules whose strings a learner reads (the course and contributor tools are English).
ENGINE = ["cli", "compare", "course", "gradcheck", "i18n", "manifest", "maps", "pictures",
          "plugin", "progress", "report", "watch", "worker"]
UNITS = [ex.dir for ex in EXERCISES] + ["engine"]
HANGUL = re.compile(r"[\uac00-\ud7a3]")
# Words that only English prose has; code, names and numbers don't.
PROSE = re.compile(r"\b(the|is|are|was|of|to|and|not|your|you|must|should|with|instead|"
                   r"when|has|have|does|did|than|only|every|each|this|that|from|into|"
                   r"expected|got|wrong|check|checks|hint|make sure)\b", re.IGNORECASE)
# UTF-8 read as Latin-1 or cp1252 ("ì•ˆ" for "안"), or bytes that did not decode.
MOJIBAKE = re.compile(r"\ufffd|[\u00c0-\u00ff][\u0080-\u00bf\u2018-\u203a\u20ac]")


def _sources(unit: str) -> list[Path]:
    """The modules whose texts a unit's catalog holds: an exercise's check files and
    the helper modules (in grader/checks or grader/visible) they import."""
    if unit == "engine":
        return [GRADER / f"{name}.py" for name in ENGINE]
    files = [p for p in (VISIBLE / f"test_{unit}.py", CHECKS / f"test_{unit}.py") if p.is_file()]
    helpers = re.findall(r"^from grader\.(checks|visible)\.(\w+) import", "".join(
        p.read_text(encoding="utf-8") for p in files), re.MULTILINE)
    return files + [GRADER / folder / f"{name}.py" for folder, name in sorted(set(helpers))]


def _is_docstring(node: ast.AST, parents: dict) -> bool:
    parent = parents.get(node)
    holder = parents.get(parent)
    return (isinstance(parent, ast.Expr) and isinstance(holder, (ast.Module, ast.FunctionDef,
                                                                 ast.ClassDef))
            and holder.body and holder.body[0] is parent)


def _prose(text: str) -> bool:
    """Reads as English: a word only prose has, among three words or more. Code
    (in backticks, an import, a comment of generated code) is not prose."""
    if text.lstrip().startswith("#"):
        return False
    text = re.sub(r"`[^`]*`|from \S+ import \S+", "", text)
    return bool(PROSE.search(text)) and len(re.findall(r"[A-Za-z]{2,}", text)) >= 3


# Calls whose strings are for the grader's maintainers, not the learner.
EXEMPT = {"GraderError", "RuntimeError", "ValueError", "addoption", "addinivalue_line",
          "dedent"}  # the last: code that the grader writes (a course's configuration)


def extract(path: Path) -> tuple[set[str], list[str]]:
    """(texts to translate, problems) of one module."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    parents = {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}
    texts, problems, marked = set(), [], set()
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        name = getattr(node.func, "id", getattr(node.func, "attr", ""))
        args = []
        if name in ("tr", "N_"):
            args = node.args[:1]
            if args and isinstance(args[0], ast.JoinedStr):
                problems.append(f"{path.name}:{node.lineno}: tr() of an f-string: write a "
                                "template, tr('... {name} ...').format(name=...)")
        elif name == "check" and isinstance(node.func, ast.Name):
            args = node.args[:1] + [k.value for k in node.keywords if k.arg == "hint"]
        elif name in EXEMPT or ast.unparse(node.func) == "pytest.fail":
            marked.update(ast.walk(node))
        for arg in args:
            marked.update(ast.walk(arg))
            if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                texts.add(arg.value)
            elif name == "check" and isinstance(node.func, ast.Name):
                problems.append(f"{path.name}:{node.lineno}: a check's title and hint must be "
                                "literal strings, to be found for translation")
    for node in ast.walk(tree):
        if node in marked or _is_docstring(node, parents):
            continue
        if isinstance(node, ast.JoinedStr):
            text = "".join(v.value if isinstance(v, ast.Constant) else "{}"
                           for v in node.values)
        elif (isinstance(node, ast.Constant) and isinstance(node.value, str)
              and not isinstance(parents.get(node), ast.JoinedStr)):
            text = node.value
        else:
            continue
        if _prose(text):
            problems.append(f"{path.name}:{node.lineno}: English text outside tr(): "
                            f"{text[:60]!r}")
    return texts, problems


def unit_texts(unit: str) -> tuple[set[str], list[str]]:
    texts, problems = set(), []
    for path in _sources(unit):
        found, wrong = extract(path)
        texts |= found
        problems += wrong
    if unit != "engine":
        ex = next(e for e in EXERCISES if e.dir == unit)
        texts |= {ex.title, *ex.hints}
    return texts, problems


def unit_catalog(unit: str) -> list[dict]:
    path = KO / f"{unit}.toml"
    assert path.is_file(), f"no Korean catalog {path.relative_to(ROOT)}"
    return tomllib.loads(path.read_text(encoding="utf-8")).get("message", [])


def _fields(template: str) -> list[str]:
    try:
        return sorted(name for _, name, _, _ in string.Formatter().parse(template)
                      if name is not None)
    except ValueError:
        return ["<not a template>"]


GLOSSARY = tomllib.loads((KO / "glossary.toml").read_text(encoding="utf-8"))["term"]


@pytest.mark.parametrize("unit", UNITS)
def test_every_text_has_korean(unit):
    texts, problems = unit_texts(unit)
    assert not problems, "\n".join(problems)
    entries = unit_catalog(unit)
    known = {e["en"] for e in entries}
    missing = sorted(texts - known)
    stale = sorted(known - texts)
    assert not missing, f"{len(missing)} texts have no Korean in {unit}.toml:\n" + \
        "\n".join(missing[:20])
    assert not stale, f"{unit}.toml translates texts the code no longer has:\n" + \
        "\n".join(stale[:20])
    assert len(known) == len(entries), f"{unit}.toml has an English text twice"


def test_a_text_in_several_catalogs_has_one_korean():
    """The catalogs are merged: the same English must not mean two things."""
    seen: dict[str, tuple[str, str]] = {}
    for unit in UNITS:
        for entry in unit_catalog(unit):
            first = seen.setdefault(entry["en"], (unit, entry["ko"]))
            assert first[1] == entry["ko"], \
                f"{entry['en']!r}: {first[0]} says {first[1]!r}, {unit} says {entry['ko']!r}"


@pytest.mark.parametrize("unit", UNITS)
def test_korean_is_clean_and_keeps_the_templates(unit):
    for entry in unit_catalog(unit):
        en, ko = entry["en"], entry["ko"]
        assert HANGUL.search(ko) or not _prose(en), f"not Korean: {ko!r}"
        assert not MOJIBAKE.search(ko), f"mojibake in {ko!r}"
        assert unicodedata.normalize("NFC", ko) == ko, f"not NFC: {ko!r}"
        assert _fields(ko) == _fields(en), f"placeholders differ:\n{en!r}\n{ko!r}"
        prose = re.sub(r"`[^`]*`|\S*[._(={\[]\S*", "", en)  # names in code keep their English
        for term in GLOSSARY:
            if re.search(term["en"], prose, re.IGNORECASE):
                assert any(word in ko for word in term["ko"]), \
                    f"{term['en']!r} is {' or '.join(term['ko'])} in Korean:\n{en}\n{ko}"


@pytest.mark.parametrize("ex", EXERCISES, ids=lambda e: e.dir)
def test_readme_has_a_korean_twin(ex):
    english = (ROOT / "exercises" / ex.dir / "README.md").read_text(encoding="utf-8")
    path = ROOT / "exercises" / ex.dir / "README.ko.md"
    assert path.is_file(), f"no {path.relative_to(ROOT)}"
    korean = path.read_text(encoding="utf-8")
    assert len(HANGUL.findall(korean)) > 200
    assert not MOJIBAKE.search(korean)
    code = re.compile(r"```(\w*)\n(.*?)```", re.DOTALL)
    # Code is the same in both; diagrams may translate their labels.
    assert [c for lang, c in code.findall(korean) if lang != "mermaid"] == \
        [c for lang, c in code.findall(english) if lang != "mermaid"]
    assert len(re.findall(r"```mermaid", korean)) == len(re.findall(r"```mermaid", english))
    assert re.findall(r"\$\$.*?\$\$", korean, re.DOTALL) == \
        re.findall(r"\$\$.*?\$\$", english, re.DOTALL)
    assert "README.md" in korean and "README.ko.md" in english, "link the two"
    headings = re.compile(r"^## ", re.MULTILINE)
    assert len(headings.findall(korean)) == len(headings.findall(english)), "the same sections"


def _english_lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if _prose(line) and not HANGUL.search(line)]


@pytest.mark.parametrize("ex", EXERCISES, ids=lambda e: e.dir)
def test_korean_report_renders(ex, tmp_path):
    """The stub and the first bug of the zoo, graded in Korean: every line of
    prose is Korean."""
    stub = stub_copy(tmp_path / "stub") / ex.dir
    graded = grade(stub, ex.id, lang="ko")
    assert HANGUL.search(graded.stdout)
    assert not _english_lines(graded.stdout), graded.stdout
    bug = tomllib.loads((ROOT / "tests" / "bugzoo" / f"{ex.dir}.toml").read_text())["bug"][0]
    folder = reference_copy(ex, tmp_path / "bug")
    patch(folder / bug.get("file", ex.files[0]), bug["replace"], bug["with"])
    graded = grade(folder, ex.id, lang="ko")
    for name in bug["caught_by"]:
        output = graded.checks[name]["output"]
        assert HANGUL.search(output) and not _english_lines(output), output


def test_the_language_comes_from_grader_lang_then_the_locale(monkeypatch):
    for name in ("GRADER_LANG", "LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(name, raising=False)
    assert i18n.language() == "en"
    monkeypatch.setenv("LANG", "ko_KR.UTF-8")
    assert i18n.language() == "ko" and i18n.tr("passing") == "통과"
    monkeypatch.setenv("LC_ALL", "C.UTF-8")  # LC_ALL wins over LANG, as in C
    assert i18n.language() == "en" and i18n.tr("passing") == "passing"
    monkeypatch.setenv("GRADER_LANG", "ko")
    assert i18n.language() == "ko"
    assert i18n.tr("no such text in any catalog") == "no such text in any catalog"


def _grader(*args: str, tmp_path: Path, **env: str) -> str:
    import os
    import subprocess
    import sys

    env = {**{k: v for k, v in os.environ.items() if k not in ("GRADER_LANG", "LC_ALL")},
           "GRADER_HOME": str(tmp_path), **env}
    return subprocess.run([sys.executable, "-m", "grader", *args], capture_output=True,
                          text=True, cwd=ROOT, env=env, timeout=60).stdout


def test_lang_on_the_command_line_wins_over_the_locale(tmp_path):
    korean = _grader("hint", "01", tmp_path=tmp_path, LANG="ko_KR.UTF-8")
    english = _grader("hint", "01", "--lang", "en", tmp_path=tmp_path, LANG="ko_KR.UTF-8")
    assert "수치 미분: 힌트 4개 중" in korean and "Numerical derivative: hint" in english
    assert not HANGUL.search(english)
    assert "연습 문제를 검사하고" in _grader("--lang", "ko", "--help", tmp_path=tmp_path)
    assert "결과를 JSON으로도 씁니다" in _grader("check", "--help", "--lang=ko", tmp_path=tmp_path)


def test_the_top_readme_has_a_korean_twin():
    english = (ROOT / "README.md").read_text(encoding="utf-8")
    korean = (ROOT / "README.ko.md").read_text(encoding="utf-8")
    assert "(README.ko.md)" in english and "(README.md)" in korean
    assert len(HANGUL.findall(korean)) > 1000 and not MOJIBAKE.search(korean)
    bash = re.compile(r"```bash\n(.*?)```", re.DOTALL)
    assert bash.findall(korean) == bash.findall(english)
    for link in re.findall(r"\]\(([^)#]+)", korean):
        if not link.startswith("http"):
            assert (ROOT / link).exists(), link
