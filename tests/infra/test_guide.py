"""The IT staff guide (docs/huong-dan-ky-thuat/): every command in it was run, or says why not.

A command block either starts with a marker line (it needs an AWS account, the Board's own
server, or Windows) or holds only commands that a test runs: the key ceremony, the reference
``age`` steps, the data file check and the backup round trip are run here, exactly as written;
the others are run where their subject is tested and listed in that module's ``GUIDE_COMMANDS``.
Both languages must give the same commands. The nginx and systemd examples are checked against
the code they configure (the same security headers, the same server command).
"""

from __future__ import annotations

import filecmp
import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from intake_function import envelope
from intake_function.headers import SECURITY_HEADERS, SITE_CSP
from tests.conftest import ROOT, age_encrypt, require_tool
from tests.desk import test_keys
from tests.infra import test_packaging, test_runtimes, test_site_deploy, test_template, test_windows_guide
from tests.release import test_check_site

GUIDE = ROOT / "docs" / "huong-dan-ky-thuat"
PAGES = ["index", "khoa-van-phong", "trien-khai-aws", "may-chu-rieng", "phat-hanh-trang", "cai-dat-windows"]
MARKERS = {
    "vi": {"# Cần tài khoản AWS": "aws", "# Chạy trên máy chủ của Ban": "server", "# Trên Windows": "windows"},
    "en": {"# Needs an AWS account": "aws", "# Runs on the Board's server": "server", "# On Windows": "windows"},
}
COMMAND_LANGUAGES = {"sh", "powershell"}
# Blocks are written ```{.text .sh}: shown as plain text (the theme's syntax colours fail the
# contrast check) and still saying what they hold. A plain ``` block is prose, not a command.
FENCE = r"^```(?:\{\.text \.(\w+)\})?\n(.*?)^```$"

KEYGEN = ["office keygen --out office-identity.age", "office keygen --out office-backup.age"]
AGE_REFERENCE = [
    "age-keygen -o office-key.txt",
    "age-keygen -y office-key.txt",
    "age -p -o office-identity.age office-key.txt",
    "shred -u office-key.txt",
]
AGE_OPEN = "age -d -i office-identity.age -o report.json report.age"
DATA_CHECK = ".venv/bin/python -m portal_site check"
BACKUP = [
    "tar -czf office-data.tar.gz office-data",
    "age -R office-recipients.txt -o office-data.tar.gz.age office-data.tar.gz",
    "shred -u office-data.tar.gz",
]
RESTORE = ["age -d -i office-backup.age -o office-data.tar.gz office-data.tar.gz.age", "tar -xzf office-data.tar.gz"]
RUN_HERE = [*KEYGEN, *AGE_REFERENCE, AGE_OPEN, DATA_CHECK, *BACKUP, *RESTORE]
TESTED = set(RUN_HERE)
for module in (
    test_packaging,
    test_runtimes,
    test_site_deploy,
    test_template,
    test_check_site,
    test_windows_guide,
    test_keys,
):
    TESTED |= set(module.GUIDE_COMMANDS)
# Settings a test makes the same way (it sets these variables for the process it starts).
SETTING = re.compile(r'^export (INTAKE_[A-Z_]+|AWS_[A-Z0-9_]+|OFFICE_[A-Z_]+|PORT)=(\S+|"\$\(openssl rand -hex 32\)")$')
PASSPHRASE = "mot-mat-khau-du-dai-cho-thu-nghiem"


def blocks(page: str, lang: str) -> list[tuple[str, str, list[str]]]:
    """(fence language, marker kind or "", lines without comments) of each fenced block of a page."""
    path = GUIDE / (f"{page}.md" if lang == "vi" else f"{page}.{lang}.md")
    found = []
    for language, body in re.findall(FENCE, path.read_text(encoding="utf-8"), re.M | re.S):
        lines = body.splitlines()
        marker = MARKERS[lang].get(lines[0].strip(), "") if lines else ""
        commands = [line.strip() for line in lines if line.strip() and not line.strip().startswith("#")]
        found.append((language, marker, commands))
    return found


