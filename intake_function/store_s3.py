"""The S3 implementation of the store (boto3), kept apart so that boto3 is imported only here.

Configuration is boto3's own: credentials and region from the usual AWS
variables, files or the Lambda role, and ``AWS_ENDPOINT_URL_S3`` (or
``AWS_ENDPOINT_URL``) for an S3-compatible provider.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

import boto3
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError, NoCredentialsError, NoRegionError, PartialCredentialsError

from .store import (
    COPY_BUFFER,
    ObjectExists,
    ObjectInfo,
    ObjectMissing,
    StoreError,
    StoreRefused,
    check_key,
    copy_bounded,
    exclusive_file,
)

# Spool uploads in memory up to this size, then on disk, so a 200 MiB stream never sits in RAM.
SPOOL_IN_MEMORY = 8 * 1024 * 1024
# S3 answers that stay the same until someone changes a setting: retrying later does not help.
REFUSALS = {
    "AccessDenied": ("khóa truy cập không có quyền này", "the access key lacks this permission"),
    "AllAccessDisabled": ("bucket đã bị khóa", "all access to the bucket is disabled"),
    "InvalidAccessKeyId": ("khóa truy cập không tồn tại", "the access key id does not exist"),
    "SignatureDoesNotMatch": ("khóa bí mật truy cập không đúng", "the secret access key is wrong"),
    "ExpiredToken": ("khóa truy cập tạm thời đã hết hạn", "the temporary credentials expired"),
    "NoSuchBucket": ("bucket không tồn tại: kiểm tra OFFICE_STORE", "no such bucket: check OFFICE_STORE"),
}


class S3Store:
    def __init__(self, bucket: str, prefix: str = "", sse: str | None = "AES256") -> None:
        self.bucket = bucket
        self.prefix = f"{prefix}/" if prefix else ""
        self.url = f"s3://{bucket}/{prefix}".rstrip("/")
        self._sse = {"ServerSideEncryption": sse} if sse else {}
        self._sse_fields = {"x-amz-server-side-encryption": sse} if sse else {}
        self._client = boto3.client(
            "s3",
            config=Config(
                retries={"max_attempts": 3, "mode": "standard"},
                connect_timeout=5,
                read_timeout=30,
                signature_version="s3v4",
            ),
        )

    @property
    def client(self):
        return self._client

    def full_key(self, key: str) -> str:
        return self.prefix + check_key(key)

    def _fail(self, action: str, key: str, exc: Exception) -> StoreError:
        where = f"S3 {action} {key}, bucket {self.bucket}"
        if isinstance(exc, NoCredentialsError | PartialCredentialsError):
            return StoreRefused(
                f"không có khóa truy cập S3 trên máy này ({where}): cán bộ công nghệ thông tin cài khóa truy cập "
                "(AWS_PROFILE, AWS_ACCESS_KEY_ID...) / no S3 credentials on this computer: the IT staff set them up"
            )
        if isinstance(exc, NoRegionError):
            return StoreRefused(f"chưa đặt vùng AWS ({where}) / no AWS region: set AWS_DEFAULT_REGION")
        if isinstance(exc, ClientError):
            error = exc.response.get("Error", {})
            code = error.get("Code", "?")
            if code in REFUSALS:
                vi, en = REFUSALS[code]
                return StoreRefused(f"kho từ chối ({where}): {vi} / the store refused it ({code}): {en}")
            detail = f"{code}: {error.get('Message', '')}".strip()
        else:
            detail = type(exc).__name__
        return StoreError(f"không kết nối được kho / the store failed ({where}: {detail})")

    def put(self, key: str, data: bytes) -> None:
        try:
            self._client.put_object(Bucket=self.bucket, Key=self.full_key(key), Body=data, **self._sse)
        except (BotoCoreError, ClientError) as exc:
            raise self._fail("write", key, exc) from None

    def create(self, key: str, data: bytes) -> bool:
        try:
            self._client.put_object(Bucket=self.bucket, Key=self.full_key(key), Body=data, IfNoneMatch="*", **self._sse)
            return True
        except ClientError as exc:
            status = exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode")
            if status == 412:
                return False
            raise self._fail("conditional write", key, exc) from None
        except BotoCoreError as exc:
            raise self._fail("conditional write", key, exc) from None

    def put_stream(self, key: str, source: BinaryIO, max_bytes: int) -> int:
        with tempfile.SpooledTemporaryFile(max_size=SPOOL_IN_MEMORY) as spool:
            size = copy_bounded(source, spool, max_bytes)
            spool.seek(0)
            try:
                self._client.put_object(
                    Bucket=self.bucket,
                    Key=self.full_key(key),
                    Body=spool,
                    ContentLength=size,
                    IfNoneMatch="*",
                    **self._sse,
                )
            except ClientError as exc:
                if exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode") == 412:
                    raise ObjectExists(key) from None
                raise self._fail("write", key, exc) from None
            except BotoCoreError as exc:
                raise self._fail("write", key, exc) from None
        return size

    def upload_slot(self, key: str, size: int, ttl: int) -> dict:
        """A presigned POST for exactly one object: this key, this size, this type, encrypted at rest.

        S3 enforces the policy: a different key, a byte more or less, another
        content type or a missing encryption header is refused by S3 itself.
        """
        fields = {"Content-Type": "application/octet-stream", **self._sse_fields}
        conditions = [["content-length-range", size, size], *({k: v} for k, v in fields.items())]
        try:
            post = self._client.generate_presigned_post(
                Bucket=self.bucket, Key=self.full_key(key), Fields=fields, Conditions=conditions, ExpiresIn=ttl
            )
        except (BotoCoreError, ClientError) as exc:
            raise self._fail("upload slot", key, exc) from None
        return {"method": "POST", "url": post["url"], "fields": post["fields"]}

    def _get_object(self, key: str):
        try:
            return self._client.get_object(Bucket=self.bucket, Key=self.full_key(key))
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") in ("NoSuchKey", "404"):
                raise ObjectMissing(key) from None
            raise self._fail("read", key, exc) from None
        except BotoCoreError as exc:
            raise self._fail("read", key, exc) from None

    def get(self, key: str) -> bytes:
        response = self._get_object(key)
        try:
            return response["Body"].read()
        except BotoCoreError as exc:
            raise self._fail("read", key, exc) from None

    def download(self, key: str, target: BinaryIO) -> int:
        response = self._get_object(key)
        total = 0
        try:
            for chunk in response["Body"].iter_chunks(COPY_BUFFER):
                target.write(chunk)
                total += len(chunk)
        except BotoCoreError as exc:
            raise self._fail("read", key, exc) from None
        return total

    def fetch(self, key: str, path: Path) -> int:
        with exclusive_file(path) as target:
            return self.download(key, target)

    def list(self, prefix: str) -> Iterator[ObjectInfo]:
        paginator = self._client.get_paginator("list_objects_v2")
        try:
            for page in paginator.paginate(Bucket=self.bucket, Prefix=self.prefix + prefix):
                for item in page.get("Contents", []):
                    yield ObjectInfo(item["Key"][len(self.prefix) :], item["Size"])
        except (BotoCoreError, ClientError) as exc:
            raise self._fail("listing", prefix, exc) from None

    def delete_many(self, keys: list[str]) -> None:
        for start in range(0, len(keys), 1000):  # the S3 API's limit per request
            chunk = keys[start : start + 1000]
            try:
                response = self._client.delete_objects(
                    Bucket=self.bucket,
                    Delete={"Objects": [{"Key": self.full_key(k)} for k in chunk], "Quiet": True},
                )
            except (BotoCoreError, ClientError) as exc:
                raise self._fail("delete", f"{len(chunk)} objects", exc) from None
            errors = response.get("Errors", [])
            if errors:
                first = errors[0]
                raise StoreError(
                    f"không xóa được / S3 delete failed: {first.get('Key')}, bucket {self.bucket} ({first.get('Code')})"
                )

    def delete(self, key: str) -> None:
        try:
            self._client.delete_object(Bucket=self.bucket, Key=self.full_key(key))
        except (BotoCoreError, ClientError) as exc:
            raise self._fail("delete", key, exc) from None
