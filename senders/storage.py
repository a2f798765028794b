"""Writing Braze's storage files: Avro bytes, to a folder or to an S3-compatible store.

The core (``simulator.delivery.storage``) decides keys and when a file is complete; here a file
becomes bytes once (``encode``) and is written whole: to a folder under a temporary name renamed
when complete (a reader never sees half a file), or with one ``put_object`` (boto3; any endpoint:
AWS, MinIO, moto). Bytes are a function of the file alone: no codec (Braze's samples use none)
and a sync marker derived from the key below the prefix, so the same events give the same bytes
in every store.
"""

from __future__ import annotations

import hashlib
import io
import os
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from fastavro import parse_schema, writer

from simulator.delivery.storage import StorageFile
from simulator.generator.avro import avro_schema


@cache
def _schema(event_type: str) -> Any:
    return parse_schema(avro_schema(event_type))


def encode(file: StorageFile) -> bytes:
    """The Avro container bytes of ``file`` (the schema of its type, its records in order)."""
    buffer = io.BytesIO()
    marker = hashlib.sha256(file.path.encode()).digest()[:16]
    writer(buffer, _schema(file.event_type), file.records, sync_marker=marker)
    return buffer.getvalue()


class DirStore:
    """Files under ``root``: written to ``.<name>.tmp`` beside the target, then renamed."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def put(self, file: StorageFile) -> str | None:
        target = self.root / file.key
        temporary = target.with_name(f".{target.name}.tmp")
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            temporary.write_bytes(encode(file))
            os.replace(temporary, target)
        except OSError as exc:
            temporary.unlink(missing_ok=True)
            return f"{target}: {exc.strerror or exc}"
        return None


def parse_s3_url(url: str) -> tuple[str, str]:
    """``s3://bucket/some/prefix`` -> (``bucket``, ``some/prefix``); ValueError otherwise."""
    parts = urlsplit(url)
    if parts.scheme != "s3" or not parts.netloc:
        raise ValueError(f"not an s3://bucket/prefix URL: {url!r}")
    return parts.netloc, parts.path.strip("/")


class S3Store:
    """Objects in ``bucket`` through a boto3 S3 client (the key holds the prefix)."""

    def __init__(self, client: Any, bucket: str) -> None:
        self.client, self.bucket = client, bucket

    def check(self) -> str | None:
        """Why the bucket cannot be written to (None: it can be reached)."""
        from botocore.exceptions import BotoCoreError, ClientError

        try:
            self.client.head_bucket(Bucket=self.bucket)
        except (BotoCoreError, ClientError) as exc:
            return str(exc)
        return None

    def put(self, file: StorageFile) -> str | None:
        from botocore.exceptions import BotoCoreError, ClientError

        try:
            self.client.put_object(Bucket=self.bucket, Key=file.key, Body=encode(file))
        except (BotoCoreError, ClientError) as exc:
            return str(exc)
        return None


def s3_client(endpoint_url: str | None) -> Any:
    """A boto3 S3 client (credentials and region from the usual AWS chain)."""
    import boto3

    return boto3.client("s3", endpoint_url=endpoint_url)
