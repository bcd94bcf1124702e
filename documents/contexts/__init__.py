"""Context builders of the shipped document kinds (DOMAIN-DOCUMENTS §2.3, DOC-1…DOC-7). Each
module registers its KindSpec: required fields, the builder and invented sample data."""

from . import certificates, iom, monitoring, notices, orders  # noqa: F401
