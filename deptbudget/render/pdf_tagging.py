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

The disclosure PDF (``render.pdf``), the self-evaluation forms (``performance.render.write_pdf``) and the
reviewer's checklist (``review.pdf_report``) are built on a :class:`TaggedCanvas`; on any other canvas (a test's
plain ``Canvas``) nothing is marked.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any
from xml.sax.saxutils import escape

from reportlab.pdfbase.pdfdoc import (
    XMP,
    LinkAnnotation,
    PDFArray,
    PDFDictionary,
    PDFName,
    PDFObject,
    PDFPage,
    PDFStream,
    PDFString,
)
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Paragraph

# paragraph style name (pdf_styles.Styles) → structure role; any other style (cells, notes, body) is P
STYLE_ROLES = {"part": "H1", "section": "H2", "table_title": "H2", "caption": "Caption"}


@dataclass(frozen=True)
class AnnotationKid:
    """An annotation that belongs to a structure element (a Link's link annotation): written as an OBJR."""

    page: int
    name: str  # the annotation's internal name in the ReportLab document


@dataclass(eq=False)
class Element:
    """A structure element: its role, parent, and kids in reading order — elements, marked content
    (page index, MCID) or annotations."""

    role: str
    parent: Element | None
    kids: list[Element | tuple[int, int] | AnnotationKid] = field(default_factory=list)
    alt: str | None = None
    scope: str | None = None  # TH: Column or Row

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
        self.annotations: list[tuple[Any, Element]] = []  # (link annotation, its Link element)
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
        with self._sequence(canv, f"/{element.role} <</MCID {len(mcids)}>> BDC"):
            mcids.append(element)
            yield

    @contextmanager
    def artifact(self, canv: Canvas) -> Iterator[None]:
        if self.busy:
            yield
            return
        with self._sequence(canv, "/Artifact BMC"):
            yield

    @contextmanager
    def _sequence(self, canv: Canvas, opening: str) -> Iterator[None]:
        """One marked-content sequence: ``opening`` … ``EMC``; nothing nested inside is marked again."""
        canv._code.append(opening)
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
        objects: list[tuple[Element, _StructElem]] = []

        def register(element: Element) -> None:
            obj = _StructElem(element)
            refs[id(element)] = doc.Reference(obj)
            objects.append((element, obj))
            for kid in element.kids:
                if isinstance(kid, Element):
                    register(kid)

        register(self.root)
        root = PDFDictionary({"Type": PDFName("StructTreeRoot")})
        root_ref = doc.Reference(root)
        page_refs = [doc.Reference(p) for p in pages]

        def kid_ref(kid: Element | tuple[int, int] | AnnotationKid) -> Any:
            if isinstance(kid, Element):
                return refs[id(kid)]
            if isinstance(kid, AnnotationKid):
                return _Objr(kid.name, page_refs[kid.page])
            return page_refs[kid[0]], kid[1]

        for element, obj in objects:
            obj.parent = refs[id(element.parent)] if element.parent is not None else root_ref
            obj.kids = [kid_ref(kid) for kid in element.kids]
        nums: list[Any] = []
        for index, page in enumerate(pages):
            page.Tabs = PDFName("S")
            page.__NoDefault__ = [*PDFPage.__NoDefault__, "StructParents", "Tabs"]
            page.StructParents = index
            owners = self.mcids[index] if index < len(self.mcids) else []
            nums.extend([index, PDFArray([refs[id(e)] for e in owners])])
        for key, (annotation, element) in enumerate(self.annotations, start=len(pages)):
            annotation.otherkw["StructParent"] = key  # the parent tree leads from the annotation to its Link
            nums.extend([key, refs[id(element)]])
        root.dict["K"] = refs[id(self.root)]
        root.dict["ParentTree"] = doc.Reference(PDFDictionary({"Nums": PDFArray(nums)}))
        root.dict["ParentTreeNextKey"] = len(pages) + len(self.annotations)
        catalog = doc.Catalog
        catalog.StructTreeRoot = root_ref
        catalog.MarkInfo = PDFDictionary({"Marked": "true"})