def test_the_guide_is_in_the_site_nav_in_both_languages():
    nav = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    for page in PAGES:
        assert f"huong-dan-ky-thuat/{page}.md" in nav
        assert (GUIDE / f"{page}.en.md").is_file()


@pytest.mark.parametrize("page", PAGES)
def test_both_languages_give_the_same_commands_and_markers(page):
    vi, en = blocks(page, "vi"), blocks(page, "en")
    assert len(vi) == len(en)
    for (vi_lang, vi_marker, vi_lines), (en_lang, en_marker, en_lines) in zip(vi, en, strict=True):
        assert (vi_lang, vi_marker) == (en_lang, en_marker)
        if vi_lang in COMMAND_LANGUAGES:
            assert vi_lines == en_lines


@pytest.mark.parametrize("page", PAGES)
def test_every_command_was_run_by_a_test_or_is_marked(page):
    untested = []
    for lang in ("vi", "en"):
        for language, marker, lines in blocks(page, lang):
            if language == "powershell":
                assert marker == "windows", f"{page}: a PowerShell block not marked as Windows"
            if language not in COMMAND_LANGUAGES or marker:
                continue
            untested += [line for line in lines if line not in TESTED and not SETTING.match(line)]
    assert untested == []


def _env(tmp_path: Path) -> dict[str, str]:
    return {**os.environ, "PATH": f"{Path(sys.executable).parent}:/usr/bin:/bin", "HOME": str(tmp_path)}


def _interactive(command: str, cwd: Path, answers: int) -> str:
    """Run a command that asks for a passphrase ``answers`` times on its terminal."""
    import pexpect

    child = pexpect.spawn(command, cwd=str(cwd), env=_env(cwd), encoding="utf-8", timeout=120)
    for _ in range(answers):
        child.expect("passphrase")
        child.sendline(PASSPHRASE)
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0, child.before
    return child.before


