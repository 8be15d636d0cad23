"""Importing WeasyPrint safely, for the renderer and the URL fetcher alike."""

import logging


def import_weasyprint():
    """WeasyPrint, imported without its side effects on the rest of the process: its import sets
    Pillow's ImageFile.LOAD_TRUNCATED_IMAGES for everyone, which would let a truncated upload
    pass tuanhang.kernel.uploads' checks, so the flag is put back; and its layout steps, logged at INFO,
    are kept out of the log (its warnings, a refused URL…, still show)."""
    from PIL import ImageFile

    before = ImageFile.LOAD_TRUNCATED_IMAGES
    import weasyprint

    ImageFile.LOAD_TRUNCATED_IMAGES = before
    logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)
    return weasyprint
