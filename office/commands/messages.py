"""click's own messages, Vietnamese first then English, as every other message of ``office``.

click writes its messages ("Missing option", "Invalid value for...", "No such
command", the usage line, "Error:") through ``gettext``: each of its modules
calls ``_(text)`` or ``ngettext(one, many, n)``. ``install`` gives those modules
a translation from the table below instead of the system's catalogue, which
Windows does not have and which would not put the English beside the Vietnamese
anyway. Placeholders stay as click fills them in. A message click no longer
says is caught by the test that checks every key here against click's source.
"""

from __future__ import annotations

import importlib

CATALOGUE: dict[str, str] = {
    # errors of the command line
    "Error: {message}": "Lỗi / Error: {message}",
    "Usage:": "Cách dùng / Usage:",
    "Try '{command} {option}' for help.": "Xem hướng dẫn / for help: '{command} {option}'",
    "Missing option": "Thiếu tùy chọn / missing option",
    "Missing argument": "Thiếu tham số / missing argument",
    "Missing parameter": "Thiếu tham số / missing parameter",
    "Missing parameter: {param_name}": "Thiếu tham số / missing parameter: {param_name}",
    "Missing {param_type}": "Thiếu / missing {param_type}",
    "Missing command.": "Thiếu tên lệnh / missing command.",
    "Invalid value for {param_hint}: {message}": "Giá trị không hợp lệ cho / invalid value for {param_hint}: {message}",
    "Invalid value: {message}": "Giá trị không hợp lệ / invalid value: {message}",
    "No such command {name!r}.": "Không có lệnh / no such command {name!r}.",
    "No such option {name!r}.": "Không có tùy chọn / no such option {name!r}.",
    "Did you mean {possibility}?": "Ý bạn là / did you mean {possibility}?",
    "(Did you mean one of: {possibilities}?)": "(Ý bạn là một trong / did you mean one of: {possibilities}?)",
    "Got unexpected extra argument ({args})": "Thừa tham số / unexpected extra argument ({args})",
    "Got unexpected extra arguments ({args})": "Thừa tham số / unexpected extra arguments ({args})",
    "Option {name!r} requires an argument.": "Tùy chọn {name!r} cần một giá trị / requires a value.",
    "Option {name!r} requires {nargs} arguments.": "Tùy chọn {name!r} cần {nargs} giá trị / requires {nargs} values.",
    "Option {name!r} does not take a value.": "Tùy chọn {name!r} không nhận giá trị / does not take a value.",
    "Aborted!": "Đã dừng / stopped.",
    # values
    "{value!r} is not {choice}.": "{value!r} không phải / is not {choice}.",
    "{value!r} is not one of {choices}.": "{value!r} không thuộc các giá trị / is not one of {choices}.",
    "Choose from:\n\t{choices}": "Chọn một trong / choose from:\n\t{choices}",
    "{value!r} is not a valid {number_type}.": "{value!r} không phải số / is not a valid {number_type}.",
    "{value} is not in the range {range}.": "{value} nằm ngoài khoảng / is not in the range {range}.",
    "{value!r} is not a valid boolean. Recognized values: {states}": (
        "{value!r} không phải có/không / is not a valid boolean: {states}"
    ),
    "{value!r} does not match the format {format}.": "{value!r} không đúng dạng / does not match {format}.",
    "{value!r} does not match the formats {formats}.": "{value!r} không đúng dạng / does not match {formats}.",
    "file": "tệp / file",
    "directory": "thư mục / directory",
    "path": "đường dẫn / path",
    "{name} {filename!r} does not exist.": "{name} {filename!r} không tồn tại / does not exist.",
    "{name} {filename!r} is a file.": "{name} {filename!r} là một tệp / is a file.",
    "{name} {filename!r} is a directory.": "{name} {filename!r} là một thư mục / is a directory.",
    "{name} {filename!r} is not readable.": "{name} {filename!r} không đọc được / is not readable.",
    "{name} {filename!r} is not writable.": "{name} {filename!r} không ghi được / is not writable.",
    "{name} {filename!r} is not executable.": "{name} {filename!r} không chạy được / is not executable.",
    "Could not open file {filename!r}: {message}": "Không mở được tệp / could not open {filename!r}: {message}",
    # prompts
    "Repeat for confirmation": "Nhập lại để xác nhận / repeat for confirmation",
    "Error: The two entered values do not match.": (
        "Lỗi / Error: hai lần nhập không khớp / the two entered values do not match."
    ),
    "Error: invalid input": "Lỗi / Error: giá trị không hợp lệ / invalid input",
    "Do you want to continue?": "Tiếp tục? / do you want to continue?",
    # help pages
    "Options": "Tùy chọn / Options",
    "Commands": "Lệnh / Commands",
    "Positional arguments": "Tham số / Arguments",
    "Show this message and exit.": "Xem hướng dẫn này / show this message and exit.",
    "Show the version and exit.": "Xem phiên bản / show the version and exit.",
    "default: {default}": "mặc định / default: {default}",
    "required": "bắt buộc / required",
    "deprecated": "không còn dùng / deprecated",
    "(dynamic)": "(tùy lúc / dynamic)",
    "env var: {var}": "biến môi trường / env var: {var}",
}

# Every module of click that says something through gettext.
_MODULES = ("core", "decorators", "exceptions", "formatting", "parser", "termui", "types")


def gettext(message: str) -> str:
    return CATALOGUE.get(message, message)


def ngettext(singular: str, plural: str, count: int) -> str:
    return gettext(singular if count == 1 else plural)


def install() -> None:
    """Make click's modules say their messages from the catalogue (once, at the start of ``main``)."""
    for name in _MODULES:
        module = importlib.import_module(f"click.{name}")
        if hasattr(module, "_"):
            module._ = gettext
        if hasattr(module, "ngettext"):
            module.ngettext = ngettext
