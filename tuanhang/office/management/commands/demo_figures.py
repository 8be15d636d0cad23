from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from tuanhang.kernel.commands import BaseCommand
from tuanhang.office.demo.figures import demo_figures


def _table(rows) -> list[str]:
    widths = [max(len(str(row[i])) for row in rows) for i in range(len(rows[0]))]
    lines = [
        "  ".join(str(cell).ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip() for row in rows
    ]
    lines.insert(1, "-" * len(lines[0]))
    return lines


class Command(BaseCommand):
    help = gettext_lazy(
        "Measure the seeded demo fair from its outputs: booths drawn inside each picture, booth codes on "
        "the A3 booth map, pages of a one-participant confirmation letter, and the OCOP figure on the "
        "reports page, the directory, the participant list and the closing report. Writes nothing; "
        "needs pdftotext (poppler-utils)."
    )

    def handle(self, *args, **options):
        figures = demo_figures()
        total = figures.booths
        pictures = [(_("Picture"), _("Booths inside"))]
        pictures += [(name, f"{n}/{total}") for name, n in figures.pictures.items()]
        pictures.append((_("A3 booth map PDF (booth codes)"), f"{figures.a3_codes}/{total}"))
        stars = lambda f, s: "–" if f.by_stars is None else f.by_stars.get(s, 0)  # noqa: E731
        ocop = [(_("Output"), _("OCOP participants"), "3★", "4★", "5★", _("OCOP products"))]
        ocop += [
            (
                name,
                f.businesses,
                stars(f, 3),
                stars(f, 4),
                stars(f, 5),
                "–" if f.products is None else f.products,
            )
            for name, f in figures.ocop.items()
        ]
        lines = [
            *_table(pictures),
            *(_("Problem on the A3 map: %(problem)s") % {"problem": p} for p in figures.a3_problems),
            "",
            ngettext(
                "One-participant confirmation letter (%(name)s): %(pages)s page",
                "One-participant confirmation letter (%(name)s): %(pages)s pages",
                figures.letter_pages,
            )
            % {"name": figures.letter_participant, "pages": figures.letter_pages},
            "",
            *_table(ocop),
        ]
        self.stdout.write("\n".join(lines))
