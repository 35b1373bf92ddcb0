"""Build the one document model from a role, an organisation and a jurisdiction.

Everything language-dependent happens here: translations picked from the
profiles, fixed wording from the gettext catalogs, plural forms, CLDR dates,
clause variables and the hierarchical numbering.
"""

from __future__ import annotations

import re
from typing import Any

import jinja2
from babel.dates import format_date
from jinja2.exceptions import SecurityError

from .employees import Employee
from .errors import Diagnostic, Location, ProfileError
from .i18n import Language, catalog
from .limits import CLAUSE_CHARS, CLAUSES
from .model import (
    ApprovalBlock,
    Clause,
    Document,
    FamiliarizationSheet,
    FooterPart,
    Section,
    Signatory,
)
from .profile import SECTIONS, ClauseSource, Jurisdiction, Organisation, Role, Text
from .templating import capfirst, clause_template, render_limited

NUMERALS = ("I", "II", "III", "IV", "V")


class _Assembler:
    def __init__(
        self,
        role: Role,
        org: Organisation,
        jurisdiction: Jurisdiction,
        language: Language,
        employees: tuple[Employee, ...] = (),
    ):
        self.role, self.org, self.jurisdiction, self.language = role, org, jurisdiction, language
        self.employees = employees
        self.tr = catalog(language.code)
        self.diagnostics: list[Diagnostic] = []

    def text(self, text: Text) -> str:
        value = text.get(self.language.code)
        if isinstance(value, Diagnostic):
            self.diagnostics.append(value)
            return ""
        return value

    def variables(self) -> dict[str, str]:
        years = self.role.experience_years
        experience = {}
        if years is not None:  # a clause using min_experience without it is an undefined variable
            text = self.tr.ngettext("at least %(num)d year", "at least %(num)d years", years)
            experience["min_experience"] = text % {"num": years}
        j = self.jurisdiction
        return {
            "organisation": self.text(self.org.name),
            "role": self.text(self.role.subject),
            "role_title": self.text(self.role.title),
            "supervisor": self.text(self.role.supervisor),
            "education": self.text(self.role.education),
            "country": self.text(j.country),
            "in_country": self.text(j.in_country),
            "labour_code": self.text(j.labour_code),
            "labour_code_citation": j.labour_code_citation,
            **experience,
        }

    def clause(self, source: ClauseSource, number: str, variables: dict[str, Any]) -> Clause:
        template_source = self.text(source.text)
        text = ""
        if template_source:
            try:
                text = " ".join(render_limited(clause_template(template_source), **variables).split())
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
        children = tuple(self.clause(item, f"{number}{i}.", variables) for i, item in enumerate(source.items, start=1))
        return Clause(source.id, number, text, children, origin=str(source.text.loc), layer=source.layer)

    def _clause_error(self, source: ClauseSource, message: str) -> None:
        loc = source.text.loc
        self.diagnostics.append(Diagnostic(Location(loc.path, loc.line), f"clause {source.id!r}", message))

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
        date = format_date(org.date, format="long", locale=self.language.locale)
        approver = Signatory("approved-by", self.text(org.approved_by.position), org.approved_by.name, date)
        agreed = tuple(
            Signatory(f"agreed-by-{division}", self.text(person.position), person.name, None)
            for division, person in org.agreed_by.items()
        )
        gettext = self.tr.gettext
        form = org.sign_off or self.jurisdiction.sign_off
        block = form == "approval-block"
        return ApprovalBlock(
            form="approval-block" if block else "signature-table",
            approved_label=gettext("APPROVED") if block else gettext("Approved by"),
            organisation=organisation,
            approver=approver,
            agreed_label=gettext("AGREED") if block else gettext("Reviewed by"),
            agreed=agreed,
            date_label=gettext("Date"),
            columns=("", gettext("Position"), gettext("Full name"), gettext("Signature"), gettext("Date")),
        )

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
        columns: tuple[str, ...] = (gettext("No."), gettext("Full name"), gettext("Signature"), gettext("Date"))
        if people:
            columns = (*columns[:2], gettext("Position"), *columns[2:])
        sheet = FamiliarizationSheet(
            heading=gettext("FAMILIARIZATION SHEET"),
            statement=gettext("I have read this job description and received a copy of it."),
            columns=columns,
            rows=len(people) or self.org.familiarization_rows,
            people=people,
        )
        return Document(
            language=self.language.tag,
            title=title,
            subtitle=subtitle,
            number=gettext("No. %(number)s") % {"number": self.org.number},
            place=self.text(self.org.city),
            approval=approval,
            sections=sections,
            familiarization=sheet,
            footer=self.footer(),
            author=variables["organisation"],
            subject=f"{title} — {variables['role_title']}",
            created=self.org.date,
        )


def assemble(
    role: Role,
    org: Organisation,
    jurisdiction: Jurisdiction,
    language: Language,
    employees: tuple[Employee, ...] = (),
) -> Document:
    """The document for one role in one language; ProfileError lists every problem found."""
    return _Assembler(role, org, jurisdiction, language, employees).document()
