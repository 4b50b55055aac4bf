"""The data contract: every file in ``data/`` and every column in it, declared once as data.

Validation (pandera schemas in :mod:`analysis.validate`), the Frictionless descriptor
(``data/datapackage.json``, :mod:`analysis.datapackage`), the book's data dictionary and the
tests all read these declarations; nothing else restates them.

Types use Frictionless names: ``string``, ``integer``, ``number``, ``boolean``.
Money is whole Rupiah (``integer``); percentages are 0-100.
"""
from __future__ import annotations

from dataclasses import dataclass, field

SITES = ("jombang", "pakis")
LEVELS = ("central", "province", "regency", "kecamatan", "kelurahan", "community")
PLANNING = ("top-down", "bottom-up", "mixed")
SOURCE_TYPES = ("interview", "observation", "document")
COMPONENTS = ("revolving_credit", "direct_aid", "infrastructure", "none")
ROLES = ("regency_official", "kecamatan_official", "kelurahan_official", "resident", "kelurahan_staff")
# Reading order of roles for the role-ordered matrix: from the regency down to residents.
ROLE_ORDER = ROLES


@dataclass(frozen=True)
class Field:
    """One column of a data file."""

    name: str
    type: str  # frictionless type: string | integer | number | boolean
    description: str
    unit: str | None = None
    required: bool = True  # the column must be present
    nullable: bool = False  # empty cells allowed
    enum: tuple[str, ...] | None = None
    unique: bool = False
    minimum: float | None = None
    maximum: float | None = None
    money: bool = False  # Rupiah written the Indonesian way is accepted ("Rp 1.250.000")
    references: tuple[str, str] | None = None  # (file key, column) this value must exist in


@dataclass(frozen=True)
class FileSpec:
    """One data file: where it lives, what it is, its columns."""

    key: str  # short name, e.g. "segments"
    path: str  # relative to the data directory
    title: str
    description: str
    fields: tuple[Field, ...]
    primary_key: tuple[str, ...] = ()
    required: bool = True  # must exist in a data directory (study files) or optional
    edition: str = "illustrative"  # "real" (published figures) or "illustrative" (generated)
    field_extra: dict = field(default_factory=dict)

    @property
    def columns(self) -> list[str]:
        return [f.name for f in self.fields]

    def field(self, name: str) -> Field:
        for f in self.fields:
            if f.name == name:
                return f
        raise KeyError(name)


_site = Field("site", "string", "Study site identifier.", enum=SITES)

PROGRAMMES = FileSpec(
    key="programmes",
    path="study/programmes.csv",
    title="Programme inventory",
    description="Poverty-alleviation programmes named by the studies, one row a programme and site.",
    primary_key=("site", "programme"),
    fields=(
        _site,
        Field("programme", "string", "Programme name as used locally (Indonesian acronym where there is one)."),
        Field("level", "string", "Level of government that designs the programme.", enum=LEVELS),
        Field("sector", "string", "Sector the programme works in (food security, health, infrastructure, economy, ...)."),
        Field("instrument", "string", "What the programme hands out: direct aid, revolving credit, training, infrastructure, ..."),
        Field("planning", "string", "How the programme is planned.", enum=PLANNING),
        Field("target", "string", "Who the programme is meant to reach."),
        Field("source", "string", "Where the programme is documented (study, guideline, regulation)."),
        Field("regency_innovation", "boolean", "True for a regency programme that reaches poor households (RTM) missing from central data.", required=False, nullable=True),
        Field("description", "string", "One-line description of what the programme does.", required=False, nullable=True),
    ),
)

