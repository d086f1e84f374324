"""Start a private Virtuoso 7 on loopback for the external-store tests, and stop it by its pid."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

BINARY = shutil.which("virtuoso-t")
VSP = Path("/var/lib/virtuoso-opensource-7/vsp")

INI = """[Database]
DatabaseFile = {d}/virtuoso.db
ErrorLogFile = {d}/virtuoso.log
LockFile = {d}/virtuoso.lck
TransactionFile = {d}/virtuoso.trx
xa_persistent_file = {d}/virtuoso.pxa
ErrorLogLevel = 7
FileExtend = 200
MaxCheckpointRemap = 2000
Striping = 0
TempStorage = TempDatabase

[TempDatabase]
DatabaseFile = {d}/virtuoso-temp.db
TransactionFile = {d}/virtuoso-temp.trx
MaxCheckpointRemap = 2000
Striping = 0

[Parameters]
ServerPort = 127.0.0.1:{sql}
DisableUnixSocket = 1
DisableTcpSocket = 0
MaxClientConnections = 10
CheckpointInterval = 60
CaseMode = 2
DirsAllowed = ., {d}
NumberOfBuffers = {buffers}
MaxDirtyBuffers = {dirty}
ThreadsPerQuery = 2

[HTTPServer]
ServerPort = 127.0.0.1:{http}
ServerRoot = {vsp}
MaxClientConnections = 10
DavRoot = DAV
EnabledDavVSP = 0
HTTPProxyEnabled = 0
ServerThreads = 10
Charset = UTF-8

[SPARQL]
ResultSetMaxRows = {max_rows}
MaxQueryExecutionTime = {max_time}
MaxQueryCostEstimationTime = {max_cost}
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Virtuoso:
    """A Virtuoso server with its own config, database and log in ``directory``."""

    def __init__(
        self,
        directory: Path,
        buffers: int = 10000,
        max_rows: int = 100000,
        max_time: int = 120,
        max_cost: int | None = None,
    ) -> None:
        """``buffers`` of 8 KB each: the tests' 80 MB; a corpus of millions of triples wants gigabytes.

        ``max_cost``: the seconds of estimated execution past which Virtuoso refuses a query
        before running it (0: never refuses on the estimate; None: at least ``max_time``).
        """
        self.dir = directory
        self.buffers = buffers
        self.max_rows = max_rows
        self.max_time = max_time
        self.max_cost = max(400, max_time) if max_cost is None else max_cost
        self.http = free_port()
        self.sql = free_port()
        self.proc: subprocess.Popen[bytes] | None = None

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.http}"

    @property
    def sparql(self) -> str:
        return f"{self.base}/sparql"

    @property
    def sparql_auth(self) -> str:
        return f"{self.base}/sparql-auth"

    @property
    def graph_store(self) -> str:
        return f"{self.base}/sparql-graph-crud-auth"

    def start(self, timeout: float = 60) -> None:
        if BINARY is None:
            raise RuntimeError("virtuoso-t not found (Debian package virtuoso-opensource)")
        self.dir.mkdir(parents=True, exist_ok=True)
        ini = self.dir / "virtuoso.ini"
        ini.write_text(
            INI.format(
                d=self.dir,
                sql=self.sql,
                http=self.http,
                vsp=VSP,
                buffers=self.buffers,
                dirty=self.buffers * 3 // 5,
                max_rows=self.max_rows,
                max_time=self.max_time,
                max_cost=self.max_cost,
            ),
            encoding="utf-8",
        )
        # +foreground keeps it our child, so we stop it by its pid.
        self.proc = subprocess.Popen(
            [BINARY, "+configfile", str(ini), "+foreground"],
            cwd=self.dir,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"virtuoso exited: {self.log()[-2000:]}")
            try:
                with urllib.request.urlopen(f"{self.sparql}?query=ASK%7B%7D", timeout=2) as r:
                    if r.status == 200:
                        return
            except OSError:
                time.sleep(0.3)
        self.stop()
        raise RuntimeError(f"virtuoso did not answer within {timeout} s: {self.log()[-2000:]}")

    def log(self) -> str:
        path = self.dir / "virtuoso.log"
        return path.read_text(errors="replace") if path.exists() else ""

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()
        self.proc = None
