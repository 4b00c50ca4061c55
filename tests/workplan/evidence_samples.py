"""Small files of each kind, built in memory, for evidence upload tests."""

import io
import struct
import zipfile
import zlib

from django.core.files.uploadedfile import SimpleUploadedFile

PDF_BYTES = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def png_bytes() -> bytes:
    def chunk(kind, data):
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)
    pixels = zlib.compress(b"\x00\x00")
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


def ooxml_bytes(main_part: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
            f'content-types"><Override PartName="/main.xml" ContentType="{main_part}"/></Types>',
        )
        archive.writestr("main.xml", "<x/>")
    return buffer.getvalue()


DOCX_PART = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
XLSX_PART = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
PPTX_PART = "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml"


def ole2_bytes(stream_name: str) -> bytes:
    """Return a (minimal, not openable) compound file whose directory names `stream_name`."""
    header = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504
    directory = "Root Entry".encode("utf-16-le").ljust(128, b"\x00")
    directory += stream_name.encode("utf-16-le").ljust(128, b"\x00")
    return header + b"\xff" * 512 + directory


def upload(name: str, content: bytes, content_type: str = "application/octet-stream"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def pdf(name: str = "minutes.pdf"):
    return upload(name, PDF_BYTES, "application/pdf")
