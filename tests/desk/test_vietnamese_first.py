"""Every message of ``office`` reads Vietnamese first, then " / " and the English.

Three checks, from the source to the running tool:

* the source of ``office/``, read with ``ast`` (``tests/desk/vietnamese_first.py`` says how): every
  text given to an error, ``click.echo``, a prompt, ``next_step`` or a ``help=``, and every longer
  text kept to be shown later, starts with a Vietnamese word; the few internal ones are listed in
  INTERNAL with the reason no one of the Office reads them;
* the help of every command and option, as click builds it: each paragraph in English follows its
  Vietnamese, and every option says what it is for;
* the real command, made to fail the way a clerk would make it fail in each new command: the first
  line it writes on standard error, and its "Lỗi / Error:" line, read Vietnamese first.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import click
import pytest

from tests.desk.conftest import ADDRESS, NAME, add, data_dir, office
from tests.desk.vietnamese_first import english_first, scan, texts, words

ROOT = Path(__file__).resolve().parents[2]
ERROR = "Lỗi / Error: "

# Reviewed: texts of office/ that are English first on purpose. (path, text) -> why no one of the Office reads it.
INTERNAL: dict[tuple[str, str], str] = {
    ("office/register/__init__.py", "not a workflow column: {}"): "a programming error: update_case given a wrong name",
    ("office/register/audit.py", "unknown audit action {}"): "a programming error: an action code missing from ACTIONS",
    ("office/reports/half_year.py", "no half-year contains {}"): "an assertion: the two halves tile the calendar",
    ("office/layout.py", "Times New Roman"): "a font's name",
    ("office/reports/chart.py", "Times New Roman"): "a font's name",
    (
        "office/release/check.py",
        "Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/{}.0.0.0 "
        "Mobile Safari/537.36",
    ): "a browser's User-Agent, sent to the site being checked",
    (
        "office/release/check.py",
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/{}.0.0.0 "
        "Safari/537.36",
    ): "a browser's User-Agent, sent to the site being checked",
}


def _english_first_in(package: Path) -> list[str]:
    return [str(t) for t in scan(package, ROOT) if english_first(t.text) and (t.path, t.text) not in INTERNAL]


def test_every_message_in_the_source_reads_vietnamese_first():
    found = _english_first_in(ROOT / "office")
    assert found == [], "English first (write the Vietnamese, then ' / ' and the English):\n" + "\n".join(found)


def test_every_internal_text_of_the_list_is_still_there():
    """A text that left the source leaves the list: it must not excuse a new message with the same words."""
    present = {(t.path, t.text) for t in scan(ROOT / "office", ROOT)}
    assert set(INTERNAL) <= present, set(INTERNAL) - present


@pytest.mark.parametrize(
    "text",
    [
        "hồ sơ {} không có mã tra cứu / the case has no receipt code",
        "Lưu ý / note: {} is at step '{}'",
        "xem office list --unmatched / see it",
        "--with-identity đưa danh tính người tố cáo vào tệp / discloses the identity",
        "[periods]: h1_start và h2_start phải khác nhau / must differ",
        "periods.h1_cutoff: ngày chốt số liệu phải trước hạn / the cut-off must come first",
        "KẾT LUẬN: ĐÚNG. Trang {} phục vụ đúng bản phát hành",
        "{}: không ghi được / cannot write",
        "office show ID (đọc / read it)",
    ],
)
def test_the_check_reads_these_as_vietnamese_first(text):
    assert not english_first(text)


@pytest.mark.parametrize(
    "text",
    [
        "case {} is anonymous (phản ánh ẩn danh)",
        "no release manifest at {} (không có tệp kê khai)",
        "--with-identity discloses the denouncer's identity (phải nêu lý do)",
        "{}: the notice is a Word file (tệp phải có đuôi .docx)",
        "VERDICT: CANNOT VERIFY. {} does not answer",
        "give --manifest or --build, not both / chỉ dùng một trong hai",
        "[periods]: h1_start and h2_start must differ",
        "Done.",
        "an error",
    ],
)
def test_the_check_reads_these_as_english_first(text):
    assert english_first(text)


PLANTED = '''
import click

from .common import fail, next_step


class PlantedError(ValueError):
    pass


@click.command()
@click.option("--unit", help="the unit that handles it")
def planted(unit):
    """Plant / Trồng."""
    if unit:
        raise fail(f"case {unit} is anonymous (phản ánh ẩn danh)")
    click.echo("Done.", err=True)
    next_step("run office list to see it")
    warnings = ["the settings file is old: run office settings"]
    raise PlantedError("no such case / không có hồ sơ")
'''


def test_a_planted_english_first_message_is_found_wherever_it_is(tmp_path):
    """The check does fail: each English-first message of a module like the tool's own is named."""
    module = tmp_path / "office" / "commands" / "planted.py"
    module.parent.mkdir(parents=True)
    module.write_text(PLANTED, encoding="utf-8")
    found = sorted(t.where for t in texts(module, tmp_path) if english_first(t.text))
    assert found == sorted(["option(help=)", "fail", "echo", "next_step", "kept", "PlantedError"])
    # The same module, Vietnamese first: nothing to say.
    fixed = (
        PLANTED.replace('"the unit', '"Đơn vị / the unit')
        .replace('f"case {unit}', 'f"hồ sơ {unit} ẩn danh / case {unit}')
        .replace('"Done.', '"Xong / done.')
        .replace('"run office', '"chạy office list để xem / run office')
        .replace('["the settings', '["tệp cài đặt cũ / the settings')
        .replace('"no such case', '"không có hồ sơ / no such case')
    )
    module.write_text(fixed, encoding="utf-8")
    assert [t for t in texts(module, tmp_path) if english_first(t.text)] == []


