"""MkDocs hooks (``hooks:`` in ``mkdocs.yml``): the data file and the quizzes, into the site.

- ``on_config``: load and validate ``docs/data/portal.yml`` (or ``PORTAL_DATA``) and every quiz
  file; a malformed file stops the build with a message naming the field or the question.
- ``on_files``: add the reception calendar ``lich-tiep-cong-dan.ics`` to the site as a generated
  file, so pages link to it like to any other file and MkDocs checks those links.
- ``on_page_markdown``: replace the block markers ``<!-- portal: NAME -->`` (``PORTAL_BLOCKS``)
  and ``<!-- quiz: SLUG -->``, and the inline marker ``<!-- portal: amended -->`` (the short note
  after a citation of the Law on Denunciation or the Law on Citizen Reception). A page that cites
  them gets the note on the amended laws once: where ``<!-- portal: law-note -->`` stands, or at
  its end.
- ``on_page_content``: put each table in a region that scrolls and takes keyboard focus
  (``portal_site.tables``).
- ``on_env``: give the templates the footer (``portal_footer(lang)``).
- ``on_post_build``: split the merged search index into one per language (see
  ``portal_site.search_index``).

mkdocs-static-i18n builds the site once per language, calling every hook again; the page's own
language (``page.file.locale``) decides what a marker renders.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable
from pathlib import Path

# MkDocs imports this file by its path; make the package importable when it is not installed.
_ROOT = Path(__file__).resolve().parent.parent
if str(_ROOT) not in sys.path:
    sys.path.insert(0, str(_ROOT))

from mkdocs.config.defaults import MkDocsConfig  # noqa: E402
from mkdocs.exceptions import PluginError  # noqa: E402
from mkdocs.plugins import event_priority  # noqa: E402
from mkdocs.structure.files import File, Files  # noqa: E402
from mkdocs.structure.pages import Page  # noqa: E402
from mkdocs.utils import get_build_datetime  # noqa: E402

from portal_site import data as data_module  # noqa: E402
from portal_site import ics, quiz, render, report_form, search_index, tables  # noqa: E402
from portal_site.texts import DEFAULT_LANGUAGE, LANGUAGES  # noqa: E402
from portal_site.workers import material_search_worker  # noqa: E402

LAW_NOTE_SLOT = "<!-- portal-law-note-here -->"
# An article of the Law on Denunciation or on Citizen Reception cited in its 2018/2013 text.
OLD_TEXT = re.compile(
    r"25/2018/QH14|42/2013/QH13|Luật Tố cáo năm 2018|văn bản năm 2018 của Luật|2018 text of the Law"
    r"|2018 Law on Denunciation|Law on Denunciation \(2018|136/2025/QH15"
)
MARKER = re.compile(r"^(?P<indent>[ \t]*)<!--\s*(?P<kind>portal|quiz):\s*(?P<name>[A-Za-z0-9_-]+)\s*-->[ \t]*$", re.M)

# What each ``<!-- portal: NAME -->`` marker becomes: a function of the data, the page's language
# and the page's source path (for relative links), returning Markdown. Add a block here.
PORTAL_BLOCKS: dict[str, Callable[[data_module.PortalData, str, str], str]] = {
    "contacts": render.contacts_md,
    "contacts-summary": render.contacts_summary_md,
    "keys": lambda data, lang, src: render.keys_md(data, lang),
    "report-form": lambda data, lang, src: report_form.report_form(
        lang, data.api_url, [k.recipient for k in data.keys or ()], "../bao-mat/"
    ),
    "check-form": lambda data, lang, src: report_form.check_form(
        lang, data.api_url, [k.recipient for k in data.keys or ()]
    ),
    "setup-notice": render.setup_notice_md,
    "setup-notice-poster": render.poster_setup_notice_md,
    "procedure-status": render.procedure_status_md,
    "procedure-line": render.procedure_line_md,
    "terms": render.terms_md,
    "statuses": render.statuses_md,
    "timing": render.timing_md,
    "escalation": render.escalation_md,
    "formal-channels": render.formal_channels_md,
    "channels-poster": lambda data, lang, src: render.channels_poster_md(data, lang, src, _state.site_url),
    "law-note": lambda data, lang, src: LAW_NOTE_SLOT,
}


class _State:
    data: data_module.PortalData | None = None
    quiz_dir: Path = Path()
    site_url: str | None = None  # PORTAL_SITE_URL: printed pages write the site's full address


_state = _State()


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    docs = Path(config.docs_dir)
    try:
        _state.data = data_module.load_for_build(default=docs / "data" / "portal.yml")
    except data_module.DataError as exc:
        raise PluginError(str(exc)) from None
    _state.quiz_dir = docs / "data" / "quizzes"
    _state.site_url = config.site_url or None
    for slug, lang in quiz.all_quiz_files(_state.quiz_dir):
        if lang not in LANGUAGES:
            raise PluginError(f"{quiz.quiz_path(_state.quiz_dir, slug, lang)}: the language must be one of {LANGUAGES}")
        try:
            quiz.load_quiz(_state.quiz_dir, slug, lang)
        except quiz.QuizError as exc:
            raise PluginError(str(exc)) from None
    # For templates (the report form reads the keys and the API from here).
    data = _state.data
    config.extra["portal"] = {
        "api_url": data.api_url,
        "recipients": [k.recipient for k in data.keys or ()],
        "search_worker": material_search_worker(),
        "default_language": DEFAULT_LANGUAGE,
    }
    return config


@event_priority(-110)  # after mkdocs-static-i18n (-100) has chosen this language's files
def on_files(files: Files, config: MkDocsConfig) -> Files:
    assert _state.data is not None
    # Stamped with the build's time: the commit's under scripts/build-site.sh (SOURCE_DATE_EPOCH).
    files.append(
        File.generated(config, ics.FILE_NAME, content=ics.calendar_bytes(_state.data, now=get_build_datetime()))
    )
    # One 404.html serves every address, and it is written at the site's root: let the
    # Vietnamese build write it, not the English one that runs after it and would overwrite it.
    i18n = config.plugins.get("i18n")
    if (getattr(i18n, "current_language", None) or DEFAULT_LANGUAGE) == DEFAULT_LANGUAGE:
        config.theme.static_templates.add("404.html")
    else:
        config.theme.static_templates.discard("404.html")
    return files


def _page_language(page: Page, config: MkDocsConfig) -> str:
    lang = getattr(page.file, "locale", None) or config.theme.get("language") or DEFAULT_LANGUAGE
    return lang if lang in LANGUAGES else DEFAULT_LANGUAGE


def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    data = _state.data
    assert data is not None
    lang = _page_language(page, config)
    src = page.file.src_uri

    def replace(match: re.Match[str]) -> str:
        kind, name = match["kind"], match["name"]
        if kind == "quiz":
            try:
                block = render.quiz_md(quiz.load_quiz(_state.quiz_dir, name, lang), lang)
            except quiz.QuizError as exc:
                raise PluginError(f"{src}: {exc}") from None
            page.meta["portal_quiz"] = True
        elif name in PORTAL_BLOCKS:
            block = PORTAL_BLOCKS[name](data, lang, src)
        else:
            raise PluginError(f"{src}: unknown marker <!-- portal: {name} -->; known: {', '.join(PORTAL_BLOCKS)}")
        indent = match["indent"]
        # Blank lines around the block: Markdown needs them before and after an HTML block.
        return "\n" + "\n".join(indent + line if line else line for line in block.splitlines()) + "\n"

    markdown = render.AMENDED_MARKER.sub(lambda _: render.amended_md(lang), markdown)
    markdown = MARKER.sub(replace, markdown)
    # The note every amendment note links to: once, where the page placed it or else at its end; also
    # on a page that cites an article of the 2018/2013 texts without naming the law's amendment.
    cites_old_text = render.AMENDED_CLASS in markdown or OLD_TEXT.search(markdown)
    note = render.law_note_md(lang) if cites_old_text else ""
    if LAW_NOTE_SLOT in markdown:
        return markdown.replace(LAW_NOTE_SLOT, note, 1).replace(LAW_NOTE_SLOT, "")
    return markdown + ("\n\n" + note + "\n" if note else "")


def on_page_content(html: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    return tables.wrap_tables(html, _page_language(page, config), page.title or "")


def on_env(env, config: MkDocsConfig, files: Files):
    data = _state.data
    assert data is not None
    env.globals["portal_footer"] = lambda lang: render.footer(data, lang if lang in LANGUAGES else DEFAULT_LANGUAGE)
    return env


@event_priority(-120)  # after mkdocs-static-i18n (-100) has built every language and merged the index
def on_post_build(config: MkDocsConfig) -> None:
    i18n = config.plugins.get("i18n")
    if getattr(i18n, "building", False):
        return  # one language's build, run from inside mkdocs-static-i18n; the merged index comes later
    others = [lang for lang in LANGUAGES if lang != DEFAULT_LANGUAGE]
    search_index.split_by_language(Path(config.site_dir), DEFAULT_LANGUAGE, others)