class _StructElem(PDFObject):
    """A structure element written directly (about 4,000 of them: ReportLab's generic dictionary formatting
    would cost a tenth of the PDF's time). /Type /StructElem is optional and left out; a kid on the element's
    /Pg page is a bare MCID, one on another page (the rest of a paragraph or table) an MCR."""

    __RefOnly__ = 1

    def __init__(self, element: Element) -> None:
        self.element = element
        self.parent: Any = None
        self.kids: list[Any] = []  # element references, or (page reference, MCID)

    def format(self, document: Any) -> bytes:
        def ref(r: Any) -> str:
            number, version = document.idToObjectNumberAndVersion[r.name]
            return f"{number} {version} R"

        element = self.element
        page = next((kid[0] for kid in self.kids if isinstance(kid, tuple)), None)
        out = [f"<< /S /{element.role} /P {ref(self.parent)}"]
        if page is not None:
            out.append(f" /Pg {ref(page)}")
        kids = []
        for kid in self.kids:
            if isinstance(kid, _Objr):
                number, version = document.idToObjectNumberAndVersion[kid.name]
                kids.append(f"<< /Type /OBJR /Obj {number} {version} R /Pg {ref(kid.page)} >>")
            elif not isinstance(kid, tuple):
                kids.append(ref(kid))
            elif kid[0] is page or kid[0].name == page.name:
                kids.append(str(kid[1]))
            else:
                kids.append(f"<< /Type /MCR /Pg {ref(kid[0])} /MCID {kid[1]} >>")
        out.append(f" /K {kids[0]}" if len(kids) == 1 and page is not None and kids[0].isdigit()
                   else f" /K [{' '.join(kids)}]")
        head = "".join(out).encode("ascii")
        tail = b""
        if element.alt:
            tail += b" /Alt " + PDFString(element.alt).format(document)
        if element.scope:
            tail += f" /A << /O /Table /Scope /{element.scope} >>".encode("ascii")
        return head + tail + b" >>"


@dataclass(frozen=True)
class _Objr:
    name: str  # the annotation's internal name
    page: Any  # its page's reference


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
        self._doc.Catalog.Metadata = _metadata_stream()
        self.setViewerPreference("DisplayDocTitle", "true")  # PDF/UA: the window shows the title
        super().save()


def _metadata_stream() -> PDFStream:
    """The XMP metadata stream PDF/UA asks for (ISO 14289-1 §5, §7.1): the title, author, subject, keywords and
    dates of the document information, and ``pdfuaid:part 1``. Uncompressed, as metadata is conventionally
    left readable; built when the document is written, from its information and time stamp."""
    stream = XMP(creator=_xmp_packet)
    stream.filters = []
    return stream


def _xmp_packet(doc: Any) -> bytes:
    info = doc.info
    stamp = doc._timeStamp
    offset = "Z" if not (stamp.dhh or stamp.dmm) else f"{stamp.dhh:+03d}:{abs(stamp.dmm):02d}"
    year, month, day, hour, minute, second = stamp.YMDhms
    when = f"{year:04d}-{month:02d}-{day:02d}T{hour:02d}:{minute:02d}:{second:02d}{offset}"
    lang = getattr(doc.Catalog, "Lang", None)
    lang_text = lang.s if isinstance(lang, PDFString) else "x-default"

    def text(value: Any) -> str:
        return escape(str(value), {'"': "&quot;"})

    return (
        '<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>\n'
        '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
        '<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/"'
        ' xmlns:pdf="http://ns.adobe.com/pdf/1.3/" xmlns:xmp="http://ns.adobe.com/xap/1.0/"'
        ' xmlns:pdfuaid="http://www.aiim.org/pdfua/ns/id/">'
        '<dc:format>application/pdf</dc:format>'
        f'<dc:title><rdf:Alt><rdf:li xml:lang="x-default">{text(info.title)}</rdf:li></rdf:Alt></dc:title>'
        f'<dc:creator><rdf:Seq><rdf:li>{text(info.author)}</rdf:li></rdf:Seq></dc:creator>'
        f'<dc:description><rdf:Alt><rdf:li xml:lang="x-default">{text(info.subject)}</rdf:li></rdf:Alt>'
        '</dc:description>'
        f'<dc:language><rdf:Bag><rdf:li>{text(lang_text)}</rdf:li></rdf:Bag></dc:language>'
        f'<pdf:Keywords>{text(info.keywords)}</pdf:Keywords><pdf:Producer>{text(info.producer)}</pdf:Producer>'
        f'<xmp:CreatorTool>{text(info.creator)}</xmp:CreatorTool>'
        f'<xmp:CreateDate>{when}</xmp:CreateDate><xmp:ModifyDate>{when}</xmp:ModifyDate>'
        f'<xmp:MetadataDate>{when}</xmp:MetadataDate>'
        '<pdfuaid:part>1</pdfuaid:part>'
        '</rdf:Description></rdf:RDF></x:xmpmeta>\n<?xpacket end="w"?>'
    ).encode()


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
def marked_in(canv: Any, parent: Element | None, role: str) -> Iterator[Element | None]:
    """Content drawn as a new element of ``role`` under ``parent`` (a TOCI of the TOC, a Link in it); as is
    without one. Yields the new element (None when nothing is marked)."""
    structure = structure_of(canv)
    if structure is None or parent is None or structure.busy:
        yield None
        return
    element = parent.add(role)
    with structure.marked(canv, element):
        yield element


