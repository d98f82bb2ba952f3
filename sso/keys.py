"""This service's key pair towards a company's provider: an RSA key and a self-signed
certificate made with ``cryptography`` at first use, kept per company (``ServiceKey``).
The provider may encrypt its assertions to the certificate; the key never leaves the
database except into a private temporary file that pysaml2's xmlsec1 reads (``key_files``)."""

import contextlib
import datetime
import functools
import os
import tempfile

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from django.db import IntegrityError, transaction

from sso.models import ServiceKey

YEARS = 10


def new_key_pair(common_name: str) -> tuple[str, str]:
    """(private key PEM, self-signed certificate PEM) valid for YEARS years."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name[:64])])
    now = datetime.datetime.now(datetime.timezone.utc)
    certificate = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
                   .serial_number(x509.random_serial_number())
                   .not_valid_before(now - datetime.timedelta(days=1))
                   .not_valid_after(now + datetime.timedelta(days=365 * YEARS))
                   .sign(key, hashes.SHA256()))
    key_pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                serialization.NoEncryption()).decode()
    return key_pem, certificate.public_bytes(serialization.Encoding.PEM).decode()


def service_key(tenant) -> ServiceKey:
    """The company's key pair, made (once, whoever asks first) when missing."""
    found = ServiceKey.objects.filter(tenant=tenant).first()
    if found is not None:
        return found
    key_pem, cert_pem = new_key_pair(f"netdekomon-sso-{tenant.code}")
    try:
        with transaction.atomic():
            return ServiceKey.objects.create(tenant=tenant, private_key=key_pem, certificate=cert_pem)
    except IntegrityError:  # a concurrent first use made it
        return ServiceKey.objects.get(tenant=tenant)


def certificate_body(pem: str) -> str:
    """The certificate's base64 without the PEM lines (as providers ask it pasted)."""
    return "".join(line for line in pem.strip().splitlines() if "-----" not in line)


@contextlib.contextmanager
def key_files(key: ServiceKey):
    """(key path, certificate path): private files for xmlsec1, removed afterwards."""
    folder = tempfile.mkdtemp(prefix="nk-sso-")
    paths = (os.path.join(folder, "sp.key"), os.path.join(folder, "sp.crt"))
    try:
        for path, text in zip(paths, (key.private_key, key.certificate)):
            with open(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "w") as file:
                file.write(text)
        yield paths
    finally:
        for path in paths:
            with contextlib.suppress(FileNotFoundError):
                os.remove(path)
        os.rmdir(folder)


def read_private_key_file(filename: str):
    """pysaml2's ``sigver.import_rsa_key_from_file``, parsing each key once per process.

    pysaml2 builds a new security context for every request (metadata, AuthnRequest,
    response) and loads the key file into it; loading a PEM makes OpenSSL check the RSA
    key's consistency, about 30 ms of CPU each time for a key that is ours and was checked
    when it was first loaded. The parsed key is kept by its PEM bytes: another company's
    key, or a new key after a rotation, is parsed (and checked) on its first use."""
    with open(filename, "rb") as file:
        return _parsed_private_key(file.read())


@functools.lru_cache(maxsize=256)
def _parsed_private_key(pem: bytes):
    return serialization.load_pem_private_key(pem, password=None)
