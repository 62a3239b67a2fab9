"""The portal's models live in their rooms (public/: the press release); this module names them for Django."""

from leitai.portal.public.models import PressRelease

__all__ = ["PressRelease"]
