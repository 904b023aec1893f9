"""What the data file and the quizzes look like inside a page.

Blocks that belong in the table of contents or hold links to other pages are produced as
Markdown, so that MkDocs checks their links and builds their headings like any other; the quiz
is an HTML block because it needs structure Markdown does not have. Every value from the data
file is escaped for the context it lands in: nothing the Office types can become markup.

A value still unknown renders as ``<span class="portal-pending">đang cập nhật</span>``, never as
an empty space and never as a link.

Every citation of the Law on Denunciation or the Law on Citizen Reception carries the short note
``amended_md`` (written ``<!-- portal: amended -->`` in a page or a quiz), which links to the page's
``law_note_md``: the 2018/2013 texts were amended by Luật 136/2025/QH15 from 01/7/2026.
"""

from __future__ import annotations

import html
import posixpath
import re
from dataclasses import dataclass

from intake_function import envelope, report

from .data import Localized, PortalData
from .ics import FILE_NAME as ICS_FILE
from .quiz import Quiz
from .schedule import describe_times
from .texts import capitalize_first, format_date, label

# Pages the blocks link to, by their source path (MkDocs resolves these per language).
CONTACTS_PAGE = "lien-he/index.md"
ONLINE_PAGE = "gui-phan-anh/index.md"
FOLLOW_UP_PAGE = "tra-cuu/index.md"
CONFIDENTIALITY_PAGE = "bao-mat/index.md"
PRIVACY_PAGE = "chinh-sach-rieng-tu.md"
ACCESSIBILITY_PAGE = "kha-nang-tiep-can.md"
FORMAL_PAGE = "to-cao/index.md"
AFTER_PAGE = "sau-khi-gui/index.md"

# The anchor of the page note on the amended laws, and the class of every short note linking to it.
LAW_NOTE_ID = "luat-sua-doi"
AMENDED_CLASS = "portal-amended"
AMENDED_MARKER = re.compile(r"<!--\s*portal:\s*amended\s*-->")

_MD_ESCAPE = re.compile(r"([\\`*_{}\[\]()#+\-.!|>])")
_LETTERS = "ABCDEF"


def md_text(text: str) -> str:
    """Plain text that Markdown shows as typed (no emphasis, links or HTML out of it)."""
    return _MD_ESCAPE.sub(r"\\\1", html.escape(text, quote=False))


def pending(lang: str) -> str:
    return f'<span class="portal-pending">{label(lang, "pending")}</span>'


def md_vietnamese(value: str | None, lang: str) -> str:
    """A value that exists only in Vietnamese (an address): marked as such on other pages."""
    if not value:
        return pending(lang)
    return md_text(value) if lang == "vi" else f'<span lang="vi">{md_text(value)}</span>'


def md_localized(value: Localized, lang: str) -> str:
    """A localized value; Vietnamese text on an English page is marked as such for screen readers."""
    text, text_lang = value.pick(lang)
    if not text:
        return pending(lang)
    if text_lang != lang:
        return f'<span lang="{text_lang}">{md_text(text)}</span>'
    return md_text(text)


def relative_link(from_src: str, to_src: str) -> str:
    """A Markdown link target from one source file to another, as MkDocs expects it."""
    return posixpath.relpath(to_src, posixpath.dirname(from_src) or ".")


def hotline_md(data: PortalData, lang: str) -> str:
    if not data.hotline:
        return pending(lang)
    return f"[{md_text(data.hotline)}]({data.hotline_href})"


def email_md(data: PortalData, lang: str) -> str:
    if not data.email:
        return pending(lang)
    return f"[{md_text(data.email)}](mailto:{data.email})"


def reception_day_md(data: PortalData, lang: str) -> str:
    rule = data.reception.day_rule
    return md_text(capitalize_first(rule.describe(lang))) if rule else pending(lang)


def reception_time_md(data: PortalData, lang: str) -> str:
    r = data.reception
    if r.start and r.end:
        return md_text(capitalize_first(describe_times(lang, r.start, r.end)))
    return pending(lang)


def updated_md(data: PortalData, lang: str) -> str:
    return md_text(format_date(lang, data.updated)) if data.updated else pending(lang)


