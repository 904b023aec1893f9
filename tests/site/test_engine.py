"""The engine without a build: the data file, the day rule, the calendar, the quizzes, the blocks."""

from __future__ import annotations

import subprocess
import sys
from datetime import date, time
from pathlib import Path

import pytest
import yaml

from intake_function import envelope
from portal_site import data as data_module
from portal_site import quiz, render
from portal_site.schedule import DayRule, RuleError, parse_day_rule, parse_time

from .conftest import COMPLETE_DATA, ROOT

REPO_DATA = ROOT / "docs" / "data" / "portal.yml"


def _document() -> dict:
    return yaml.safe_load(COMPLETE_DATA.read_text(encoding="utf-8"))


def _problems(document) -> list[str]:
    with pytest.raises(data_module.DataError) as caught:
        data_module.parse_document(document, "portal.yml")
    return caught.value.problems


# --- the data file ---


def test_repository_data_file_is_valid_and_invents_nothing():
    data = data_module.load(REPO_DATA)
    assert data.board_name.vi == "Ban Quản lý Khu kinh tế tỉnh An Giang"
    # Nothing of this is known yet: it must stay a placeholder until the Office publishes it.
    assert (data.hotline, data.email, data.address, data.postal_address, data.updated, data.keys) == (None,) * 6
    assert data.reception.day_rule is None and not data.reception.is_complete
    paths = {p.path for p in data.placeholders}
    assert {"office.hotline", "office.email", "reception.day_rule", "keys", "updated"} <= paths
    # What the Board has not decided or set up yet stays a placeholder too.
    assert {"online_reception.how.vi", "escalation.head.vi", "escalation.superior.vi"} <= paths
    assert {"timing.acknowledge_days", "timing.classify_days", "timing.update_days", "procedure.approval"} <= paths
    assert data.procedure_is_draft and data.timing == data_module.Timing(None, None, None)
    assert data.online_reception.url is None
    assert data.api_url == "/api/v1"


def test_complete_test_data_has_only_the_intended_placeholders():
    data = data_module.load(COMPLETE_DATA)
    assert [p.path for p in data.placeholders] == ["reception.place.en", "escalation.superior.en", "keys"]
    assert data.hotline_href == "tel:+84000000000"
    assert data.reception.is_complete


@pytest.mark.parametrize(
    ("change", "field"),
    [
        (lambda d: d["office"].update(hotline="gọi cho chúng tôi"), "office.hotline"),
        (lambda d: d["office"].update(hotline=83), "office.hotline: phải đặt trong ngoặc kép"),
        (lambda d: d["office"].update(email="not-an-email"), "office.email"),
        (lambda d: d["office"].pop("email"), "office.email: thiếu mục này"),
        (lambda d: d["office"].update(emial=None), "office.emial: mục không có trong mẫu"),
        (lambda d: d["reception"].update(start=450), 'reception.start: giờ phải đặt trong ngoặc kép, ví dụ "07:30"'),
        (lambda d: d["reception"].update(end="07:00"), "reception.end: giờ kết thúc phải sau giờ bắt đầu"),
        (lambda d: d["reception"].update(day_rule={"weekday": "funday"}), "reception.day_rule"),
        (lambda d: d["reception"].update(day_rule={"monthly_day": 32}), "reception.day_rule"),
        (lambda d: d.update(keys=["age1notakey"]), "keys: khóa công khai không hợp lệ"),
        (lambda d: d.update(keys=["AGE-SECRET-KEY-1QQQQ"]), "keys"),
        (lambda d: d.update(updated="20/05/2026"), "updated"),
        (lambda d: d.update(api_url="javascript:alert(1)"), "api_url"),
        (lambda d: d.update(api_url=None), "api_url: không được để trống"),
        (lambda d: d["board"]["name"].update(vi=None), "board.name.vi: không được để trống"),
        (lambda d: d.update(board="Ban"), "board: phải là một nhóm mục"),
        (lambda d: d["timing"].update(acknowledge_days="3"), "timing.acknowledge_days: phải là số ngày làm việc"),
        (lambda d: d["timing"].update(classify_days=0), "timing.classify_days"),
        (lambda d: d["timing"].update(update_days=True), "timing.update_days"),
        (lambda d: d["online_reception"].update(url="http://tiep-cong-dan.example.invalid/"), "online_reception.url"),
        (lambda d: d["procedure"].update(effective="01/06/2026"), "procedure.effective"),
        (lambda d: d["escalation"].pop("head"), "escalation.head.vi: thiếu mục này"),
    ],
)
def test_malformed_values_are_named(change, field):
    document = _document()
    change(document)
    problems = _problems(document)
    assert any(p.startswith(field) for p in problems), problems


