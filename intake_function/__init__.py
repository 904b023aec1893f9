"""The intake function: receives encrypted reports and stores them in the object store.

``create_app`` builds the WSGI app; ``lambda_handler.handler`` serves it on AWS
Lambda; ``python -m intake_function`` serves it locally on 127.0.0.1.
"""

from .app import create_app

__all__ = ["create_app"]
