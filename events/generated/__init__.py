"""Documents built from a fair's data and kept until that data changes (GeneratedFile), and
spreadsheet exports: the registry other apps plug into, the services that build, the staff pages
("In ấn": printing and exports) that hand them out. See registry.py for how to add a document."""

from .registry import (
    Builder,
    DefaultChoiceField,
    Export,
    OptionsForm,
    builders,
    exports,
    get_builder,
    get_export,
    register,
    register_export,
)

__all__ = [
    "Builder",
    "DefaultChoiceField",
    "Export",
    "OptionsForm",
    "builders",
    "exports",
    "get_builder",
    "get_export",
    "register",
    "register_export",
]