def contacts_md(data: PortalData, lang: str, page_src: str) -> str:
    """The body of the contacts page ("Công khai thông tin tiếp nhận"), from the data file."""
    r = data.reception
    t = lambda key: label(lang, key)  # noqa: E731 - a local shorthand keeps the layout readable
    link = lambda target: relative_link(page_src, target)  # noqa: E731
    updated_label = t("updated" if data.updated else "updated_unknown")
    lines = []
    if any(name != "keys" for name in data.setup_gaps):
        lines += [f'<p class="portal-pending-note">{html.escape(t("pending_note"))}</p>', ""]
    lines += [
        f"## {t('hotline')} {{#duong-day-nong}}", "",
        hotline_md(data, lang), "",
        f"## {t('email')} {{#thu-dien-tu}}", "",
        email_md(data, lang), "",
        f"## {t('mailbox')} {{#hom-thu-gop-y}}", "",
        md_localized(data.mailbox_location, lang), "",
        f"## {t('postal_address')} {{#van-ban-don-thu}}", "",
        md_vietnamese(data.postal_address, lang), "",
        f"## {t('reception')} {{#tiep-cong-dan}}", "",
        f"- **{t('reception_day')}:** {reception_day_md(data, lang)}",
        f"- **{t('reception_time')}:** {reception_time_md(data, lang)}",
        f"- **{t('reception_place')}:** {md_localized(r.place, lang)}",
        f"- **{t('reception_registration')}:** {md_localized(r.registration, lang)}",
    ]  # fmt: skip
    if r.note.vi or r.note.en:
        lines.append(f"- **{t('reception_note')}:** {md_localized(r.note, lang)}")
    lines += ["", f"[{t('ics_link')}]({relative_link(page_src, ICS_FILE)}){{ .portal-ics }}", ""]
    if not r.is_complete:
        lines += [md_text(t("ics_pending")), ""]
    lines += [
        f"## {t('online_reception')} {{#tiep-cong-dan-truc-tuyen}}", "",
        t("online_reception_lead_md").format(amended=amended_md(lang)), "",
        *online_reception_lines(data, lang), "",
        f"## {t('escalation')} {{#gui-truong-ban}}", "",
        escalation_md(data, lang, page_src), "",
        f"## {t('address_heading')} {{#tru-so}}", "",
        f"- **{t('address')}:** {md_vietnamese(data.address, lang)}",
        f"- **{t('office_hours')}:** {md_localized(data.office_hours, lang)}", "",
        f"## {t('online')} {{#truc-tuyen}}", "",
        md_text(t("online_text")), "",
        f"- [{t('online_link')}]({link(ONLINE_PAGE)})",
        f"- [{t('follow_up_link')}]({link(FOLLOW_UP_PAGE)})",
        f"- [{t('confidentiality_link')}]({link(CONFIDENTIALITY_PAGE)})", "",
        f'<p class="portal-updated">{updated_label} {updated_md(data, lang)}.</p>', "",
    ]  # fmt: skip
    return "\n".join(lines)


def contacts_summary_md(data: PortalData, lang: str, page_src: str) -> str:
    """A short block for any page: hotline, e-mail, mailbox, reception, and the full contacts page."""
    t = lambda key: label(lang, key)  # noqa: E731
    r = data.reception
    when = reception_day_md(data, lang)
    if r.day_rule and r.start and r.end:
        when += ", " + md_text(describe_times(lang, r.start, r.end))
    lines = [
        '<div class="portal-summary" markdown>', "",
        f"- **{t('hotline')}:** {hotline_md(data, lang)}",
        f"- **{t('email')}:** {email_md(data, lang)}",
        f"- **{t('mailbox')}:** {md_localized(data.mailbox_location, lang)}",
        f"- **{t('reception_short')}:** {when}",
        f"- **{t('online_reception')}:** {md_localized(data.online_reception.how, lang)}", "",
        f"[{t('contacts_link')}]({relative_link(page_src, CONTACTS_PAGE)})", "",
        "</div>",
    ]  # fmt: skip
    return "\n".join(lines)