INFORMANTS = FileSpec(
    key="informants",
    path="study/informants.csv",
    title="Informants",
    description="Pseudonymous informants interviewed at each site.",
    primary_key=("informant_id",),
    fields=(
        Field("informant_id", "string", "Pseudonymous informant id (never a name).", unique=True),
        _site,
        Field("role", "string", "Role of the informant, ordered from the regency down to residents.", enum=ROLES),
        Field("level", "string", "Level of government or community the informant speaks from.", enum=LEVELS),
        Field("cluster", "string", "Sampling cluster (kelurahan) the informant was drawn from; empty for regency officials.", nullable=True),
        Field("consent_quote", "boolean", "True when the informant agreed to be quoted; quotes of others never appear in the book."),
        Field("informant_type", "string", "core (main informant) or additional (supporting informant).", required=False, nullable=True, enum=("core", "additional")),
        Field("business_type", "string", "Small business the resident runs, where one.", required=False, nullable=True),
    ),
)

CODEBOOK = FileSpec(
    key="codebook",
    path="study/codebook.csv",
    title="Codebook",
    description="Codes used to code the segments, each under one of the study's themes.",
    primary_key=("code",),
    fields=(
        Field("code", "string", "Code name (snake_case).", unique=True),
        Field("theme", "string", "Theme the code belongs to (meaning, indicators, causes, strategies, programmes, empowerment, infrastructure, ...)."),
        Field("description", "string", "What a segment must say to receive the code."),
        Field("theme_group", "string", "Conceptual cluster of the theme: 'understanding poverty' or 'responding to poverty'.", required=False, nullable=True),
    ),
)

SEGMENTS = FileSpec(
    key="segments",
    path="study/segments.csv",
    title="Coded segments",
    description="Coded text segments from interviews, observation notes and documents: one row a (segment, code, coder).",
    primary_key=("segment_id", "code", "coder"),
    fields=(
        Field("segment_id", "string", "Segment id; a segment coded with several codes or by several coders appears on several rows."),
        _site,
        Field("source_id", "string", "Interview, observation note or document the segment comes from."),
        Field("source_type", "string", "Kind of source.", enum=SOURCE_TYPES),
        Field("code", "string", "Code applied to the segment.", references=("codebook", "code")),
        Field("coder", "string", "Who applied the code."),
        Field("text", "string", "Segment text, in Indonesian as recorded."),
        Field("informant_id", "string", "Informant speaking (interviews); empty for observation notes and documents.", required=False, nullable=True, references=("informants", "informant_id")),
        Field("gloss_en", "string", "English gloss of the text.", required=False, nullable=True),
    ),
)

HOUSEHOLDS = FileSpec(
    key="households",
    path="study/households.csv",
    title="Household incomes",
    description="Monthly household income before and after the programme, one row a household.",
    primary_key=("household_id",),
    fields=(
        Field("household_id", "string", "Household id.", unique=True),
        _site,
        Field("kelurahan", "string", "Kelurahan (urban village) of the household."),
        Field("cluster", "string", "Sampling cluster (neighbourhood, RW) used for cluster-robust errors."),
        Field("recipient", "boolean", "True when the household received the programme."),
        Field("component", "string", "Programme component received.", enum=COMPONENTS),
        Field("income_before", "integer", "Household income before the programme.", unit="Rupiah per month", minimum=1, money=True),
        Field("income_after", "integer", "Household income after the programme.", unit="Rupiah per month", minimum=1, money=True),
        Field("year_before", "integer", "Year the 'before' income refers to.", unit="year", minimum=1990, maximum=2100),
        Field("year_after", "integer", "Year the 'after' income refers to.", unit="year", minimum=1990, maximum=2100),
        Field("loan_amount", "integer", "Revolving-credit loan received.", unit="Rupiah", required=False, nullable=True, minimum=0, money=True),
        Field("business_type", "string", "Household business.", required=False, nullable=True),
        Field("informant_id", "string", "Informant of the household, where it is one.", required=False, nullable=True, references=("informants", "informant_id")),
        Field("credit_use", "string", "What the credit was used for (raw_materials, equipment, ...).", required=False, nullable=True),
    ),
)

STUDY_FILES = (PROGRAMMES, INFORMANTS, CODEBOOK, SEGMENTS, HOUSEHOLDS)


def study_file(key: str) -> FileSpec:
    """The spec of a study file by its key ("segments", ...)."""
    for spec in STUDY_FILES:
        if spec.key == key:
            return spec
    raise KeyError(key)
