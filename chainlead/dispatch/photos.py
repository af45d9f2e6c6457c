"""Site photos: check, read the capture time, and re-encode.

Every uploaded photo is decoded with Pillow and written out again as a plain JPEG. That strips
EXIF (GPS position, phone model) and defeats polyglot files (an image that is also a script or an
archive): what is stored is only the pixels. The capture time is read from EXIF DateTimeOriginal
first, so the reporter does not have to type it.
"""

from __future__ import annotations

import datetime
import io
import uuid
import warnings
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils import timezone
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from chainlead.utilities.uploads import IMAGE_KINDS, validate_upload

MAX_PHOTO_BYTES = 20 * 1024 * 1024
#: Longest edge kept: enough to read a site sign, small enough for a phone upload and the board.
MAX_EDGE = 2560
JPEG_QUALITY = 85
EXIF_IFD = 0x8769
DATETIME_ORIGINAL = 0x9003
OFFSET_TIME_ORIGINAL = 0x9011
DATETIME = 0x0132


@dataclass
class ProcessedPhoto:
    content: ContentFile
    original_name: str
    captured_at: datetime.datetime | None
    width: int
    height: int


def _parse_exif_time(raw, offset=None) -> datetime.datetime | None:
    if not raw or not isinstance(raw, str):
        return None
    try:
        moment = datetime.datetime.strptime(raw.strip()[:19], "%Y:%m:%d %H:%M:%S")
    except ValueError:
        return None
    if isinstance(offset, str) and len(offset) == 6 and offset[0] in "+-":
        try:
            hours, minutes = int(offset[1:3]), int(offset[4:6])
            sign = 1 if offset[0] == "+" else -1
            tz = datetime.timezone(sign * datetime.timedelta(hours=hours, minutes=minutes))
            return moment.replace(tzinfo=tz)
        except ValueError:
            pass
    # Phones write local wall-clock time without a zone: the platform's zone (Asia/Shanghai).
    return timezone.make_aware(moment, timezone.get_current_timezone())


def exif_capture_time(image: Image.Image) -> datetime.datetime | None:
    """DateTimeOriginal (or the plain DateTime) of an opened image, timezone-aware."""
    try:
        exif = image.getexif()
    except Exception:  # a malformed EXIF block is not worth refusing the photo for
        return None
    if not exif:
        return None
    sub = exif.get_ifd(EXIF_IFD) if EXIF_IFD in exif else {}
    return _parse_exif_time(sub.get(DATETIME_ORIGINAL), sub.get(OFFSET_TIME_ORIGINAL)) or _parse_exif_time(
        exif.get(DATETIME)
    )


def process_photo(uploaded) -> ProcessedPhoto:
    """Validate an uploaded photo and return its re-encoded JPEG with the capture time found in it.

    Raises ``ValidationError`` with a plain Chinese message naming the file."""
    name = getattr(uploaded, "name", "") or "photo"
    validate_upload(uploaded, kinds=IMAGE_KINDS, max_bytes=MAX_PHOTO_BYTES)
    uploaded.seek(0)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(uploaded)
            image.load()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise ValidationError(_("照片“{}”像素过多（疑似恶意文件），已拒绝。").format(name))
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise ValidationError(_("文件“{}”无法作为图片打开（可能已损坏），请重新拍摄或选择。").format(name))
    captured = exif_capture_time(image)
    image = ImageOps.exif_transpose(image)
    if image.mode in ("RGBA", "LA", "P"):
        image = image.convert("RGBA")
        background = Image.new("RGB", image.size, (255, 255, 255))
        background.paste(image, mask=image.getchannel("A"))
        image = background
    elif image.mode != "RGB":
        image = image.convert("RGB")
    image.thumbnail((MAX_EDGE, MAX_EDGE))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=JPEG_QUALITY, optimize=True)  # no exif= : nothing carried over
    return ProcessedPhoto(
        content=ContentFile(out.getvalue(), name=f"{uuid.uuid4().hex[:16]}.jpg"),
        original_name=name[:200],
        captured_at=captured,
        width=image.width,
        height=image.height,
    )


def sample_jpeg(
    text: str = "",
    *,
    size=(320, 240),
    color=(70, 120, 160),
    taken: datetime.datetime | None = None,
) -> bytes:
    """A small generated site photo (demo and tests), optionally with EXIF DateTimeOriginal."""
    image = Image.new("RGB", size, color)
    # A few shapes so that it looks like something: ground, a building block, a crane.
    from PIL import ImageDraw

    draw = ImageDraw.Draw(image)
    w, h = size
    draw.rectangle([0, int(h * 0.7), w, h], fill=(150, 130, 100))
    draw.rectangle([int(w * 0.2), int(h * 0.35), int(w * 0.55), int(h * 0.7)], fill=(200, 200, 205))
    for row in range(3):
        y = int(h * (0.4 + row * 0.1))
        draw.line([int(w * 0.22), y, int(w * 0.53), y], fill=(120, 120, 130), width=2)
    draw.line([int(w * 0.75), int(h * 0.7), int(w * 0.75), int(h * 0.15)], fill=(240, 180, 0), width=4)
    draw.line([int(w * 0.55), int(h * 0.18), int(w * 0.95), int(h * 0.18)], fill=(240, 180, 0), width=3)
    if text:
        draw.text((8, 8), text, fill=(255, 255, 255))
    out = io.BytesIO()
    exif = Image.Exif()
    if taken is not None:
        exif[DATETIME] = taken.strftime("%Y:%m:%d %H:%M:%S")
        exif.get_ifd(EXIF_IFD)[DATETIME_ORIGINAL] = taken.strftime("%Y:%m:%d %H:%M:%S")
    image.save(out, "JPEG", quality=80, exif=exif)
    return out.getvalue()