def link(canv: Any, element: Element | None, description: str, destination: str,
         rect: tuple[float, float, float, float]) -> None:
    """A link annotation to a named destination (``rect`` in the current user space), described by ``/Contents``
    (what a screen reader says). On a tagged canvas it belongs to ``element`` (a Link): an OBJR among the
    element's kids, and the annotation's ``/StructParent`` leads back to it through the parent tree."""
    annotation = LinkAnnotation(Rect=canv._absRect(rect, 1), Contents=description,
                                Destination=canv._bookmarkReference(destination), Border=PDFArray([0, 0, 0]))
    annotation.permitted = (*LinkAnnotation.permitted, "StructParent")
    name = f"link{canv._annotationCount + 1}"
    canv._addAnnotation(annotation, name)
    structure = structure_of(canv)
    if structure is not None and element is not None:
        element.kids.append(AnnotationKid(structure.page, canv._doc.annotationName(name)))
        structure.annotations.append((annotation, element))


class TaggedParagraph(Paragraph):
    """A paragraph marked as ``role`` if given, else as the role of its style (``STYLE_ROLES``, else P); both
    parts of a paragraph split over two pages belong to one element."""

    def __init__(self, *args: Any, role: str | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.tag_role = role

    def _element(self, structure: StructureTree) -> Element:
        holder: list[Element] = self.__dict__.setdefault("_tag_holder", [])
        if not holder:
            role = getattr(self, "tag_role", None) or STYLE_ROLES.get(self.style.name, "P")
            holder.append(structure.add(role))
        return holder[0]

    def split(self, availWidth: float, availHeight: float) -> list[Any]:  # noqa: N803
        pieces = super().split(availWidth, availHeight)
        holder = self.__dict__.setdefault("_tag_holder", [])
        for piece in pieces:
            if isinstance(piece, TaggedParagraph):
                piece._tag_holder = holder
                piece.tag_role = getattr(self, "tag_role", None)
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
    drawn, TH for the header rows where they are first printed (``/Scope /Column``) and for the body cells that
    ``headers`` names ((grid row, column) → ``Row`` or ``Column``: a form's field labels and its 指标 header
    row), TD for the other cells; the rules, the shading and a header row repeated on a following page are
    artifacts."""

    def __init__(self, header_rows: int, headers: dict[tuple[int, int], str] | None = None) -> None:
        self.header_rows = header_rows
        self.headers = headers or {}
        self.table: Element | None = None
        self.pieces = 0
        self.row: Element | None = None
        self.row_no = 0  # the grid row being drawn
        self.first_row = 0  # the grid row of this piece's first row after its repeated header
        self.next_row = 0  # the grid row after the last one drawn
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
            self.first_row = self.next_row
            self.pieces += 1
        elif event in ("startBG", "startLines"):
            self._enter(structure.artifact(canv))
        elif event in ("endBG", "endLines", "endCell"):
            self._leave()
        elif event == "startRow":
            row_no = args[0]
            if row_no < self.repeated:
                self.row = None
            else:
                self.row = self.table.add("TR")  # type: ignore[union-attr]
                self.row_no = self.first_row + row_no - self.repeated
                self.next_row = self.row_no + 1
        elif event == "startCell":
            row_no, col_no = args[0], args[1]
            if self.row is None:
                self._enter(structure.artifact(canv))
            else:
                header = self.pieces == 1 and row_no < self.header_rows
                scope = "Column" if header else self.headers.get((self.row_no, col_no))
                cell = self.row.add("TD" if scope is None else "TH")
                cell.scope = scope
                self._enter(structure.marked(canv, cell))

    def _enter(self, context: Any) -> None:
        context.__enter__()
        self._open = context

    def _leave(self) -> None:
        if self._open is not None:
            context, self._open = self._open, None
            context.__exit__(None, None, None)
