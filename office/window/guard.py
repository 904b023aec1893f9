"""Who may use the desk: only the browser on this PC that opened the printed address.

The desk listens on 127.0.0.1 only, but every program and every user of the PC
can reach that address, and so can any web page the clerk visits, through the
browser (a form posted cross-site, or a name of the attacker's that resolves to
127.0.0.1: DNS rebinding). So:

- the address ``office desk`` prints carries a launch token of 256 random bits,
  spent once: the first browser to open it gets a session cookie (HttpOnly,
  SameSite=Strict) and the token is forgotten; every other request needs that
  cookie;
- a request whose Host header is not the desk's own ``127.0.0.1:PORT`` is refused
  before anything else (a rebound name carries its own Host);
- a request that changes anything (POST) needs the session's CSRF token in the
  form and an Origin header that is the desk's own origin;
- every answer says ``Cache-Control: no-store`` and carries a Content-Security-Policy
  that allows nothing but the desk itself, with no inline script or style.
"""

from __future__ import annotations

import hmac
import secrets
import threading
from dataclasses import dataclass, field

SESSION_COOKIE = "office_desk"
CSRF_FIELD = "csrf"

# Nothing but the desk itself: its own stylesheet, its own forms; no script at all.
POLICY = {
    "default-src": "'none'",
    "style-src": "'self'",
    "img-src": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
    "base-uri": "'none'",
}
CONTENT_SECURITY_POLICY = "; ".join(f"{directive} {sources}" for directive, sources in POLICY.items())
HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "Cache-Control": "no-store",
    "Pragma": "no-cache",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",  # "no-referrer" would make a form post's Origin "null"
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
    "Permissions-Policy": ", ".join(f"{feature}=()" for feature in ("camera", "microphone", "geolocation", "usb")),
}


class Refused(Exception):
    """A request the desk does not serve; the message says why, Vietnamese first."""

    def __init__(self, message: str, status: int = 403) -> None:
        super().__init__(message)
        self.status = status


WRONG_HOST = (
    "Địa chỉ không đúng: cửa sổ làm việc chỉ mở tại địa chỉ mà lệnh office desk in ra / "
    "wrong address: the desk answers only at the address office desk printed"
)
NO_SESSION = (
    "Chưa có phiên làm việc: mở đúng địa chỉ mà lệnh office desk in ra (địa chỉ chỉ dùng được một lần; "
    "nếu đã dùng, chạy lại office desk) / no session: open the address office desk printed (it works once; "
    "if it was used, run office desk again)"
)
SPENT_ADDRESS = (
    "Địa chỉ này đã được dùng hoặc không đúng: mỗi địa chỉ mà office desk in ra chỉ mở được một lần. Chạy lại "
    "office desk để có địa chỉ mới / this address was used already or is wrong: run office desk again for a new one"
)
FOREIGN_POST = (
    "Yêu cầu không đến từ chính cửa sổ làm việc nên bị từ chối; không có gì thay đổi. Tải lại trang rồi làm lại "
    "/ the request did not come from the desk's own page and was refused; nothing changed. Reload the page and "
    "try again"
)


@dataclass
class Guard:
    """The desk's one session: the launch token until it is spent, then the session and its CSRF token."""

    port: int
    launch_token: str = field(default_factory=lambda: secrets.token_urlsafe(32))
    session: str | None = None
    csrf: str | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    @property
    def host(self) -> str:
        return f"127.0.0.1:{self.port}"

    @property
    def origin(self) -> str:
        return f"http://{self.host}"

    @property
    def launch_address(self) -> str:
        return f"{self.origin}/start/{self.launch_token}"

    def check_host(self, host: str | None) -> None:
        if host != self.host:
            raise Refused(WRONG_HOST, 421)

    def exchange(self, token: str) -> str:
        """Spend the launch token; the new session's cookie value. A second use, or a wrong token, is refused."""
        with self._lock:
            if self.session is not None or not hmac.compare_digest(token.encode(), self.launch_token.encode()):
                raise Refused(SPENT_ADDRESS)
            self.session = secrets.token_urlsafe(32)
            self.csrf = secrets.token_urlsafe(32)
            self.launch_token = ""
            return self.session

    def check_session(self, cookie: str | None) -> None:
        session = self.session
        if session is None or not cookie or not hmac.compare_digest(cookie.encode(), session.encode()):
            raise Refused(NO_SESSION)

    def check_change(self, origin: str | None, fetch_site: str | None, csrf: str | None) -> None:
        """A request that changes something: from the desk's own page, carrying the session's CSRF token."""
        if origin != self.origin or fetch_site not in (None, "same-origin"):
            raise Refused(FOREIGN_POST)
        if not csrf or self.csrf is None or not hmac.compare_digest(csrf.encode(), self.csrf.encode()):
            raise Refused(FOREIGN_POST)
