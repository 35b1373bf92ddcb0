"""Build the one document model from a role, an organisation and a jurisdiction.

Everything language-dependent happens here: translations picked from the
profiles, fixed wording from the gettext catalogs, plural forms, CLDR dates,
clause variables, the organisation's names in the document's script, the
hierarchical numbering and, last and in one place, the language's typography.
"""

from __future__ import annotations

import re
from typing import Any

import jinja2
from babel.dates import format_date
from jinja2.exceptions import SecurityError

from .employees import Employee
from .errors import Diagnostic, JobdescError, Location, ProfileError
from .i18n import Language, catalog
from .languages import rules
from .limits import CLAUSE_CHARS, CLAUSES, DEPTH
from .lint import Printed, lint, words
from .model import (
    ApprovalBlock,
    Clause,
    Document,
    FamiliarizationSheet,
    FooterPart,
    Section,
    Signatory,
)
from .names import OrganisationText
from .profile import BLANKS, SECTIONS, ClauseSource, Jurisdiction, Organisation, Person, Role, Text
from .templating import capfirst, clause_template, render_limited
from .typography import collapse, typeset, typeset_all

NUMERALS = ("I", "II", "III", "IV", "V")


# Every variable a clause's text may use (validate checks each clause against them in every
# language); min_experience exists when the role gives experience_years, each of BLANKS where
# the jurisdiction requires it.
VARIABLES = frozenset(
    {
        "organisation",
        "approver",
        "role",
        "role_title",
        "supervisor",
        "education",
        "country",
        "in_country",
        "labour_code",
        "labour_code_citation",
        "min_experience",
        *BLANKS,
    }
)