def online_reception_lines(data: PortalData, lang: str) -> list[str]:
    online = data.online_reception
    lines = [f"- **{label(lang, 'online_reception_how')}:** {md_localized(online.how, lang)}"]
    if online.url:
        lines.append(f"- **{label(lang, 'online_reception_url')}:** [{md_text(online.url)}]({online.url})")
    return lines


def channels_poster_md(data: PortalData, lang: str, page_src: str, site_url: str | None) -> str:
    """The channels in one list for the printed poster: the same data file as the contacts page.

    On paper a link is only its text, so the online form is written as its full address when the
    build knows the site's address (PORTAL_SITE_URL), and as a placeholder otherwise.
    """
    t = lambda key: label(lang, key)  # noqa: E731
    prefix = "" if lang == "vi" else "en/"
    online = f"{site_url.rstrip('/')}/{prefix}{ONLINE_PAGE.removesuffix('index.md')}" if site_url else None
    online_md = f"[{md_text(online)}]({online})" if online else pending(lang)
    return "\n".join(
        [
            f"- **{t('hotline')}:** {hotline_md(data, lang)}",
            f"- **{t('email')}:** {email_md(data, lang)}",
            f"- **{t('mailbox')}:** {md_localized(data.mailbox_location, lang)}",
            f"- **{t('postal_address')}:** {md_vietnamese(data.postal_address, lang)}",
            f"- **{t('reception')}:** {poster_reception_md(data, lang)}",
            f"- **{t('online_reception')}:** {md_localized(data.online_reception.how, lang)}",
            f"- **{t('online_link')}:** {online_md}",
            "",
            poster_escalation_md(data, lang),
        ]
    )


def poster_escalation_md(data: PortalData, lang: str) -> str:
    """The route when the Office or the Head is involved, as one paragraph: the poster has one sheet."""
    t = lambda key: label(lang, key)  # noqa: E731
    superior = md_localized(data.escalation_superior, lang)  # on paper, "being updated" until it is known
    return (
        f"**{t('escalation')}:** {md_text(t('escalation_head'))}: {md_localized(data.escalation_head, lang)}. "
        f"{md_text(t('escalation_superior'))}: {superior}. {md_text(t('escalation_superior_not_head'))} "
        f"{md_text(t('escalation_not_online'))}"
    )


def poster_reception_md(data: PortalData, lang: str) -> str:
    """The reception schedule in one line: day, times and place, each only once it is known.

    Nothing known reads as one placeholder, not a row of them ("đang cập nhật, đang cập nhật; …").
    """
    r = data.reception
    parts = [reception_day_md(data, lang)] if r.day_rule else []
    if r.start and r.end:
        parts.append(md_text(describe_times(lang, r.start, r.end)))
    when = ", ".join(parts)
    if r.place.vi or r.place.en:
        where = f"{label(lang, 'reception_place').lower()}: {md_localized(r.place, lang)}"
        when = f"{when}; {where}" if when else where
    return capitalize_first(when) if when else pending(lang)


def escalation_md(data: PortalData, lang: str, page_src: str) -> str:
    """Where to write when the Office or the Head of the Board is involved (data: ``escalation``)."""
    t = lambda key: label(lang, key)  # noqa: E731
    superior = (
        md_localized(data.escalation_superior, lang)
        if data.escalation_superior.pick(lang)[0]
        else f'<span class="portal-pending">{md_text(t("escalation_superior_pending"))}</span>'
    )
    return "\n".join(
        [
            f"- **{t('escalation_head')}:** {md_localized(data.escalation_head, lang)}; "
            f"{md_text(t('escalation_head_reception'))}.",
            f"- **{t('escalation_superior')}:** {superior}. {md_text(t('escalation_superior_not_head'))}",
            "",
            md_text(t("escalation_not_online")),
        ]
    )


def amended_md(lang: str) -> str:
    """The short note after a citation of the 2018/2013 texts: a link to the page's law note."""
    return f'(<a class="{AMENDED_CLASS}" href="#{LAW_NOTE_ID}">{html.escape(label(lang, "amended"))}</a>)'


