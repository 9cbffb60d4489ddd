"""The profile model (pydantic only: no I/O, no templates)."""

from cvrender.model.dates import DateRange, PartialDate
from cvrender.model.profile import SECTION_KEYS, Profile
from cvrender.model.publications import Author, Publication, PublicationList

__all__ = ["Author", "DateRange", "PartialDate", "Profile", "Publication", "PublicationList", "SECTION_KEYS"]