class _Assembler:
    def __init__(
        self,
        role: Role,
        org: Organisation,
        jurisdiction: Jurisdiction,
        language: Language,
        employees: tuple[Employee, ...] = (),
        variant: str = "",
    ):
        self.role, self.org, self.jurisdiction, self.language = role, org, jurisdiction, language
        self.employees, self.variant = employees, variant
        self.tr = catalog(language.code)
        self.org_text = OrganisationText(language.code, org.language)
        self.diagnostics: list[Diagnostic] = []

    def text(self, text: Text) -> str:
        value = text.get(self.language.code)
        if isinstance(value, Diagnostic):
            self.diagnostics.append(value)
            return ""
        return value

    def organisation_text(self, text: Text) -> str:
        value = self.org_text.get(text)
        if isinstance(value, Diagnostic):
            self.diagnostics.append(value)
            return ""
        return value

    def person_name(self, person: Person) -> str:
        value = self.org_text.name(person.name)
        if isinstance(value, Diagnostic):
            self.diagnostics.append(value)
            return ""
        return value

    def blanks(self) -> dict[str, str]:
        """The values the jurisdiction's framework asks the organisation for."""
        values = {}
        for blank in self.jurisdiction.requires:
            where = f"jurisdiction {self.jurisdiction.id!r} requires it ({self.jurisdiction.requires_loc}: requires)"
            if BLANKS[blank] == "organisation":
                text = self.org.collective_agreement
                field, loc = blank, Location(self.org.path, 0)
            else:
                text = self.org.positions.get(self.role.id, {}).get(blank)
                field, loc = f"positions.{self.role.id}.{blank}", self.org.positions_loc
            if text is None:
                self.diagnostics.append(Diagnostic(loc, field, f"missing; {where}"))
            values[blank] = self.organisation_text(text) if text else ""
        return values

    def variables(self) -> dict[str, str]:
        """The values a clause's text can use, by name; VARIABLES names them all."""
        years = self.role.experience_years
        experience = {}
        if years is not None:  # a clause using min_experience without it is an undefined variable
            text = self.tr.ngettext("at least %(num)d year", "at least %(num)d years", years)
            experience["min_experience"] = text % {"num": years}
        j = self.jurisdiction
        return {
            "organisation": self.organisation_text(self.org.name),
            "approver": self.organisation_text(self.org.approved_by.position),
            "role": self.text(self.role.subject),
            "role_title": self.text(self.role.title),
            "supervisor": self.text(self.role.supervisor),
            "education": self.text(self.role.education),
            "country": self.text(j.country),
            "in_country": self.text(j.in_country),
            "labour_code": self.text(j.labour_code),
            "labour_code_citation": self.text(j.labour_code_citation),
            **experience,
            **self.blanks(),
        }

    def clause(self, source: ClauseSource, number: str, variables: dict[str, Any]) -> Clause:
        template_source = self.text(source.text)
        text = ""
        if template_source:
            try:
                text = collapse(render_limited(clause_template(template_source), **variables))
                if not text:
                    self._clause_error(source, "renders to empty text")
                elif len(text) > CLAUSE_CHARS.value:
                    self._clause_error(source, CLAUSE_CHARS.message(len(text)))
            except jinja2.UndefinedError as exc:
                known = ", ".join(sorted(variables))
                self._clause_error(source, f"{exc.message}; the variables a clause can use are: {known}")
            except SecurityError as exc:
                self._clause_error(source, f"refused by the template sandbox: {exc}")
            except jinja2.TemplateError as exc:
                self._clause_error(source, f"template error: {exc}")
            except (MemoryError, JobdescError):
                raise
            except RecursionError:
                self._clause_error(source, f"nests deeper than Python's stack allows ({DEPTH.variable})")
            except Exception as exc:  # the text's own expression failed: {{ 1/0 }}, a wrong type
                self._clause_error(source, f"template error: {type(exc).__name__}: {exc}")
        children = tuple(self.clause(item, f"{number}{i}.", variables) for i, item in enumerate(source.items, start=1))
        return Clause(
            source.id, number, text, children, origin=str(source.text.where(self.language.code)), layer=source.layer
        )

    def _clause_error(self, source: ClauseSource, message: str) -> None:
        where = source.text.where(self.language.code)
        self.diagnostics.append(Diagnostic(where, f"clause {source.id!r} ({self.language.code})", message))

    def sections(self, variables: dict[str, Any]) -> tuple[Section, ...]:
        gettext = self.tr.gettext
        role = capfirst(variables["role"])
        headings = {
            "general": (gettext("General provisions"), None),
            "duties": (gettext("Duties"), gettext("%(role)s shall:") % {"role": role}),
            "rights": (gettext("Rights"), gettext("%(role)s has the right to:") % {"role": role}),
            "liability": (gettext("Liability"), gettext("%(role)s is liable:") % {"role": role}),
            "evaluation": (
                gettext("Evaluation criteria"),
                gettext("The work is evaluated against the following criteria:"),
            ),
        }
        result = []
        for numeral, key in zip(NUMERALS, SECTIONS, strict=True):
            heading, intro = headings[key]
            clauses = tuple(
                self.clause(source, f"{i}.", variables) for i, source in enumerate(self.role.sections[key], start=1)
            )
            result.append(Section(key, numeral, heading, intro, clauses))
        return tuple(result)

    def approval(self, organisation: str) -> ApprovalBlock:
        org = self.org
        form = org.sign_off or self.jurisdiction.sign_off
        date = self.long_date()
        if form == "signature-table":  # the place goes with the date where the approver signs: "Madrid, 23 de …"
            date = rules(self.language.code).place_and_date.format(place=self.organisation_text(org.city), date=date)
        approver = Signatory(
            "approved-by", self.organisation_text(org.approved_by.position), self.person_name(org.approved_by), date
        )
        agreed = tuple(
            Signatory(f"agreed-by-{division}", self.organisation_text(person.position), self.person_name(person), None)
            for division, person in org.agreed_by.items()
        )
        gettext = self.tr.gettext
        table = form == "signature-table"
        return ApprovalBlock(
            form=form,  # type: ignore[arg-type]  # checked against SIGN_OFF_FORMS when loaded
            approved_label=gettext("Approved by") if table else gettext("APPROVED"),
            organisation=organisation,
            approver=approver,
            agreed_label=gettext("Reviewed by") if table else gettext("AGREED"),
            agreed=agreed,
            date_label=gettext("Date") + ":",  # typeset with the rest: French "Date :"
            columns=("", gettext("Position"), gettext("Full name"), gettext("Signature"), gettext("Date")),
        )

    def long_date(self) -> str:
        date = format_date(self.org.date, format="long", locale=self.language.locale)
        return date + rules(self.language.code).date_suffix

    def footer(self) -> tuple[FooterPart, ...]:
        pattern = self.tr.gettext("Page %(page)s of %(pages)s")
        parts: list[FooterPart] = []
        for piece in re.split(r"(%\(pages?\)s)", pattern):
            if piece == "%(page)s":
                parts.append(FooterPart("page"))
            elif piece == "%(pages)s":
                parts.append(FooterPart("pages"))
            elif piece:
                parts.append(FooterPart("text", piece))
        return tuple(parts)

    def document(self) -> Document:
        gettext = self.tr.gettext
        variables = self.variables()
        count = len(self.role.clauses())
        if count > CLAUSES.value:
            raise ProfileError([Diagnostic(Location(self.role.path, 0), "", CLAUSES.message(count))])
        sections = self.sections(variables)
        approval = self.approval(variables["organisation"])
        if self.diagnostics:
            raise ProfileError(self.diagnostics)
        title = gettext("JOB DESCRIPTION")
        subtitle = gettext("for the position of %(role)s") % {"role": variables["role_title"]}
        people = tuple((e.name, e.position) for e in self.employees)
        form = self.org.acknowledgement or self.jurisdiction.acknowledgement
        receipt = form == "receipt"
        columns: tuple[str, ...] = (gettext("Full name"), gettext("Signature"), gettext("Date"))
        if people:
            columns = (columns[0], gettext("Position"), *columns[1:])
        if not receipt:
            columns = (gettext("No."), *columns)
        sheet = FamiliarizationSheet(
            form=form,  # type: ignore[arg-type]  # checked against ACKNOWLEDGEMENT_FORMS when loaded
            heading=gettext("EMPLOYEE ACKNOWLEDGEMENT") if receipt else gettext("FAMILIARIZATION SHEET"),
            statement=gettext("I have read this job description and received a copy of it."),
            columns=columns,
            rows=len(people) or (1 if receipt else self.org.familiarization_rows),
            people=people,
        )
        foreign = self.language.code != self.jurisdiction.language
        notice = self.text(self.jurisdiction.translation_notice) if foreign else None
        document = Document(
            language=self.language.tag,
            title=title,
            subtitle=subtitle,
            number=gettext("No. %(number)s") % {"number": self.organisation_text(self.org.number)},
            place=self.organisation_text(self.org.city),
            notice=notice,
            approval=approval,
            sections=sections,
            familiarization=sheet,
            footer=self.footer(),
            author=variables["organisation"],
            subject=f"{title} — {variables['role_title']}",
            created=self.org.date,
            warnings=tuple(dict.fromkeys(self.org_text.warnings)),
            removed=tuple((removal.clause, removal.by) for removal in self.role.removed),
        )
        if self.diagnostics:
            raise ProfileError(self.diagnostics)
        document = typeset_all(document, self.language.code)
        supplied = words(self.org_text.supplied + [text for e in self.employees for text in (e.name, e.position)])
        western = self.jurisdiction.tradition == "western"
        findings = lint(document, self.printed(document), supplied, western, self.variant or self.language.tag)
        if findings:
            raise ProfileError(findings)
        return document

    def printed(self, document: Document) -> list[Printed]:
        """Every text of the document with the place it was written, for the lint."""
        code = self.language.code
        catalog_file = Location(f"locales/{code}/LC_MESSAGES/jobdesc.po", 0)
        org_file = Location(self.org.path, 0)
        items = [
            Printed(document.title, catalog_file, "the title"),
            Printed(document.subtitle, self.role.title.where(code), "the subtitle"),
            Printed(document.number, org_file, "the document number", supplied=True),
            Printed(document.place, org_file, "the place", supplied=True),
        ]
        if document.notice:
            items.append(Printed(document.notice, self.jurisdiction.translation_notice.where(code), "the notice"))
        j, role = self.jurisdiction, self.role
        for name, text in (
            ("role", role.subject), ("role_title", role.title), ("supervisor", role.supervisor),
            ("education", role.education), ("country", j.country), ("in_country", j.in_country),
            ("labour_code", j.labour_code), ("labour_code_citation", j.labour_code_citation),
        ):  # fmt: skip
            value = text.values.get(code)
            if value is not None:  # what each variable prints, at the line it was written
                items.append(Printed(typeset(value, code), text.where(code), f"the value of {{{{ {name} }}}}"))
        for section in document.sections:
            items.append(Printed(section.heading, catalog_file, f"the heading of section {section.numeral}"))
            if section.intro:
                items.append(Printed(section.intro, catalog_file, f"the lead-in of section {section.numeral}"))
            for clause in section.walk():
                path, _, line = clause.origin.rpartition(":")
                where = Location(path, int(line)) if line.isdigit() else Location(clause.origin, 0)
                items.append(Printed(clause.text, where, f"clause {clause.id!r} ({section.numeral}.{clause.number})"))
        a = document.approval
        for label in (a.approved_label, a.agreed_label, a.date_label, *a.columns):
            items.append(Printed(label, catalog_file, "the sign-off"))
        for signatory in (a.approver, *a.agreed):
            items.append(Printed(f"{signatory.position} {signatory.name}", org_file, signatory.role, supplied=True))
        sheet = document.familiarization
        for label in (sheet.heading, sheet.statement, *sheet.columns):
            items.append(Printed(label, catalog_file, "the acknowledgement"))
        for part in document.footer:
            items.append(Printed(part.text, catalog_file, "the footer"))
        return items


def assemble(
    role: Role,
    org: Organisation,
    jurisdiction: Jurisdiction,
    language: Language,
    employees: tuple[Employee, ...] = (),
    variant: str = "",
) -> Document:
    """The document for one role in one language; ProfileError lists every problem found,
    the output lint's findings included."""
    return _Assembler(role, org, jurisdiction, language, employees, variant).document()