def with_amended_html(text: str, lang: str) -> str:
    """Escape ``text`` as HTML, turning each ``<!-- portal: amended -->`` in it into the note."""
    return amended_md(lang).join(html.escape(part) for part in AMENDED_MARKER.split(text))


def law_note_md(lang: str) -> str:
    """The page note every amendment note links to (added once to each page that cites the laws)."""
    return "\n".join(
        [
            f'<div class="admonition note portal-law-note" id="{LAW_NOTE_ID}" markdown>',
            f'<p class="admonition-title">{html.escape(label(lang, "law_note_title"))}</p>',
            "",
            label(lang, "law_note_md"),
            "",
            "</div>",
        ]
    )


def _admonition(kind: str, title: str, body_md: str, css: str, ident: str | None = None) -> str:
    """A Material admonition as HTML with Markdown inside, so it can carry an id and a class."""
    anchor = f' id="{ident}"' if ident else ""
    return "\n".join(
        [
            f'<div class="admonition {kind} {css}"{anchor} markdown>',
            f'<p class="admonition-title">{html.escape(title)}</p>',
            "",
            body_md,
            "",
            "</div>",
        ]
    )


def setup_notice_md(data: PortalData, lang: str, page_src: str) -> str:
    """The notice of the home and report pages while the key or contacts are placeholders; else nothing."""
    gaps = data.setup_gaps
    if not gaps:
        return ""
    t = lambda key: label(lang, key)  # noqa: E731
    items = []
    if "keys" in gaps:
        items.append(f"- {md_text(t('setup_keys'))}")
    channels = [t(f"channel_{name}") for name in gaps if name != "keys"]
    if channels:
        items.append(f"- {md_text(t('setup_channels'))} {md_text('; '.join(channels))}.")
    after = t("setup_after_md").format(contacts=relative_link(page_src, CONTACTS_PAGE))
    return _admonition("warning", t("setup_title"), "\n".join(items) + "\n\n" + after, "portal-setup-notice")


def poster_setup_notice_md(data: PortalData, lang: str, page_src: str) -> str:
    """The same notice on the printed poster, short: the poster's own list shows what is missing."""
    gaps = data.setup_gaps
    if not gaps:
        return ""
    t = lambda key: label(lang, key)  # noqa: E731
    items = [f"- {md_text(t('setup_keys'))}"] if "keys" in gaps else []
    if any(name != "keys" for name in gaps):
        items.append(f"- {md_text(t('setup_poster_channels'))}")
    return _admonition("warning", t("setup_title"), "\n".join(items), "portal-setup-notice")


def procedure_status_md(data: PortalData, lang: str, page_src: str) -> str:
    """Draft or approved: the confidentiality procedure and the routing guidance (data: ``procedure``)."""
    procedure = relative_link(page_src, CONFIDENTIALITY_PAGE)
    if data.procedure_is_draft:
        body = label(lang, "draft_md").format(procedure=procedure)
        return _admonition("warning", label(lang, "draft_title"), body, "portal-draft")
    effective = md_text(format_date(lang, data.procedure_effective)) if data.procedure_effective else pending(lang)
    body = label(lang, "approved_md").format(
        procedure=procedure, approval=md_vietnamese(data.procedure_approval, lang), effective=effective
    )
    return _admonition("note", label(lang, "approved_title"), body, "portal-approved")


def procedure_line_md(data: PortalData, lang: str, page_src: str) -> str:
    """The same state as ``procedure_status_md`` in one line, for the one-page handouts."""
    if data.procedure_is_draft:
        return f'<p class="portal-draft"><em>{html.escape(label(lang, "draft_line"))}</em></p>'
    approval = html.escape(data.procedure_approval or "")
    if lang != "vi":
        approval = f'<span lang="vi">{approval}</span>'
    line = html.escape(label(lang, "approved_line")).replace("{approval}", approval)
    return f'<p class="portal-approved"><em>{line}</em></p>'