def test_all_problems_are_reported_at_once():
    document = _document()
    document["office"]["hotline"] = "x"
    document["office"]["email"] = "y"
    assert len(_problems(document)) == 2


def test_yaml_syntax_error_names_the_line(tmp_path):
    path = tmp_path / "portal.yml"
    path.write_text("board:\n  name: [unclosed\n", encoding="utf-8")
    with pytest.raises(data_module.DataError, match="dòng"):
        data_module.load(path)


def test_environment_overrides_keys_and_api(office_recipient):
    data = data_module.load(REPO_DATA)
    overridden = data_module.apply_overrides(
        data, {"PORTAL_RECIPIENTS": office_recipient, "PORTAL_API_URL": "https://api.example.invalid/api/v1/"}
    )
    assert [k.recipient for k in overridden.keys] == [office_recipient]
    assert overridden.keys[0].fingerprint == envelope.fingerprint(office_recipient)
    assert overridden.api_url == "https://api.example.invalid/api/v1"
    assert "keys" not in {p.path for p in overridden.placeholders}
    with pytest.raises(data_module.DataError, match="PORTAL_RECIPIENTS"):
        data_module.apply_overrides(data, {"PORTAL_RECIPIENTS": "age1bad"})


def test_online_reception_url_may_be_left_out():
    document = _document()
    del document["online_reception"]["url"]
    data = data_module.parse_document(document, "portal.yml")
    assert data.online_reception.url is None and data.online_reception.is_known
    assert "online_reception.url" not in {p.path for p in data.placeholders}


def test_setup_gaps_follow_the_vietnamese_text_of_each_channel():
    document = _document()
    assert data_module.parse_document(document, "portal.yml").setup_gaps == ("keys",)
    document["mailbox"]["location"]["en"] = None  # the English page shows the Vietnamese text
    document["office"]["hotline"] = None
    document["escalation"]["superior"]["vi"] = None
    gaps = data_module.parse_document(document, "portal.yml").setup_gaps
    assert gaps == ("keys", "hotline", "escalation")


def test_keys_in_the_file_get_their_fingerprint_computed(office_recipient):
    document = _document()
    document["keys"] = [office_recipient]
    data = data_module.parse_document(document, "portal.yml")
    assert data.keys == (data_module.Key(office_recipient, envelope.fingerprint(office_recipient)),)


# --- the check command ---


def _check(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "portal_site", "check", *args], cwd=ROOT, capture_output=True, text=True, check=False
    )


def test_check_lists_every_placeholder():
    result = _check("--data", str(REPO_DATA))
    assert result.returncode == 0, result.stderr
    for item in data_module.load(REPO_DATA).placeholders:
        assert item.path in result.stdout
    assert "đang cập nhật" in result.stdout


def test_check_says_which_kind_each_key_is_and_refuses_a_mixed_list(tmp_path):
    hybrid = [str(envelope.generate_identity().to_public()) for _ in range(2)]
    classic = str(envelope.generate_identity("x25519").to_public())
    document = yaml.safe_load(COMPLETE_DATA.read_text(encoding="utf-8"))
    path = tmp_path / "portal.yml"
    path.write_text(yaml.safe_dump({**document, "keys": hybrid}, allow_unicode=True), encoding="utf-8")
    result = _check("--data", str(path))
    assert result.returncode == 0, result.stderr
    assert result.stdout.count("loại khóa: khóa lai hậu lượng tử ML-KEM-768 + X25519") == 2
    assert all(envelope.fingerprint(k) in result.stdout for k in hybrid)
    path.write_text(yaml.safe_dump({**document, "keys": [hybrid[0], classic]}, allow_unicode=True), encoding="utf-8")
    result = _check("--data", str(path))
    assert result.returncode == 1 and "keys" in result.stderr and "không dùng lẫn" in result.stderr
    page = render.keys_md(data_module.parse_document({**document, "keys": hybrid}, "portal.yml"), "en")
    assert page.count("Kind of key: hybrid post-quantum key (ML-KEM-768 + X25519)") == 2


