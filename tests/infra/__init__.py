"""Deployment: the AWS template, the Lambda zip, other runtimes and the IT staff guide."""
