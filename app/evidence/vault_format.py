"""The framed, chunked AES-256-GCM format of a vault file (version 1).

Layout (all integers big-endian)::

    header (34 bytes)
        magic        4  b"FAEV"
        version      1  1
        flags        1  0 (reserved)
        chunk_size   4  plaintext bytes per chunk (every chunk but the last is full)
        salt        16  random; file key = HKDF-SHA256(vault key, salt, "fieldaudit/vault/file/v1")
        nonce_prefix 8  random
    chunk 0 .. n-1
        ciphertext || 16-byte tag  (chunk_size + 16 bytes, the last one may be shorter)

Chunk ``i`` is sealed with nonce ``nonce_prefix || uint32(i)`` and associated data
``header || final_flag || context``, where ``final_flag`` is 1 only on the last chunk and
``context`` is chosen by the caller (empty for evidence, ``thumb:<sha256>`` for a thumbnail).
So a changed byte anywhere (header included), a moved chunk, a dropped tail or an appended
chunk all fail authentication.  Each file has its own key (random salt), so nonces never
repeat under one key however many files the vault holds.  Memory stays at a few chunks.
"""

from __future__ import annotations

import os
import struct
from collections.abc import Callable, Iterator
from typing import BinaryIO

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from app.i18n import N_

MAGIC = b"FAEV"
VERSION = 1
CHUNK_SIZE = 1 << 20
MAX_CHUNK_SIZE = 1 << 24
TAG_BYTES = 16
HEADER = struct.Struct(">4sBBI16s8s")
VAULT_INFO = b"fieldaudit/vault/v1"
FILE_INFO = b"fieldaudit/vault/file/v1"
_MAX_CHUNKS = 1 << 32


class VaultFormatError(Exception):
    """The bytes are not an intact vault file; ``args[0]`` says which check failed (an ``N_`` id)."""


def derive_vault_key(data_key: bytes) -> bytes:
    """The vault key: HKDF of the profile's data key with an ``info`` the database never uses."""
    if len(data_key) != 32:
        raise ValueError("data key must be 32 bytes")
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=VAULT_INFO).derive(data_key)


def _file_cipher(vault_key: bytes, salt: bytes) -> AESGCM:
    key = HKDF(algorithm=hashes.SHA256(), length=32, salt=salt, info=FILE_INFO).derive(vault_key)
    return AESGCM(key)


def ciphertext_size(plain_size: int, chunk_size: int = CHUNK_SIZE) -> int:
    chunks = max(1, -(-plain_size // chunk_size))
    return HEADER.size + plain_size + chunks * TAG_BYTES


def read_full(source: BinaryIO, size: int) -> bytes:
    """Read ``size`` bytes unless the stream ends first (pipes may return short reads)."""
    data = source.read(size)
    if len(data) == size or not data:
        return data
    parts = [data]
    got = len(data)
    while got < size:
        more = source.read(size - got)
        if not more:
            break
        parts.append(more)
        got += len(more)
    return b"".join(parts)


class Sealer:
    """Seals one file's chunks in order; ``header`` is written first."""

    def __init__(self, vault_key: bytes, context: bytes = b"", chunk_size: int = CHUNK_SIZE) -> None:
        if not 0 < chunk_size <= MAX_CHUNK_SIZE:
            raise ValueError("chunk size out of range")
        salt, prefix = os.urandom(16), os.urandom(8)
        self.chunk_size = chunk_size
        self.header = HEADER.pack(MAGIC, VERSION, 0, chunk_size, salt, prefix)
        self._cipher = _file_cipher(vault_key, salt)
        self._prefix = prefix
        self._context = context
        self._counter = 0
        self._done = False

    def seal(self, chunk: bytes, *, final: bool) -> bytes:
        if self._done:
            raise ValueError("the final chunk was already sealed")
        if self._counter >= _MAX_CHUNKS:
            raise ValueError("file too large for one vault file")
        nonce = self._prefix + self._counter.to_bytes(4, "big")
        aad = self.header + (b"\x01" if final else b"\x00") + self._context
        self._counter += 1
        self._done = final
        return self._cipher.encrypt(nonce, chunk, aad)


def encrypt_stream(source: BinaryIO, sink: BinaryIO, vault_key: bytes, *, context: bytes = b"",
                   observe: Callable[[bytes], None] | None = None,
                   chunk_size: int = CHUNK_SIZE) -> int:
    """Encrypt ``source`` into ``sink``; ``observe`` sees each plaintext chunk (hashing, progress,
    cancellation).  Returns the number of plaintext bytes."""
    sealer = Sealer(vault_key, context, chunk_size)
    sink.write(sealer.header)
    total = 0
    current = read_full(source, chunk_size)
    while True:
        # One chunk of look-ahead tells whether the current chunk is the last.
        following = read_full(source, chunk_size) if len(current) == chunk_size else b""
        final = not following
        if observe is not None:
            observe(current)
        sink.write(sealer.seal(current, final=final))
        total += len(current)
        if final:
            return total
        current = following


def encrypt_bytes(data: bytes, vault_key: bytes, *, context: bytes = b"") -> bytes:
    import io

    out = io.BytesIO()
    encrypt_stream(io.BytesIO(data), out, vault_key, context=context)
    return out.getvalue()


def decrypt_stream(source: BinaryIO, vault_key: bytes, *, context: bytes = b"") -> Iterator[bytes]:
    """Yield the plaintext chunk by chunk; raise :class:`VaultFormatError` at the first bad byte.

    Data yielded before an error is authentic but incomplete: callers that write it out must
    keep it in a temporary file until the iterator ends normally.
    """
    header = read_full(source, HEADER.size)
    if len(header) < HEADER.size:
        raise VaultFormatError(N_("the file is truncated"))
    magic, version, flags, chunk_size, salt, prefix = HEADER.unpack(header)
    if magic != MAGIC:
        raise VaultFormatError(N_("not a vault file"))
    if version != VERSION:
        raise VaultFormatError(N_("unknown vault format version"))
    if flags != 0 or not 0 < chunk_size <= MAX_CHUNK_SIZE:
        raise VaultFormatError(N_("damaged header"))
    cipher = _file_cipher(vault_key, salt)
    frame = chunk_size + TAG_BYTES
    counter = 0
    current = read_full(source, frame)
    if len(current) < TAG_BYTES:
        raise VaultFormatError(N_("the file is truncated"))
    while True:
        following = read_full(source, frame) if len(current) == frame else b""
        final = not following
        if counter >= _MAX_CHUNKS:
            raise VaultFormatError(N_("damaged header"))
        nonce = prefix + counter.to_bytes(4, "big")
        aad = header + (b"\x01" if final else b"\x00") + context
        try:
            plain = cipher.decrypt(nonce, current, aad)
        except InvalidTag:
            raise VaultFormatError(N_("a block failed authentication")) from None
        yield plain
        if final:
            return
        if len(following) < TAG_BYTES:
            raise VaultFormatError(N_("the file is truncated"))
        counter += 1
        current = following