def test_check_fails_on_a_malformed_file_naming_the_field(tmp_path):
    bad = tmp_path / "portal.yml"
    bad.write_text(COMPLETE_DATA.read_text(encoding="utf-8").replace('end: "11:00"', "end: 11:00"), encoding="utf-8")
    result = _check("--data", str(bad))
    assert result.returncode == 1
    assert "reception.end" in result.stderr


# --- the day rule ---


@pytest.mark.parametrize(
    ("value", "rrule", "vi", "en"),
    [
        ({"monthly_day": 15}, {"FREQ": "MONTHLY", "BYMONTHDAY": 15}, "ngày 15 hằng tháng", "the 15th of every month"),
        (
            {"weekday": "thứ Năm", "week": 2},
            {"FREQ": "MONTHLY", "BYDAY": "2TH"},
            "thứ Năm của tuần thứ hai hằng tháng",
            "the second Thursday of every month",
        ),
        (
            {"weekday": "friday", "week": "last"},
            {"FREQ": "MONTHLY", "BYDAY": "-1FR"},
            "thứ Sáu của tuần cuối cùng hằng tháng",
            "the last Friday of every month",
        ),
        ({"weekday": "thu 2"}, {"FREQ": "WEEKLY", "BYDAY": "MO"}, "thứ Hai hằng tuần", "every Monday"),
        ({"weekday": "Chủ nhật"}, {"FREQ": "WEEKLY", "BYDAY": "SU"}, "Chủ nhật hằng tuần", "every Sunday"),
    ],
)
def test_day_rules(value, rrule, vi, en):
    rule = parse_day_rule(value)
    assert rule.rrule() == rrule
    assert rule.describe("vi") == vi
    assert rule.describe("en") == en


def test_first_reception_day_matches_the_rule():
    assert DayRule(weekday=3, week=2).first_on_or_after(date(2026, 5, 20)) == date(2026, 6, 11)
    assert DayRule(weekday=3, week=2).first_on_or_after(date(2026, 5, 14)) == date(2026, 5, 14)
    assert DayRule(weekday=4, week=-1).first_on_or_after(date(2026, 5, 1)) == date(2026, 5, 29)
    assert DayRule(monthly_day=31).first_on_or_after(date(2026, 4, 1)) == date(2026, 5, 31)


def test_times():
    assert parse_time("07:30") == time(7, 30)
    with pytest.raises(RuleError, match="ngoặc kép"):
        parse_time(450)  # YAML 1.1 reads an unquoted 07:30 as 450
    with pytest.raises(RuleError):
        parse_time("7h30")


# --- the quizzes ---


def test_every_quiz_file_of_the_repository_is_valid_in_both_languages():
    folder = ROOT / "docs" / "data" / "quizzes"
    files = quiz.all_quiz_files(folder)
    assert files, "the training pages have quizzes"
    slugs = {slug for slug, _ in files}
    assert {(slug, lang) for slug in slugs for lang in ("vi", "en")} == set(files)
    for slug, lang in files:
        loaded = quiz.load_quiz(folder, slug, lang)
        assert loaded.questions


@pytest.mark.parametrize(
    ("question", "message"),
    [
        ({"q": "Q", "options": ["a", "b"], "answer": 2, "explain": "e"}, "question 1: answer must be"),
        ({"q": "Q", "options": ["a"], "answer": 0, "explain": "e"}, "question 1: options must be"),
        ({"q": "Q", "options": ["a", "a"], "answer": 0, "explain": "e"}, "question 1: two options are the same"),
        ({"q": "Q", "options": ["a", "b"], "answer": True, "explain": "e"}, "question 1: answer must be"),
        ({"q": "", "options": ["a", "b"], "answer": 0, "explain": "e"}, "question 1, q: expected non-empty text"),
        ({"q": "Q", "options": ["a", "b"], "answer": 0}, "question 1: missing key(s) ['explain']"),
    ],
)
def test_malformed_quiz_names_the_file_and_question(tmp_path, question, message):
    (tmp_path / "x.vi.yml").write_text(yaml.safe_dump({"title": "T", "questions": [question]}), encoding="utf-8")
    with pytest.raises(quiz.QuizError) as caught:
        quiz.load_quiz(tmp_path, "x", "vi")
    assert str(tmp_path / "x.vi.yml") in str(caught.value) and message in str(caught.value)