def terms_md(data: PortalData, lang: str, page_src: str) -> str:
    """The short glossary of phản ánh / kiến nghị / tố cáo / tố giác / khiếu nại, collapsed."""
    link = lambda target: relative_link(page_src, target)  # noqa: E731
    body = label(lang, "terms_md").format(
        online=link(ONLINE_PAGE), formal=link(FORMAL_PAGE), contacts=link(CONTACTS_PAGE), amended=amended_md(lang)
    )
    return "\n".join(
        [
            '<details class="info portal-terms" markdown>',
            f"<summary>{html.escape(label(lang, 'terms_title'))}</summary>",
            "",
            body,
            "",
            "</details>",
        ]
    )


def statuses_md(data: PortalData, lang: str, page_src: str) -> str:
    """Each status a reporter can see, with the label the check page shows (from the reply schema).

    A status the schema adds without a meaning here stops the build: the page must explain it.
    """
    t = lambda key: label(lang, key)  # noqa: E731
    lines = [f"| {t('status_heading')} | {t('status_meaning')} |", "| --- | --- |"]
    for code, names in report.status_labels().items():
        try:
            meaning = t(f"status_{code}")
        except KeyError:
            raise KeyError(
                f"reply status {code!r} has no explanation in portal_site/texts.py: add status_{code}"
            ) from None
        lines.append(f"| **{md_text(names[lang])}** | {md_text(meaning)} |")
    return "\n".join([*lines, "", md_text(t("status_question"))])


def timing_md(data: PortalData, lang: str, page_src: str) -> str:
    """The timing the Board commits to for posting statuses (data: ``timing``)."""
    t = lambda key: label(lang, key)  # noqa: E731
    timing = data.timing
    lines = []
    for key, days in (
        ("acknowledge", timing.acknowledge_days),
        ("classify", timing.classify_days),
        ("update", timing.update_days),
    ):
        pending_html = f'<span class="portal-pending">{html.escape(t("timing_pending"))}</span>'
        value = md_text(t(f"timing_{key}_value").format(n=days)) if days else pending_html
        lines.append(f"- **{t(f'timing_{key}')}:** {value}")
    return "\n".join([*lines, "", md_text(t("timing_note"))])


def formal_channels_md(data: PortalData, lang: str, page_src: str) -> str:
    """Where a formal denunciation is sent or brought: the postal address, the head office, reception."""
    t = lambda key: label(lang, key)  # noqa: E731
    r = data.reception
    when = reception_day_md(data, lang)
    if r.day_rule and r.start and r.end:
        when += ", " + md_text(describe_times(lang, r.start, r.end))
    return "\n".join(
        [
            f"- **{t('formal_letter')}:** {md_vietnamese(data.postal_address, lang)}",
            f"- **{t('formal_in_person')}:** {md_vietnamese(data.address, lang)}"
            f" ({t('office_hours').lower()}: {md_localized(data.office_hours, lang)}), {t('formal_reception')}: {when}",
            "",
            f"[{t('contacts_link')}]({relative_link(page_src, CONTACTS_PAGE)})",
        ]
    )


def keys_md(data: PortalData, lang: str) -> str:
    """The Office's public key(s), each with the fingerprint computed from it."""
    if not data.keys:
        return f'<p class="portal-keys"><span class="portal-pending">{label(lang, "keys_pending")}</span></p>'
    # Out of the search index, which every page loads: a hybrid key is 1,959 characters of noise to it.
    lines = ['<div class="portal-keys" markdown data-search-exclude>', ""]
    for n, key in enumerate(data.keys):
        name = label(lang, "key_primary") if n == 0 else label(lang, "key_backup")
        if len(data.keys) == 1:
            name = label(lang, "key_label")
        lines += [
            f"**{name}:**", "",
            f"`{key.recipient}`{{ .portal-key }}", "",
            f"{label(lang, 'fingerprint')}: **`{key.fingerprint}`**", "",
            f"{label(lang, 'key_kind')}: {label(lang, 'key_kind_' + envelope.kind_of(key.recipient))}", "",
        ]  # fmt: skip
    lines.append("</div>")
    return "\n".join(lines)


