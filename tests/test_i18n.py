"""Every user-visible string is translated: the catalogues are complete and templates use tags."""

import ast
import gettext
import re
from pathlib import Path
from typing import NamedTuple

import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
TEMPLATE_DIRS = [ROOT / "templates"]
# English is the source language (the msgids); Simplified Chinese is the catalogue to complete.
CATALOGUES = sorted((ROOT / "locale").glob("zh_Hans/LC_MESSAGES/*.po"))

# Blocks whose text is translated as a whole, or is not text a person reads.
SKIPPED_BLOCKS = [
    re.compile(r"{%\s*blocktrans(?:late)?\b.*?{%\s*endblocktrans(?:late)?\s*%}", re.S),
    re.compile(r"{%\s*comment\s*%}.*?{%\s*endcomment\s*%}", re.S),
    re.compile(r"<script\b.*?</script>", re.S | re.I),
    re.compile(r"<style\b.*?</style>", re.S | re.I),
    re.compile(r"<!--.*?-->", re.S),
    re.compile(r"{#.*?#}", re.S),
    # The admin's <body> classes (app-…, model-…) are names for CSS, not words.
    re.compile(r"{%\s*block bodyclass\s*%}.*?{%\s*endblock(?: bodyclass)?\s*%}", re.S),
]
TAGS = [re.compile(r"{%.*?%}", re.S), re.compile(r"{{.*?}}", re.S)]
VISIBLE_ATTRIBUTES = re.compile(
    r"""\s(?:title|placeholder|aria-label|alt)\s*=\s*(["'])(.*?)\1""", re.S | re.I
)
# A button's label is its value attribute: <input type="submit" value="Save">.
BUTTON_VALUE = re.compile(
    r"""<input\b(?=[^>]*\stype\s*=\s*["']?(?:submit|button|reset)\b)[^>]*?\svalue\s*=\s*(["'])(.*?)\1""",
    re.S | re.I,
)
HTML_TAG = re.compile(r"<[^>]*>", re.S)
ENTITY = re.compile(r"&[a-zA-Z#0-9]+;")
LETTER = re.compile(r"[A-Za-z\u4e00-\u9fff]{2,}")


def untranslated_text(source: str) -> list[str]:
    """Return the pieces of a template that a person reads and no translation tag covers."""
    for pattern in SKIPPED_BLOCKS:
        source = pattern.sub(" ", source)
    # Template tags go first, so that quotes inside them (title="{% translate "x" %}") do not
    # end an attribute early.
    source = _strip_tags(source)
    attributes = VISIBLE_ATTRIBUTES.findall(source) + BUTTON_VALUE.findall(source)
    findings = [value for _quote, value in attributes if LETTER.search(value)]
    text = HTML_TAG.sub(" ", source)
    findings.extend(chunk.strip() for chunk in text.split("\n") if LETTER.search(chunk))
    return findings


def _strip_tags(text: str) -> str:
    for pattern in TAGS:
        text = pattern.sub(" ", text)
    return ENTITY.sub(" ", text)


def templates():
    for directory in TEMPLATE_DIRS:
        yield from sorted(p for p in directory.rglob("*") if p.suffix in {".html", ".txt"})


def test_the_scanner_finds_bare_text_and_accepts_translated_text():
    assert untranslated_text("<p>Overdue</p>") == ["Overdue"]
    assert untranslated_text('<a title="Open task">{% translate "x" %}</a>') == ["Open task"]
    assert untranslated_text('<p>{% translate "Overdue" %} {{ task.title }}</p>') == []
    assert untranslated_text("{% blocktranslate %}Due {{ d }}{% endblocktranslate %}") == []
    assert untranslated_text('<input type="submit" value="Save">') == ["Save"]
    assert untranslated_text('<input type="hidden" name="next" value="next">') == []
    assert untranslated_text('<input type="submit" value="{% translate "Save" %}">') == []
    assert untranslated_text("{% block bodyclass %}app-x change-form{% endblock %}") == []


