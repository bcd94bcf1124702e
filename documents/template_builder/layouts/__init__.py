"""The layouts of the shipped templates, by template name (the file documents/templates/<name>.docx).
Each module holds one form of document (приказ, справка, letter, …) and a layout per template."""

from . import certificates, decisions, iom, letters, orders, reports

LAYOUTS = {**orders.LAYOUTS, **iom.LAYOUTS, **certificates.LAYOUTS, **reports.LAYOUTS, **letters.LAYOUTS,
           **decisions.LAYOUTS}