def _commands(command: click.Command, path: str):
    yield path, command
    if isinstance(command, click.Group):
        for name, sub in sorted(command.commands.items()):
            yield from _commands(sub, f"{path} {name}")


def _help_problems() -> list[str]:
    from office.commands.cli import cli

    problems = []
    for path, command in _commands(cli, "office"):
        paragraphs = [p.replace("\b", "") for p in (command.help or "").split("\n\n")]
        paragraphs = [p for p in paragraphs if words(p)]
        if not paragraphs:
            problems.append(f"{path}: no help")
        for i, paragraph in enumerate(paragraphs):
            if not english_first(paragraph):
                continue
            before = paragraphs[i - 1] if i else ""
            # English follows its own Vietnamese paragraph, of a similar length: not a one-line summary
            # that already carries its English after " / ".
            translated = (
                before
                and not english_first(before)
                and (i > 1 or " / " not in before)
                and len(words(before)) >= len(words(paragraph)) / 2
            )
            if not translated:
                problems.append(f"{path}, paragraph {i + 1}: {' '.join(paragraph.split())[:100]!r}")
        for param in command.params:
            if isinstance(param, click.Option) and param.name not in ("help", "version"):
                if not param.help:
                    problems.append(f"{path} {param.opts[0]}: no help")
                elif english_first(param.help):
                    problems.append(f"{path} {param.opts[0]}: {param.help[:100]!r}")
    return problems


def test_the_help_of_every_command_and_option_reads_vietnamese_first():
    problems = _help_problems()
    assert problems == [], "\n".join(problems)


def test_what_click_adds_to_a_help_page_reads_vietnamese_first(tmp_path):
    """The marks click writes itself ([required], [default: ...], the version line) come from its catalogue."""
    env = {"OFFICE_DATA": str(tmp_path)}
    page = office("accept", "--help", env=env).stdout.decode()
    assert "[bắt buộc / required]" in page and "[required]" not in page
    assert "[mặc định / default: office-data]" in page
    assert office("--version", env=env).stdout.decode().startswith("office, phiên bản / version ")


