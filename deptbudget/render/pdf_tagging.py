"""A tagged PDF from ReportLab: marked content and the structure tree (issue 16, "tagged PDF with document
structure").

ReportLab writes no structure of its own. This module adds it the way the PDF standard describes
(ISO 32000-1 §14.7–14.8): every piece of real content is drawn inside ``/Role <</MCID n>> BDC … EMC``
and belongs to a structure element; page furniture (the 第 N 页 footer, table rules and shading, a
table header repeated on a following page, the contents' dot leaders and page numbers) is drawn inside
``/Artifact BMC … EMC``. At the end the tree is written: ``/StructTreeRoot`` with the ``Document``
element, its kids in reading order (H1 for parts and 附表, H2 for sections and table titles, P for
paragraphs and notes, Figure with its alt text for the charts, Caption, TOC/TOCI for the contents,
Table/TR/TH/TD for the tables), the ``/ParentTree`` from each page's marked content back to its
elements, ``/MarkInfo << /Marked true >>`` and each page's ``/StructParents`` and ``/Tabs /S``.

The pieces:

- :class:`TaggedCanvas` (a ReportLab ``Canvas``) holds the :class:`StructureTree` and writes it on save;
  ``BaseDocTemplate.build(story, canvasmaker=TaggedCanvas)``.
- :class:`TaggedParagraph` (every ``pdf_styles.para``) marks itself as the role of its style; the parts
  of a paragraph split over two pages stay one element.
- :class:`TableTags` is the ``renderCB`` of a ReportLab ``Table``: TR/TH/TD for the cells, artifacts
  for rules, shading and repeated header rows; the pieces of a table split over pages stay one Table.

On any other canvas (the forms' PDFs, a test's plain ``Canvas``) nothing is marked.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from reportlab.pdfbase.pdfdoc import PDFArray, PDFDictionary, PDFName, PDFPage, PDFString
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Paragraph

# paragraph style name (pdf_styles.Styles) → structure role; any other style (cells, notes, body) is P
STYLE_ROLES = {"part": "H1", "section": "H2", "table_title": "H2", "caption": "Caption"}


@dataclass(eq=False)
class Element:
    """A structure element: its role, parent, and kids in reading order — elements or marked content
    (page index, MCID)."""

    role: str
    parent: Element | None
    kids: list[Element | tuple[int, int]] = field(default_factory=list)
    alt: str | None = None
    scope: str | None = None  # TH: Column

    def add(self, role: str, alt: str | None = None) -> Element:
        child = Element(role, self, alt=alt)
        self.kids.append(child)
        return child


class StructureTree:
    """The document's structure as it is drawn: ``marked`` wraps content in an element, ``artifact`` wraps
    page furniture. Marks do not nest: content drawn inside a marked run belongs to that run (a cell's
    paragraph to its TD)."""

    def __init__(self) -> None:
        self.root = Element("Document", None)
        self.page = 0
        self.mcids: list[list[Element]] = [[]]  # per page: MCID → element
        self.busy = False

    def add(self, role: str, alt: str | None = None) -> Element:
        return self.root.add(role, alt)

    @contextmanager
    def marked(self, canv: Canvas, element: Element) -> Iterator[None]:
        if self.busy:
            yield
            return
        mcids = self.mcids[self.page]
        element.kids.append((self.page, len(mcids)))
        canv._code.append(f"/{element.role} <</MCID {len(mcids)}>> BDC")
        mcids.append(element)
        self.busy = True
        try:
            yield
        finally:
            self.busy = False
            canv._code.append("EMC")

    @contextmanager
    def artifact(self, canv: Canvas) -> Iterator[None]:
        if self.busy:
            yield
            return
        canv._code.append("/Artifact BMC")
        self.busy = True
        try:
            yield
        finally:
            self.busy = False
            canv._code.append("EMC")

    def next_page(self) -> None:
        self.page += 1
        self.mcids.append([])

    def write(self, canv: Canvas, pages: list[PDFPage]) -> None:
        """Write the tree into the document: struct elements, parent tree, MarkInfo, StructParents."""
        doc = canv._doc
        refs: dict[int, Any] = {}
        dicts: list[tuple[Element, PDFDictionary]] = []

        def register(element: Element) -> None:
            d = PDFDictionary({"S": PDFName(element.role)})  # /Type /StructElem is optional: ≈ 4,000 elements
            refs[id(element)] = doc.Reference(d)
            dicts.append((element, d))
            for kid in element.kids:
                if isinstance(kid, Element):
                    register(kid)

        register(self.root)
        root = PDFDictionary({"Type": PDFName("StructTreeRoot")})
        root_ref = doc.Reference(root)
        page_refs = [doc.Reference(p) for p in pages]
        for element, d in dicts:
            d.dict["P"] = refs[id(element.parent)] if element.parent is not None else root_ref
            first_page = next((kid[0] for kid in element.kids if not isinstance(kid, Element)), None)
            if first_page is not None:
                d.dict["Pg"] = page_refs[first_page]  # a bare MCID in K is on this page
            kids: list[Any] = []
            for kid in element.kids:
                if isinstance(kid, Element):
                    kids.append(refs[id(kid)])
                elif kid[0] == first_page:
                    kids.append(kid[1])
                else:  # the rest of a paragraph or table on a following page
                    kids.append(PDFDictionary({"Type": PDFName("MCR"), "Pg": page_refs[kid[0]], "MCID": kid[1]}))
            d.dict["K"] = kids[0] if len(kids) == 1 and isinstance(kids[0], int) else PDFArray(kids)
            if element.alt:
                d.dict["Alt"] = PDFString(element.alt)
            if element.scope:
                d.dict["A"] = PDFDictionary({"O": PDFName("Table"), "Scope": PDFName(element.scope)})
        nums: list[Any] = []
        for index, page in enumerate(pages):
            page.Tabs = PDFName("S")
            page.__NoDefault__ = [*PDFPage.__NoDefault__, "StructParents", "Tabs"]
            page.StructParents = index
            owners = self.mcids[index] if index < len(self.mcids) else []
            nums.extend([index, PDFArray([refs[id(e)] for e in owners])])
        root.dict["K"] = refs[id(self.root)]
        root.dict["ParentTree"] = doc.Reference(PDFDictionary({"Nums": PDFArray(nums)}))
        root.dict["ParentTreeNextKey"] = len(pages)
        catalog = doc.Catalog
        catalog.StructTreeRoot = root_ref
        catalog.MarkInfo = PDFDictionary({"Marked": "true"})


class TaggedCanvas(Canvas):
    """A canvas that keeps a :class:`StructureTree` and writes it when the document is saved."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.structure = StructureTree()
        self.tagged_pages: list[PDFPage] = []

    def showPage(self) -> None:  # noqa: N802
        super().showPage()
        self.tagged_pages.append(self._doc.Pages.pages[-1])
        self.structure.next_page()

    def save(self) -> None:
        if len(self._code):
            self.showPage()
        self.structure.write(self, self.tagged_pages)
        super().save()


