"""Real SMTP servers on 127.0.0.1 for the mail tests: aiosmtpd with STARTTLS (a self-signed
certificate made here) and AUTH, one that refuses connections, one that drops them, one that
never answers."""

from __future__ import annotations

import contextlib
import datetime as dt
import ipaddress
import shutil
import socket
import subprocess
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

USER = "cqms-mailer"
PASSWORD = "s3cr3t-Smtp-Pässword"  # checked for absence in the database and the logs


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def make_certificate(folder: Path) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1 / localhost: (cert, key) PEM files."""
    cert, key = folder / "smtp-cert.pem", folder / "smtp-key.pem"
    try:
        from cryptography import x509
        from cryptography.hazmat.primitives import hashes, serialization
        from cryptography.hazmat.primitives.asymmetric import ec
        from cryptography.x509.oid import NameOID
    except ImportError:  # no cryptography: the openssl command line
        openssl = shutil.which("openssl")
        assert openssl, "neither cryptography nor openssl is available"
        subprocess.run(
            [openssl, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
             "-nodes", "-days", "2", "-subj", "/CN=localhost", "-keyout", str(key),
             "-out", str(cert), "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost"],
            check=True,
            capture_output=True,
        )  # fmt: skip
        return cert, key
    private = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    # The certificate's validity comes from the real clock: it is checked by OpenSSL, which
    # knows nothing of the program's (possibly shifted) test clock.
    start = dt.datetime.now(dt.UTC) - dt.timedelta(days=1)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(private.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(start + dt.timedelta(days=3))
        .add_extension(
            x509.SubjectAlternativeName(
                [x509.IPAddress(ipaddress.ip_address("127.0.0.1")), x509.DNSName("localhost")]
            ),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(private, hashes.SHA256())
    )
    cert.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key.write_bytes(
        private.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert, key


@dataclass
class Received:
    """One message as the server got it."""

    mail_from: str
    rcpt_tos: list[str]
    data: bytes

    @property
    def message(self) -> EmailMessage:
        return message_from_bytes(self.data, policy=policy.default)  # type: ignore[return-value]

    def pdf(self) -> bytes:
        parts = [p for p in self.message.iter_attachments()]
        assert len(parts) == 1, parts
        return parts[0].get_content()

    def text(self) -> str:
        body = self.message.get_body(("plain",))
        assert body is not None
        return body.get_content()


@dataclass
class Handler:
    """Keeps what arrives; refuses the addresses in ``refuse``."""

    received: list[Received] = field(default_factory=list)
    refuse: set[str] = field(default_factory=set)
    logins: list[str] = field(default_factory=list)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refuse:
            return "550 5.1.1 mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.received.append(
            Received(envelope.mail_from, list(envelope.rcpt_tos), bytes(envelope.content))
        )
        return "250 OK: queued"


def _authenticator(handler: Handler):
    def check(server, session, envelope, mechanism, auth_data):
        if not isinstance(auth_data, LoginPassword):
            return AuthResult(success=False, handled=False)
        ok = auth_data.login == USER.encode() and auth_data.password == PASSWORD.encode()
        if ok:
            handler.logins.append(auth_data.login.decode())
        return AuthResult(success=ok, handled=False)

    return check


@contextlib.contextmanager
def smtp_server(folder: Path) -> Iterator[tuple[int, Handler, Path]]:
    """An aiosmtpd server on 127.0.0.1 that requires STARTTLS and AUTH: (port, handler, the
    certificate to trust)."""
    import ssl

    cert, key = make_certificate(folder)
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(str(cert), str(key))
    handler = Handler()
    port = free_port()
    controller = Controller(
        handler,
        hostname="127.0.0.1",
        port=port,
        tls_context=context,
        require_starttls=True,
        authenticator=_authenticator(handler),
        auth_required=True,
        auth_require_tls=True,
    )
    controller.start()
    try:
        yield port, handler, cert
    finally:
        controller.stop()


@contextlib.contextmanager
def misbehaving_server(mode: str) -> Iterator[int]:
    """A server on 127.0.0.1 that ``drop``s the connection after EHLO or is ``silent`` (never
    greets); stops with the block."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(5)
    listener.settimeout(0.2)
    stop = threading.Event()
    held: list[socket.socket] = []

    def serve() -> None:
        while not stop.is_set():
            try:
                conn, _ = listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            if mode == "silent":
                held.append(conn)
                continue
            with conn:
                conn.sendall(b"220 drop.test ESMTP\r\n")
                conn.settimeout(5)
                with contextlib.suppress(OSError):
                    conn.recv(1024)  # EHLO
                    conn.sendall(b"250-drop.test\r\n250 AUTH PLAIN LOGIN\r\n")
                    conn.recv(1024)  # the next command: gone without an answer

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield int(listener.getsockname()[1])
    finally:
        stop.set()
        thread.join(5)
        listener.close()
        for conn in held:
            conn.close()
