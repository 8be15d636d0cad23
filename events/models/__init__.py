"""The events app's models: reference data, organisers and fairs, their staff, generated documents."""

from .access import AccessLog
from .documents import GeneratedFile, generated_file_path
from .fairs import (
    BoothType,
    CategoryAlias,
    Event,
    EventStatusChange,
    FairDocumentRule,
    Organiser,
    ProgrammeItem,
    Zone,
)
from .fees import OrganiserBankAccount
from .reference import Category, Commune, DocumentType, Province, ProvinceAlias
from .teams import Membership

__all__ = [
    "AccessLog",
    "BoothType",
    "Category",
    "CategoryAlias",
    "Commune",
    "DocumentType",
    "Event",
    "EventStatusChange",
    "FairDocumentRule",
    "GeneratedFile",
    "Membership",
    "Organiser",
    "OrganiserBankAccount",
    "ProgrammeItem",
    "Province",
    "ProvinceAlias",
    "Zone",
    "generated_file_path",
]