@pytest.mark.parametrize("path", list(templates()), ids=lambda p: str(p.relative_to(ROOT)))
def test_templates_show_no_text_outside_translation_tags(path):
    assert untranslated_text(path.read_text(encoding="utf-8")) == []


class Entry(NamedTuple):
    context: str | None
    msgid: str
    msgid_plural: str | None
    strings: list[str]
    fuzzy: bool


def parse_po(path: Path):
    """Yield each entry of a .po file (contextual and plural ones too), header excluded."""
    entries = path.read_text(encoding="utf-8").split("\n\n")
    for entry in entries:
        lines = [line for line in entry.strip().splitlines() if not line.startswith("#~")]
        if not lines:
            continue
        fuzzy = any(line.startswith("#,") and "fuzzy" in line for line in lines)
        fields: dict[str, str] = {}
        current = None
        for line in lines:
            match = re.match(r'^(msgid|msgid_plural|msgstr(?:\[\d+\])?|msgctxt) "(.*)"$', line)
            if match:
                current = match.group(1)
                fields[current] = match.group(2)
            elif line.startswith('"') and current:
                fields[current] += line[1:-1]
        if "msgid" not in fields or fields["msgid"] == "":
            continue
        strings = [value for key, value in fields.items() if key.startswith("msgstr")]
        yield Entry(
            fields.get("msgctxt"), fields["msgid"], fields.get("msgid_plural"), strings, fuzzy
        )


def test_the_po_parser_reads_contextual_and_plural_entries(tmp_path):
    po = tmp_path / "django.po"
    po.write_text(
        'msgid ""\nmsgstr ""\n"Language: zh_Hans\\n"\n\n'
        'msgctxt "verb"\nmsgid "Return"\nmsgstr ""\n\n'
        '#, fuzzy\nmsgid "Due"\nmsgstr "到期"\n\n'
        'msgid "%(n)s task"\nmsgid_plural "%(n)s tasks"\nmsgstr[0] "%(n)s项任务"\n',
        encoding="utf-8",
    )
    entries = list(parse_po(po))
    assert entries == [
        Entry("verb", "Return", None, [""], False),
        Entry(None, "Due", None, ["到期"], True),
        Entry(None, "%(n)s task", "%(n)s tasks", ["%(n)s项任务"], False),
    ]


def test_there_is_a_simplified_chinese_catalogue():
    assert "django.po" in [path.name for path in CATALOGUES]


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_message_is_translated_and_none_is_fuzzy(path):
    problems = [
        (entry.context, entry.msgid)
        for entry in parse_po(path)
        if entry.fuzzy or not entry.strings or any(not s for s in entry.strings)
    ]
    assert problems == []


def _unescape(text: str) -> str:
    return ast.literal_eval(f'"{text}"')


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda p: str(p.relative_to(ROOT)))
def test_the_compiled_catalogue_matches_its_source(path):
    mo = path.with_suffix(".mo")
    assert mo.exists(), f"{mo} is missing: run make messages"
    with mo.open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    stale = [
        (entry.context, entry.msgid)
        for entry in parse_po(path)
        if _compiled(compiled, entry) != _unescape(entry.strings[0])
    ]
    assert stale == [], "run make messages to compile the catalogue"


def _compiled(compiled: gettext.GNUTranslations, entry: Entry) -> str:
    """What the .mo file says for an entry (the first plural form for a plural entry)."""
    msgid = _unescape(entry.msgid)
    if entry.msgid_plural is not None:
        plural = _unescape(entry.msgid_plural)
        if entry.context is not None:
            return compiled.npgettext(_unescape(entry.context), msgid, plural, 1)
        return compiled.ngettext(msgid, plural, 1)
    if entry.context is not None:
        return compiled.pgettext(_unescape(entry.context), msgid)
    return compiled.gettext(msgid)