def quiz_md(quiz: Quiz, lang: str) -> str:
    """A heading, then the quiz as HTML that reads as questions with answers without JavaScript.

    ``quiz.js`` turns each list of options into buttons and shows right/wrong at once; it reads
    its words from the ``data-*`` attributes, so the script itself has no language.
    """
    e = html.escape
    base = f"quiz-{quiz.slug}"
    out = [
        f"## {md_text(quiz.title)} {{#{base}}}",
        "",
        f'<section class="portal-quiz" id="{base}-body" data-portal-quiz aria-labelledby="{base}"'
        f' data-correct="{e(label(lang, "quiz_correct"))}" data-wrong="{e(label(lang, "quiz_wrong"))}"'
        f' data-right-answer="{e(label(lang, "quiz_right_answer_is"))}"'
        f' data-score="{e(label(lang, "quiz_score"))}" data-hint="{e(label(lang, "quiz_hint_js"))}">',
        f'<p class="portal-quiz__hint">{e(label(lang, "quiz_hint_nojs"))}</p>',
        '<ol class="portal-quiz__questions">',
    ]
    for n, question in enumerate(quiz.questions, 1):
        qid = f"{base}-q{n}"
        right = question.answer
        out.append(f'<li class="portal-quiz__question" id="{qid}" data-answer="{right}">')
        out.append(f'<p class="portal-quiz__text">{with_amended_html(question.text, lang)}</p>')
        out.append('<ol class="portal-quiz__options" type="A">')
        out += [f"<li>{with_amended_html(option, lang)}</li>" for option in question.options]
        out.append("</ol>")
        out.append('<details class="portal-quiz__answer">')
        out.append(f"<summary>{e(label(lang, 'quiz_show_answer'))}</summary>")
        out.append(
            f"<p><strong>{e(label(lang, 'quiz_answer'))}: {_LETTERS[right]}.</strong>"
            f" {with_amended_html(question.options[right], lang)}</p>"
        )
        out.append(f"<p>{with_amended_html(question.explain, lang)}</p>")
        out.append("</details>")
        out.append("</li>")
    out += ["</ol>", '<p class="portal-quiz__score" role="status" hidden></p>', "</section>", ""]
    return "\n".join(out)


@dataclass(frozen=True)
class FooterItem:
    label: str
    html: str  # already escaped


@dataclass(frozen=True)
class FooterLink:
    label: str
    path: str  # site-relative URL, for the template's ``url`` filter


@dataclass(frozen=True)
class Footer:
    board: str
    items: tuple[FooterItem, ...]
    links: tuple[FooterLink, ...]
    updated_label: str
    updated: str  # already escaped
    nav_label: str


def _vietnamese_html(value: str, lang: str) -> str:
    return html.escape(value) if lang == "vi" else f'<span lang="vi">{html.escape(value)}</span>'


def footer(data: PortalData, lang: str) -> Footer:
    """The footer of every page: who runs the site, how to reach them, where the notices are."""
    e = html.escape
    pending_html = f'<span class="portal-pending">{e(label(lang, "pending"))}</span>'
    board, _ = data.board_name.pick(lang)
    hotline = f'<a href="{e(data.hotline_href or "")}">{e(data.hotline)}</a>' if data.hotline else pending_html
    email = f'<a href="mailto:{e(data.email)}">{e(data.email)}</a>' if data.email else pending_html
    prefix = "" if lang == "vi" else f"{lang}/"
    return Footer(
        board=e(board or ""),
        items=(
            FooterItem(label(lang, "address"), _vietnamese_html(data.address, lang) if data.address else pending_html),
            FooterItem(label(lang, "hotline"), hotline),
            FooterItem(label(lang, "email"), email),
        ),
        links=(
            FooterLink(label(lang, "contacts_page"), f"{prefix}lien-he/"),
            FooterLink(label(lang, "privacy_page"), f"{prefix}chinh-sach-rieng-tu/"),
            FooterLink(label(lang, "accessibility_page"), f"{prefix}kha-nang-tiep-can/"),
        ),
        updated_label=label(lang, "updated" if data.updated else "updated_unknown"),
        updated=e(format_date(lang, data.updated)) if data.updated else pending_html,
        nav_label=label(lang, "footer_nav"),
    )
