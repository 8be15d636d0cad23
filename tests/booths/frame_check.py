"""Read pictures and prints of the booth map back, to check that every booth is inside the frame and
that the legend, scale bar and title block cover none (issue 19 item 1). The readers live in the code
base (manage.py demo_figures measures with them too); this module keeps the tests' names for them."""

from booths.printing.measure import CONTINUED, codes_on_map_pages, sheet_windows
from booths.svg.measure import SvgFrame, svg_frame
from tuanhang.kernel.pdf.readback import Box, PdfPage, pdf_pages

__all__ = ["CONTINUED", "Box", "PdfPage", "SvgFrame", "codes_on_map_pages", "pdf_pages", "sheet_windows", "svg_frame"]