def test_missing_quiz_is_an_error(tmp_path):
    with pytest.raises(quiz.QuizError, match="not found"):
        quiz.load_quiz(tmp_path, "none", "vi")


# --- rendering ---


def test_values_cannot_become_markup():
    document = _document()
    document["board"]["address"] = "<script>alert(1)</script> *bold* [link](http://x)"
    data = data_module.parse_document(document, "portal.yml")
    block = render.contacts_md(data, "vi", "lien-he/index.md")
    assert "<script>" not in block and "&lt;script&gt;" in block
    assert "\\*bold\\*" in block and "\\[link\\]" in block
    import markdown

    html = markdown.markdown(block, extensions=["attr_list", "md_in_html"])
    assert "<script>" not in html and "<em>" not in html and 'href="http://x"' not in html


def test_quiz_without_javascript_is_a_list_with_answers():
    folder = ROOT / "docs" / "data" / "quizzes"
    slug, lang = quiz.all_quiz_files(folder)[0]
    loaded = quiz.load_quiz(folder, slug, lang)
    block = render.quiz_md(loaded, lang)
    assert block.count("<details") == len(loaded.questions)
    assert block.count('<ol class="portal-quiz__options"') == len(loaded.questions)


def test_hooks_file_is_importable_by_path():
    """MkDocs imports the hooks by file path; they must work without the package being installed."""
    hooks = Path(ROOT / "portal_site" / "mkdocs_hooks.py")
    result = subprocess.run(
        [sys.executable, "-c", f"import importlib.util as u; s=u.spec_from_file_location('h', {str(hooks)!r}); "
         "m=u.module_from_spec(s); s.loader.exec_module(m); print(m.PORTAL_BLOCKS)"],
        cwd="/", capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr


# --- the printed poster of the channels ---


def test_the_poster_lists_every_channel_from_the_data_file_and_the_form_by_its_full_address():
    data = data_module.load(COMPLETE_DATA)
    src = "dao-tao/tai-lieu-in/kenh-tiep-nhan.md"
    vi = render.channels_poster_md(data, "vi", src, "https://tocao.example.gov.vn/").replace("\\", "")
    for value in (
        "+84 000 000 000",
        "tiep-nhan@example.invalid",
        "Sảnh tầng trệt",
        "Văn phòng Ban, số 0 đường Thử Nghiệm",
        "Thứ Năm của tuần thứ hai hằng tháng, từ 07 giờ 30 đến 11 giờ 00; địa điểm: Phòng tiếp công dân",
        "[https://tocao.example.gov.vn/gui-phan-anh/](https://tocao.example.gov.vn/gui-phan-anh/)",
    ):
        assert value in vi, value
    en = render.channels_poster_md(data, "en", src.replace(".md", ".en.md"), "https://tocao.example.gov.vn")
    en = en.replace("\\", "")
    assert "https://tocao.example.gov.vn/en/gui-phan-anh/" in en and "Ground-floor lobby" in en
    # Without the site's address the build cannot print it: a visible placeholder, never a relative link.
    unknown = render.channels_poster_md(data, "vi", src, None)
    (form_line,) = [line for line in unknown.splitlines() if line.startswith("- **Gửi phản ánh trực tuyến:**")]
    assert form_line.endswith(render.pending("vi")) and "](" not in form_line
    # Online reception, and the route when the Office or the Head is involved (content review L2): the
    # complaint about the Head goes above the Board, and the sealed online form is not offered for it.
    assert "Tiếp công dân trực tuyến vào thứ Ba hằng tuần" in vi
    route = vi.split("**Khi nội dung liên quan đến Văn phòng Ban hoặc Trưởng ban:**", 1)[1].replace("\\", "")
    assert "Thư gửi đích danh Trưởng ban" in route and "Cơ quan quản lý cấp trên" in route
    assert "Không gửi qua Trưởng ban hay Văn phòng Ban" in route and "không dùng biểu mẫu trực tuyến" in route
    # The repository's own data file: each missing channel is the placeholder, not an invented value,
    # and a schedule not yet known is one placeholder, not "đang cập nhật, đang cập nhật; …".
    own = render.channels_poster_md(data_module.load(REPO_DATA), "vi", src, None)
    assert own.count(render.pending("vi")) >= 1
    (reception,) = [line for line in own.splitlines() if line.startswith("- **Lịch tiếp công dân")]
    assert reception.count("đang cập nhật") == 1
