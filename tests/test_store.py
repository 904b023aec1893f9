"""One suite, two stores: a folder and S3 (moto's server over HTTP on loopback)."""

from __future__ import annotations

import io
import subprocess
import sys
import threading

import pytest

from intake_function.store import FileStore, ObjectMissing, ObjectTooLarge, StoreError, open_store


def test_put_get_list_delete(store):
    store.put("inbox/a.age", b"one")
    store.put("inbox/b.age", b"two")
    store.put("attachments/c.age", b"three")
    store.put("inbox/a.age", b"one again")
    assert store.get("inbox/a.age") == b"one again"
    assert [(i.key, i.size) for i in store.list("inbox/")] == [("inbox/a.age", 9), ("inbox/b.age", 3)]
    assert [i.key for i in store.list("")] == ["attachments/c.age", "inbox/a.age", "inbox/b.age"]
    store.delete("inbox/a.age")
    store.delete("inbox/a.age")  # deleting twice is not an error
    with pytest.raises(ObjectMissing):
        store.get("inbox/a.age")
    assert [i.key for i in store.list("inbox/")] == ["inbox/b.age"]


def test_create_is_if_absent(store):
    assert store.create("pow/marker", b"1") is True
    assert store.create("pow/marker", b"2") is False
    assert store.get("pow/marker") == b"1"


def test_create_race_has_exactly_one_winner(store):
    winners = []
    barrier = threading.Barrier(8)

    def attempt(n: int) -> None:
        barrier.wait()
        if store.create("pow/raced", str(n).encode()):
            winners.append(n)

    threads = [threading.Thread(target=attempt, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(winners) == 1
    assert store.get("pow/raced") == str(winners[0]).encode()


def test_streams_with_a_bound_and_leaves_nothing_when_over(store):
    data = bytes(range(256)) * 4096
    assert store.put_stream("attachments/big.age", io.BytesIO(data), max_bytes=len(data)) == len(data)
    sink = io.BytesIO()
    assert store.download("attachments/big.age", sink) == len(data)
    assert sink.getvalue() == data
    with pytest.raises(ObjectTooLarge):
        store.put_stream("attachments/too-big.age", io.BytesIO(data + b"x"), max_bytes=len(data))
    assert [i.key for i in store.list("attachments/")] == ["attachments/big.age"]


@pytest.mark.parametrize("key", ["../escape", "/abs", "inbox/../../x", "", "inbox/", "a b", "inbox/\x00"])
def test_unsafe_keys_are_refused(store, key):
    with pytest.raises(ValueError):
        store.put(key, b"x")


def test_folder_store_leaves_no_temporary_files(tmp_path):
    store = open_store((tmp_path / "s").as_uri())
    for n in range(20):
        store.put(f"inbox/{n}.age", b"x" * n)
        store.create(f"pow/{n}", b"")
    assert list((tmp_path / "s" / ".tmp").iterdir()) == []


def test_adopting_a_second_link_to_an_object_already_in_place_leaves_no_temporary_file(tmp_path):
    """A pull killed after storing an attachment fetches it again: the same remote file, linked twice."""
    remote, local = FileStore(tmp_path / "remote"), FileStore(tmp_path / "local")
    remote.put("attachments/a.age", b"age-encryption.org/v1 ...")
    for _ in range(2):
        temp = local.temporary_name()
        remote.fetch("attachments/a.age", temp)
        local.put_many([("attachments/a.age", temp)])
    assert local.get("attachments/a.age") == b"age-encryption.org/v1 ..."
    assert list((tmp_path / "local" / ".tmp").iterdir()) == []


def test_s3_requests_server_side_encryption(moto_endpoint):
    import boto3

    from tests.conftest import new_bucket

    bucket = new_bucket(moto_endpoint)
    store = open_store(f"s3://{bucket}/pre")
    store.put("inbox/x.age", b"x")
    store.create("inbox/y.age", b"y")
    client = boto3.client("s3", endpoint_url=moto_endpoint)
    for key in ("pre/inbox/x.age", "pre/inbox/y.age"):
        assert client.head_object(Bucket=bucket, Key=key)["ServerSideEncryption"] == "AES256"
    plain = open_store(f"s3://{bucket}/other?sse=none")
    plain.put("inbox/z.age", b"z")
    assert "ServerSideEncryption" not in client.head_object(Bucket=bucket, Key="other/inbox/z.age")


def test_unreachable_s3_is_a_store_error(aws_env, monkeypatch):
    monkeypatch.setenv("AWS_ENDPOINT_URL_S3", "http://127.0.0.1:9")
    store = open_store("s3://reports-nowhere/x")
    with pytest.raises(StoreError, match="reports-nowhere"):
        store.put("inbox/a.age", b"x")


@pytest.mark.parametrize(
    "url",
    ["ftp://x", "file://relative/path", "s3://", "s3://b/p?sse=rot13", "s3://b/p?color=red", "file:///x?y=1"],
)
def test_bad_store_urls_are_explained(url):
    with pytest.raises(ValueError, match=r"store|sse|option|file"):
        open_store(url)


def test_folder_store_does_not_import_boto3(tmp_path):
    code = (
        "import sys; from intake_function.store import open_store; "
        f"open_store({(tmp_path / 's').as_uri()!r}).put('inbox/a.age', b'x'); "
        "assert 'boto3' not in sys.modules and 'botocore' not in sys.modules"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
