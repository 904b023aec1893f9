"""The intake function: receives encrypted reports and stores them in the object store.

``create_app`` builds the WSGI app; ``lambda_handler.handler`` serves it on AWS
Lambda; ``python -m intake_function`` serves it locally on 127.0.0.1.
"""

from typing import TYPE_CHECKING, Any

__all__ = ["create_app"]

if TYPE_CHECKING:
    from .app import create_app


def __getattr__(name: str) -> Any:
    # Flask is imported only by those who build the app: the Office's tool uses the contract
    # modules (envelope, report, store) and should not pay Flask's import time on every command.
    if name == "create_app":
        from .app import create_app

        return create_app
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