# --- the running tool ------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def desk(tmp_path_factory, office_key, second_key):
    """A register with an anonymous case and a named one, both classified within the Board's competence."""
    tmp = tmp_path_factory.mktemp("vi")
    env = {
        "OFFICE_DATA": str(tmp / "desk"),
        "OFFICE_IDENTITY": str(office_key[0]),
        "OFFICE_RECIPIENTS": f"{office_key[1]},{second_key[1]}",
        "OFFICE_USER": "can-bo-van-phong",
    }
    office("init", env=env)
    common = ("--channel", "reception", "--category", "corruption", "--description", "Nội dung.")
    anonymous = add(env, *common)
    named = add(env, *common, "--name", NAME, "--address", ADDRESS)
    for number in (anonymous, named):
        office("classify", number, "--competence", "within", env=env)
    return {"env": env, "tmp": tmp, "anonymous": anonymous, "named": named}


def _future_period() -> str:
    return f"{date.today().year + 1}-H1"


REFUSALS = {
    "accept on an anonymous case": lambda d: ["accept", d["anonymous"], "--decision", "1/QĐ", "--conditions-met"],
    "accept, conditions not confirmed": lambda d: ["accept", d["named"], "--decision", "1/QĐ"],
    "decline on an anonymous case": lambda d: ["decline", d["anonymous"], "--reason", "x"],
    "notice not owed": lambda d: ["notice", d["named"], "--kind", "accepted", "--out", str(d["tmp"] / "tb.docx")],
    "notify a denouncer owed nothing": lambda d: ["notify", d["named"], "--to", "denouncer", "--how", "thư"],
    "notice with identity, no reason": lambda d: [
        "notice",
        d["named"],
        "--kind",
        "accepted",
        "--out",
        str(d["tmp"] / "tb.docx"),
        "--with-identity",
    ],
    "activity, a task that does not exist": lambda d: [
        "activity",
        "add",
        "--task",
        "9",
        "--date",
        "01/01/2026",
        "--what",
        "Hội nghị",
    ],
    "activity, an id that does not exist": lambda d: ["activity", "edit", "99", "--people", "3", "--reason", "x"],
    "report, a bad period": lambda d: ["report", "--period", "2026-H3", "--out", str(d["tmp"] / "bc.docx")],
    "report, a period not ended": lambda d: [
        "report",
        "--period",
        _future_period(),
        "--out",
        str(d["tmp"] / "bc.docx"),
    ],
    "check-site without a manifest": lambda d: ["check-site", "http://127.0.0.1:9/"],
    "check-site, a bad address": lambda d: ["check-site", "tocao.example.gov.vn"],
    "attach, a follow-up that does not exist": lambda d: ["attach", "0123456789abcdef", d["named"]],
    "classify again without a note": lambda d: ["classify", d["named"], "--again", "--competence", "outside"],
    "forward an anonymous case as a denunciation": lambda d: [
        "forward",
        d["anonymous"],
        "--to",
        "Thanh tra tỉnh",
        "--denunciation",
    ],
}


@pytest.mark.parametrize("situation", list(REFUSALS))
def test_each_new_command_refuses_in_vietnamese_first(desk, situation):
    result = office(*REFUSALS[situation](desk), env=desk["env"], input=b"", ok=False)  # no keyboard
    stderr = result.stderr.decode()
    assert result.returncode != 0 and "Traceback" not in stderr, stderr
    first = stderr.splitlines()[0]
    assert not english_first(first.removeprefix(ERROR)), first
    refusal = [line for line in stderr.splitlines() if line.startswith(ERROR)]
    assert refusal and not english_first(refusal[0].removeprefix(ERROR)), stderr


def test_a_settings_file_with_a_cutoff_after_the_deadline_is_refused_in_vietnamese_first(desk, tmp_path):
    env = {**desk["env"], "OFFICE_DATA": str(tmp_path / "desk")}
    office("init", env=env)
    (data_dir(env) / "settings.toml").write_text('[periods]\nh1_cutoff = "06-10"\n', encoding="utf-8")
    result = office("report", "--period", "2025-H1", "--out", str(tmp_path / "bc.docx"), env=env, ok=False)
    first = result.stderr.decode().splitlines()[0]
    assert first.startswith(ERROR) and not english_first(first.removeprefix(ERROR)), first
    assert "ngày chốt số liệu phải trước hạn gửi báo cáo" in first