def _run(command: str, cwd: Path) -> str:
    args = shlex.split(command)  # plain commands: no shell is needed to run them as written
    result = subprocess.run(args, cwd=cwd, env=_env(cwd), capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, f"{command}: {result.stderr}"
    return result.stdout


def _open_with_age(cwd: Path, recipient: str) -> None:
    """The guide's AGE_OPEN: the reference tool opens a report with the protected key file."""
    (cwd / "report.age").write_bytes(age_encrypt(b'{"schema": "report/1"}', recipient))
    _interactive(AGE_OPEN, cwd, answers=1)
    assert (cwd / "report.json").read_text() == '{"schema": "report/1"}'


def test_key_ceremony_with_office_keygen(tmp_path):
    """Hybrid keys, passphrase-protected as `age -p` writes them; the Office's tool opens a report with them."""
    outputs = [_interactive(line, tmp_path, answers=2) for line in KEYGEN]
    for line, output in zip(KEYGEN, outputs, strict=True):
        recipient = re.search(envelope.RECIPIENT_PATTERN, output).group(0)
        assert recipient.startswith("age1pq1") and "ML-KEM-768" in output
        assert envelope.fingerprint(recipient) in output  # printed for the record
        path = tmp_path / line.split()[-1]
        assert path.read_bytes().startswith(b"age-encryption.org/v1\n-> scrypt ")  # passphrase-protected
        (identity,) = envelope.load_identities(path, lambda: PASSPHRASE)
        sealed = envelope.encrypt(b'{"schema": "report/1"}', [envelope.parse_recipient(recipient)])
        assert envelope.decrypt(sealed, [identity]) == b'{"schema": "report/1"}'
    # (typage, the other reference tool, opens such files: tests/test_envelope.py)


def test_key_ceremony_with_the_reference_age_tool(tmp_path, age_cli):
    require_tool("shred")
    recipient = ""
    for line in AGE_REFERENCE:
        if line.startswith("age -p"):
            _interactive(line, tmp_path, answers=2)
        else:
            output = _run(line, tmp_path)
            recipient = output.strip() or recipient
    assert recipient.startswith("age1") and not (tmp_path / "office-key.txt").exists()
    _open_with_age(tmp_path, recipient)
    # The Office's tool reads the same file (design: an identity as `age -p` writes it).
    loaded = envelope.load_identities(tmp_path / "office-identity.age", lambda: PASSPHRASE)
    assert [str(i.to_public()) for i in loaded] == [recipient]


def test_the_data_file_check(tmp_path):
    output = _run(DATA_CHECK, ROOT)
    assert "tệp dữ liệu hợp lệ" in output


def test_backup_and_restore_of_the_office_data_folder(tmp_path, office_key, second_key, age_cli):
    require_tool("tar")
    require_tool("shred")
    data = tmp_path / "office-data"
    (data / "store" / "inbox").mkdir(parents=True)
    (data / "register.sqlite").write_bytes(os.urandom(5000))
    (data / "store" / "inbox" / "x.age").write_bytes(os.urandom(300))
    (tmp_path / "office-recipients.txt").write_text(f"{office_key[1]}\n{second_key[1]}\n")
    for line in BACKUP:
        _run(line, tmp_path)
    assert not (tmp_path / "office-data.tar.gz").exists()
    assert (tmp_path / "office-data.tar.gz.age").read_bytes().startswith(b"age-encryption.org/v1\n")
    shutil.move(data, tmp_path / "original")
    shutil.copy(second_key[0], tmp_path / "office-backup.age")  # restore with the backup key
    for line in RESTORE:
        _run(line, tmp_path)
    comparison = filecmp.dircmp(tmp_path / "original", data)
    assert not comparison.diff_files and not comparison.left_only and not comparison.right_only
    assert (data / "register.sqlite").read_bytes() == (tmp_path / "original" / "register.sqlite").read_bytes()


def _nginx_example(lang: str) -> str:
    (block,) = [body for page in ["may-chu-rieng"] for body in _fenced(page, lang, "nginx")]
    return block


def _fenced(page: str, lang: str, language: str) -> list[str]:
    path = GUIDE / (f"{page}.md" if lang == "vi" else f"{page}.{lang}.md")
    return [body for kind, body in re.findall(FENCE, path.read_text(encoding="utf-8"), re.M | re.S) if kind == language]


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_the_nginx_example_sends_the_portals_headers_and_logs_no_address(lang):
    config = _nginx_example(lang)
    site = config.split("location / {", 1)[1].split("location /api/", 1)[0]
    sent = dict(re.findall(r'add_header ([A-Za-z-]+) "([^"]*)" always;', site))
    assert sent == {**SECURITY_HEADERS, "Content-Security-Policy": SITE_CSP}
    api = config.split("location /api/ {", 1)[1].split("}", 1)[0]
    assert "add_header" not in api  # the function's own headers (API_CSP) pass unchanged
    bind = test_runtimes.GUNICORN.split("--bind ")[1].split()[0]
    assert f"proxy_pass http://{bind};" in api
    assert config.count("access_log off;") == config.count("server {") == 2
    # The address reaches the function alone (which keeps only an hourly pseudonym), set from the
    # connection: never the sender's own X-Forwarded-For, never a log line.
    assert re.findall(r".*\$remote_addr.*", config) == ["        proxy_set_header X-Forwarded-For $remote_addr;"]
    assert "proxy_add_x_forwarded_for" not in config and "$binary_remote_addr" in config
    assert re.findall(r"error_log \S+ (\w+);", config) == ["crit"]  # limit_req logs refusals at "error"
    assert 'default_type "text/calendar; charset=utf-8";' in config


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_the_systemd_example_runs_the_tested_gunicorn_command(lang):
    (unit,) = _fenced("may-chu-rieng", lang, "ini")
    exec_start = re.search(r"^ExecStart=(.*)$", unit, re.M).group(1)
    assert exec_start.split()[0].endswith("/.venv/bin/gunicorn")
    assert exec_start.split()[1:] == test_runtimes.GUNICORN.split()[1:]