def structure_of(canv: Any) -> StructureTree | None:
    return getattr(canv, "structure", None)


@contextmanager
def artifact(canv: Any) -> Iterator[None]:
    """Page furniture (a footer, leaders): an artifact on a tagged canvas, drawn as is on any other."""
    structure = structure_of(canv)
    if structure is None:
        yield
        return
    with structure.artifact(canv):
        yield


@contextmanager
def marked(canv: Any, role: str, alt: str | None = None) -> Iterator[Element | None]:
    """Content drawn as one new element of ``role`` under the document (a figure, a heading drawn directly)."""
    structure = structure_of(canv)
    if structure is None or structure.busy:
        yield None
        return
    element = structure.add(role, alt)
    with structure.marked(canv, element):
        yield element


@contextmanager
def marked_in(canv: Any, parent: Element | None, role: str) -> Iterator[None]:
    """Content drawn as a new element of ``role`` under ``parent`` (a TOCI of the TOC); as is without one."""
    structure = structure_of(canv)
    if structure is None or parent is None or structure.busy:
        yield
        return
    with structure.marked(canv, parent.add(role)):
        yield


class TaggedParagraph(Paragraph):
    """A paragraph marked as the role of its style (``STYLE_ROLES``, else P); both parts of a paragraph split
    over two pages belong to one element."""

    def _element(self, structure: StructureTree) -> Element:
        holder: list[Element] = self.__dict__.setdefault("_tag_holder", [])
        if not holder:
            holder.append(structure.add(STYLE_ROLES.get(self.style.name, "P")))
        return holder[0]

    def split(self, availWidth: float, availHeight: float) -> list[Any]:  # noqa: N803
        pieces = super().split(availWidth, availHeight)
        holder = self.__dict__.setdefault("_tag_holder", [])
        for piece in pieces:
            if isinstance(piece, TaggedParagraph):
                piece._tag_holder = holder
        return pieces

    def drawOn(self, canvas: Any, x: float, y: float, _sW: float = 0) -> None:  # noqa: N802
        structure = structure_of(canvas)
        if structure is None or structure.busy:
            super().drawOn(canvas, x, y, _sW)
            return
        with structure.marked(canvas, self._element(structure)):
            super().drawOn(canvas, x, y, _sW)


class TableTags:
    """A ReportLab table's ``renderCB``: one Table element for all the pieces of the table, a TR for each row
    drawn, TH for the header rows where they are first printed, TD for the other cells; the rules, the
    shading and a header row repeated on a following page are artifacts."""

    def __init__(self, header_rows: int) -> None:
        self.header_rows = header_rows
        self.table: Element | None = None
        self.pieces = 0
        self.row: Element | None = None
        self.repeated = 0
        self._open: Any = None

    def __call__(self, table: Any, event: str, *args: Any) -> None:
        structure = structure_of(table.canv)
        if structure is None:
            return
        canv = table.canv
        if event == "startTable":
            if self.table is None:
                self.table = structure.add("Table")
            self.repeated = table.repeatRows if self.pieces else 0
            self.pieces += 1
        elif event in ("startBG", "startLines"):
            self._enter(structure.artifact(canv))
        elif event in ("endBG", "endLines", "endCell"):
            self._leave()
        elif event == "startRow":
            row_no = args[0]
            self.row = None if row_no < self.repeated else self.table.add("TR")  # type: ignore[union-attr]
        elif event == "startCell":
            row_no = args[0]
            if self.row is None:
                self._enter(structure.artifact(canv))
            else:
                header = self.pieces == 1 and row_no < self.header_rows
                cell = self.row.add("TH" if header else "TD")
                cell.scope = "Column" if header else None
                self._enter(structure.marked(canv, cell))

    def _enter(self, context: Any) -> None:
        context.__enter__()
        self._open = context

    def _leave(self) -> None:
        if self._open is not None:
            context, self._open = self._open, None
            context.__exit__(None, None, None)
