"""The data contract: every file in ``data/`` and every column in it, declared once as data.

Validation (pandera schemas in :mod:`analysis.data.validate`), the Frictionless descriptor
(``data/datapackage.json``, :mod:`analysis.data.datapackage`), the book's data dictionary and the
tests all read these declarations; nothing else restates them.

Types use Frictionless names: ``string``, ``integer``, ``number``, ``boolean``.
Money is whole Rupiah (``integer``); percentages are 0-100.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache

from analysis.i18n import LANGUAGES, N_, SOURCE_LANGUAGE, check_language, language, translations
from analysis.i18n import gettext as _

#: A study's identifier (``studies.site``): lower case letters, digits and hyphens.
SITE_PATTERN = r"[a-z0-9]+(?:-[a-z0-9]+)*"
#: The longest study identifier: it names the study's chapters, pages, runs and downloads
#: (``qualitative_<site>.ipynb``), which must stay far below the file system's limit on a name.
MAX_SITE_LENGTH = 40
#: The longest other identifier (informant, segment, source, code, coder, household): ids are
#: short labels, never text; a longer value is a mistake (a pasted paragraph, a shifted column).
MAX_ID_LENGTH = 200
#: A BPS area code: digits (2 for a province, '00' Indonesia, 4 for a regency or city; the BPS
#: series also has a few others), at most 8; it names the atlas's chapters (``context_<code>``).
AREA_CODE_PATTERN = r"\d{1,8}"
#: The sizes a study may have, declared once: every display of the book works at every size in
#: these ranges (more themes than a palette holds are grouped, larger matrices drawn in part with
#: the rest in a table or download) and the property-based tests draw studies from all of them
#: (``tests/support/strategies.py``). Beyond them a study still builds; it is simply not tested.
STUDY_RANGES = {
    "themes": (1, 60),
    "codes": (1, 400),
    "informants": (1, 300),
    "coders": (1, 10),
    "segment_chars": (1, 20_000),
}
SELECTIONS = ("two-stage cluster", "purposive", "census", "other")
LEVELS = ("central", "province", "regency", "kecamatan", "kelurahan", "community")
PLANNING = ("top-down", "bottom-up", "mixed")
SOURCE_TYPES = ("interview", "observation", "document")
COMPONENTS = ("revolving_credit", "direct_aid", "infrastructure", "none")
ROLES = (
    "regency_official",
    "kecamatan_official",
    "kelurahan_official",
    "resident",
    "kelurahan_staff",
)
# Reading order of roles for the role-ordered matrix: from the regency down to residents.
ROLE_ORDER = ROLES

#: The fewest recipient households with both incomes from which a study's income change is
#: estimated (validation asks for them; analysis/methods/income/checks.py requires them).
MIN_INCOME_RECIPIENTS = 2

# --- Labels for readers, declared once beside the values they name ---------------------------------
# A table or a sentence shows ``label(field, value)``, never the stored value: "revolving credit",
# not ``revolving_credit``. A value the mapping does not name (a business type of a user's own
# study, say) reads as its words: underscores become spaces.

ROLE_LABELS = {
    "regency_official": N_("regency official"),
    "kecamatan_official": N_("kecamatan official"),
    "kelurahan_official": N_("kelurahan official"),
    "resident": N_("resident"),
    "kelurahan_staff": N_("kelurahan staff"),
}
COMPONENT_LABELS = {
    "revolving_credit": N_("revolving credit"),
    "direct_aid": N_("direct aid"),
    "infrastructure": N_("infrastructure"),
    "none": N_("no component"),
}
SELECTION_LABELS = {
    "two-stage cluster": N_("two-stage cluster sample"),
    "purposive": N_("purposive selection"),
    "census": N_("census (everyone)"),
    "other": N_("other"),
}
SOURCE_TYPE_LABELS = {
    "interview": N_("interview"),
    "observation": N_("observation"),
    "document": N_("document"),
}
INFORMANT_TYPE_LABELS = {
    "core": N_("core informant"),
    "additional": N_("additional informant"),
}
CLUSTER_TYPE_LABELS = {
    "desa": N_("desa (village)"),
    "kelurahan": N_("kelurahan (urban village)"),
}
#: Businesses of the shipped households and informants (free text: other values read as words).
BUSINESS_TYPE_LABELS = {
    "food_stall": N_("food stall"),
    "grocery_kiosk": N_("grocery kiosk"),
    "handicraft": N_("handicraft"),
    "laundry": N_("laundry"),
    "motorcycle_repair": N_("motorcycle repair"),
    "snack_maker": N_("snack maker"),
    "tailoring": N_("tailoring"),
    "vegetable_seller": N_("vegetable seller"),
}
#: What revolving credit was used for (free text: other values read as words).
CREDIT_USE_LABELS = {
    "raw_materials": N_("raw materials"),
    "equipment": N_("equipment"),
    "working_capital": N_("working capital"),
}
LEVEL_LABELS = {
    "central": N_("central"),
    "province": N_("province"),
    "regency": N_("regency"),
    "kecamatan": N_("kecamatan"),
    "kelurahan": N_("kelurahan"),
    "community": N_("community"),
}
PLANNING_LABELS = {
    "top-down": N_("top-down"),
    "bottom-up": N_("bottom-up"),
    "mixed": N_("mixed"),
}
#: Themes of the shipped codebooks (free text: other values read as words).
THEME_LABELS = {
    "meaning": N_("meaning"),
    "indicators": N_("indicators"),
    "causes": N_("causes"),
    "strategies": N_("strategies"),
    "programmes": N_("programmes"),
    "empowerment": N_("empowerment"),
    "infrastructure": N_("infrastructure"),
    "outcomes": N_("outcomes"),
}
THEME_GROUP_LABELS = {
    "understanding poverty": N_("understanding poverty"),
    "responding to poverty": N_("responding to poverty"),
}
#: What the numbers of a data file are (datapackage.json ``edition``, :func:`analysis.data.loading.edition`).
EDITION_LABELS = {
    "real": N_("real"),
    "illustrative": N_("illustrative"),
    "published": N_("published"),  # the studies' published facts (the registry): not generated
    "field": N_("field"),
    "mixed": N_("illustrative and field"),  # a chapter over studies of both kinds
}
AREA_TYPE_LABELS = {
    "regency": N_("regency"),
    "city": N_("city"),
    "province": N_("province"),
    "country": N_("country"),
}
ROUND_LABELS = {"March": N_("March"), "September": N_("September")}


#: Largest amount of money any file may hold (10^12 Rupiah): anything larger is a typing error,
#: and numbers beyond 64-bit integers must be reported, not overflow.
MAX_RUPIAH = 10**12


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
    pattern: str | None = None  # regular expression the whole (text) value must match
    max_length: int | None = None  # the most characters a (text) value may have
    #: Text readers see, which may come with companion columns ``<name>@<lang>`` holding its
    #: translation (``place@id``); see :func:`companion` and :func:`localise`.
    translatable: bool = False
    #: A translatable label whose cell without a translation is shown marked in another edition
    #: ("Livelihoods (teks asli)"; see :func:`untranslated` and :func:`localise`), never as silent
    #: source-language text passing for a translation.
    marked: bool = False
    #: How a reader reads each value (``revolving_credit`` -> "revolving credit"); see label().
    labels: dict[str, str] | None = field(default=None, hash=False, compare=False)

    def label(self, value) -> str:
        """``value`` as a reader reads it, in the current language: its label, or its words."""
        return _label(self.labels, value)


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
    #: "real" (published figures), "illustrative" (generated) or "published" (the studies' own
    #: published facts: the registry)
    edition: str = "illustrative"
    field_extra: dict = field(default_factory=dict)

    @property
    def columns(self) -> list[str]:
        return [f.name for f in self.fields]

    @property
    def translatable(self) -> list[str]:
        """The columns that may have companion columns with their translation (``place@id``)."""
        return [f.name for f in self.fields if f.translatable]

    def field(self, name: str) -> Field:
        for f in self.fields:
            if f.name == name:
                return f
        raise KeyError(name)


_site = Field(
    "site",
    "string",
    N_("Study the row belongs to: a site listed in study/studies.csv."),
    references=("studies", "site"),
    max_length=MAX_SITE_LENGTH,
)

#: What a study's data are (the registry's ``data_kind``), read as the editions are.
DATA_KINDS = ("illustrative", "field")
DATA_KIND_LABELS = {kind: EDITION_LABELS[kind] for kind in DATA_KINDS}

STUDIES = FileSpec(
    key="studies",
    path="study/studies.csv",
    title=N_("Study registry"),
    description=N_(
        "One row a study: its site identifier (the key every other study file's site column "
        "refers to), what it is, where, how it chose its informants and what it claims. The book "
        "has a qualitative chapter for every study, an income chapter for every study with "
        "households, a context chapter for every distinct regency code."
    ),
    primary_key=("site",),
    edition="published",
    fields=(
        Field(
            "site",
            "string",
            N_("Study identifier: lower case letters, digits and hyphens (e.g. pakis)."),
            unique=True,
            pattern=SITE_PATTERN,
            max_length=MAX_SITE_LENGTH,
        ),
        Field("short_name", "string", N_("Short name of the study's place for titles and tables.")),
        Field("title", "string", N_("Title of the study (as published).")),
        Field(
            "place",
            "string",
            N_(
                "Where the study was done, e.g. Kelurahan Pakis, Kecamatan Banyuwangi, Kabupaten Banyuwangi."
            ),
            translatable=True,
        ),
        Field(
            "regency_code",
            "string",
            N_("BPS 4-digit code of the regency or city (3510 Banyuwangi); empty when unknown."),
            nullable=True,
            pattern=r"\d{4}",
        ),
        Field(
            "regency_name",
            "string",
            N_("Name of that regency or city, for the context chapter's title."),
            required=False,
            nullable=True,
        ),
        Field(
            "programme",
            "string",
            N_("Programme the study looks at (P2KP, PNPM, ...)."),
            translatable=True,
        ),
        Field(
            "selection",
            "string",
            N_("How the informants were chosen."),
            enum=SELECTIONS,
            labels=SELECTION_LABELS,
        ),
        Field(
            "headline",
            "string",
            N_("What the qualitative chapter is about, for its title (after the short name)."),
            required=False,
            nullable=True,
            translatable=True,
        ),
        Field(
            "fieldwork_year",
            "integer",
            N_("Year of the fieldwork (or of the publication when no other year is given)."),
            unit="year",
            required=False,
            nullable=True,
            minimum=1990,
            maximum=2100,
        ),
        Field(
            "claim_pct_low",
            "number",
            N_(
                "Published mean household income change, lower end; empty when the study makes no such claim."
            ),
            unit="percent",
            required=False,
            nullable=True,
        ),
        Field(
            "claim_pct_high",
            "number",
            N_(
                "Published mean household income change, upper end (same as low for a single figure)."
            ),
            unit="percent",
            required=False,
            nullable=True,
        ),
        Field(
            "claim_rp_low",
            "integer",
            N_("Published mean change in Rupiah a month, lower end; empty when none."),
            unit="Rupiah per month",
            required=False,
            nullable=True,
            money=True,
        ),
        Field(
            "claim_rp_high",
            "integer",
            N_("Published mean change in Rupiah a month, upper end."),
            unit="Rupiah per month",
            required=False,
            nullable=True,
            money=True,
        ),
        Field(
            "claim_informants_core",
            "integer",
            N_("Core informants the study reports; empty when it reports no number."),
            required=False,
            nullable=True,
            minimum=0,
        ),
        Field(
            "claim_informants_additional",
            "integer",
            N_("Additional (supporting) informants the study reports."),
            required=False,
            nullable=True,
            minimum=0,
        ),
        Field(
            "claim_credit_use",
            "string",
            N_("What the study says credit was used for (credit_use values separated by ';')."),
            required=False,
            nullable=True,
        ),
        Field(
            "sample_clusters",
            "integer",
            N_("Two-stage designs: clusters (desa/kelurahan) drawn at stage 1."),
            required=False,
            nullable=True,
            minimum=1,
        ),
        Field(
            "sample_per_cluster",
            "string",
            N_(
                "Two-stage designs: units drawn in each cluster by stratum, e.g. "
                "'kelurahan_official=1; resident=3'."
            ),
            required=False,
            nullable=True,
        ),
        Field(
            "sampling_seed",
            "integer",
            N_(
                "Two-stage designs: seed of the draw the chapter redoes (this project's choice: "
                "the studies publish none)."
            ),
            required=False,
            nullable=True,
        ),
        Field(
            "context_start",
            "integer",
            N_("First year the context chapter looks at (default: the whole BPS series)."),
            unit="year",
            required=False,
            nullable=True,
            minimum=1990,
            maximum=2100,
        ),
        Field(
            "context_end",
            "integer",
            N_("Last year the context chapter looks at."),
            unit="year",
            required=False,
            nullable=True,
            minimum=1990,
            maximum=2100,
        ),
        Field(
            "context_note",
            "string",
            N_("Why the context chapter looks at those years."),
            required=False,
            nullable=True,
            translatable=True,
        ),
        Field(
            "design",
            "string",
            N_("The study's design as it reports it (e.g. qualitative, descriptive)."),
            required=False,
            nullable=True,
            translatable=True,
        ),
        Field(
            "sampling_description",
            "string",
            N_(
                "How the study says it chose its informants, in its own words and language, "
                "quoted from its published abstract or text (empty: not recorded)."
            ),
            required=False,
            nullable=True,
        ),
        Field(
            "data_collection",
            "string",
            N_("How the study collected its data (interviews, observation, documents, survey)."),
            required=False,
            nullable=True,
            translatable=True,
        ),
        Field(
            "analysis_method",
            "string",
            N_("How the study analysed its data, in its own terms."),
            required=False,
            nullable=True,
            translatable=True,
        ),
        Field(
            "reported",
            "string",
            N_("What the study reports, in a sentence or two (its own statements, not results)."),
            required=False,
            nullable=True,
            translatable=True,
        ),
        Field(
            "reference",
            "string",
            N_("How to cite the study (title, kind, repository record)."),
            translatable=True,
        ),
        Field(
            "data_kind",
            "string",
            N_(
                "What this study's rows in the study files are: illustrative (generated by the "
                "project's seeded code) or field (the researcher's own data). Every banner, figure "
                "mark and verdict of the study follows it; empty: decided by the checksums of "
                "datapackage.json."
            ),
            required=False,
            nullable=True,
            enum=DATA_KINDS,
            labels=DATA_KIND_LABELS,
        ),
    ),
)

SAMPLING_FRAME = FileSpec(
    key="sampling_frame",
    path="study/sampling_frame.csv",
    title=N_("Sampling frame"),
    description=N_(
        "The frame of a two-stage cluster study: one row a cluster (desa or kelurahan) and "
        "stratum, with the number of units (officials, poor households' residents) listed in it. "
        "The chapter redoes the draw from it with the registry's design (sample_clusters, "
        "sample_per_cluster, sampling_seed): clusters by probability proportional to size, then "
        "units within each drawn cluster."
    ),
    primary_key=("site", "cluster", "stratum"),
    required=False,
    fields=(
        _site,
        Field("cluster", "string", N_("Cluster (desa or kelurahan) of the frame.")),
        Field(
            "cluster_type",
            "string",
            N_("desa (village) or kelurahan (urban village)."),
            enum=("desa", "kelurahan"),
            labels=CLUSTER_TYPE_LABELS,
        ),
        Field("kecamatan", "string", N_("Kecamatan (district) of the cluster.")),
        Field(
            "stratum",
            "string",
            N_("Stratum of the units (a role)."),
            enum=ROLES,
            labels=ROLE_LABELS,
        ),
        Field("size", "integer", N_("Units of the stratum listed in the cluster."), minimum=0),
    ),
)

PROGRAMMES = FileSpec(
    key="programmes",
    path="study/programmes.csv",
    title=N_("Programme inventory"),
    description=N_(
        "Poverty-alleviation programmes named by the studies, one row a programme and site."
    ),
    primary_key=("site", "programme"),
    fields=(
        _site,
        Field(
            "programme",
            "string",
            N_("Programme name as used locally (Indonesian acronym where there is one)."),
            translatable=True,
        ),
        Field(
            "level",
            "string",
            N_("Level of government that designs the programme."),
            enum=LEVELS,
            labels=LEVEL_LABELS,
        ),
        Field(
            "sector",
            "string",
            N_(
                "Sector the programme works in (food security, health, infrastructure, economy, ...)."
            ),
            translatable=True,
        ),
        Field(
            "instrument",
            "string",
            N_(
                "What the programme hands out: direct aid, revolving credit, training, infrastructure, ..."
            ),
            translatable=True,
        ),
        Field(
            "planning",
            "string",
            N_("How the programme is planned."),
            enum=PLANNING,
            labels=PLANNING_LABELS,
        ),
        Field("target", "string", N_("Who the programme is meant to reach."), translatable=True),
        Field(
            "source",
            "string",
            N_("Where the programme is documented (study, guideline, regulation)."),
            translatable=True,
        ),
        Field(
            "regency_innovation",
            "boolean",
            N_(
                "True for a regency programme that reaches poor households (RTM) missing from central data."
            ),
            required=False,
            nullable=True,
        ),
        Field(
            "description",
            "string",
            N_("One-line description of what the programme does."),
            required=False,
            nullable=True,
            translatable=True,
        ),
    ),
)

INFORMANTS = FileSpec(
    key="informants",
    path="study/informants.csv",
    title=N_("Informants"),
    description=N_("Pseudonymous informants interviewed at each site."),
    primary_key=("informant_id",),
    fields=(
        Field(
            "informant_id",
            "string",
            N_("Pseudonymous informant id (never a name)."),
            unique=True,
            max_length=MAX_ID_LENGTH,
        ),
        _site,
        Field(
            "role",
            "string",
            N_("Role of the informant, ordered from the regency down to residents."),
            enum=ROLES,
            labels=ROLE_LABELS,
        ),
        Field(
            "level",
            "string",
            N_("Level of government or community the informant speaks from."),
            enum=LEVELS,
            labels=LEVEL_LABELS,
        ),
        Field(
            "cluster",
            "string",
            N_(
                "Sampling cluster (kelurahan) the informant was drawn from; empty for regency officials."
            ),
            nullable=True,
        ),
        Field(
            "consent_quote",
            "boolean",
            N_(
                "True when the informant agreed to be quoted; quotes of others never appear in the book."
            ),
        ),
        Field(
            "informant_type",
            "string",
            N_("core (main informant) or additional (supporting informant)."),
            required=False,
            nullable=True,
            enum=("core", "additional"),
            labels=INFORMANT_TYPE_LABELS,
        ),
        Field(
            "business_type",
            "string",
            N_("Small business the resident runs, where one."),
            required=False,
            nullable=True,
            labels=BUSINESS_TYPE_LABELS,
        ),
        Field(
            "agency",
            "string",
            N_(
                "Office an official works in (Bappeda, Dinas Sosial, TKPK, kecamatan office, ...); empty for residents."
            ),
            required=False,
            nullable=True,
        ),
    ),
)

#: How a finding's codes combine (codebook ``finding_logic``; empty: "any").
FINDING_LOGICS = ("any", "all")

CODEBOOK = FileSpec(
    key="codebook",
    path="study/codebook.csv",
    title=N_("Codebook"),
    description=N_("Codes used to code the segments, each under one of the study's themes."),
    primary_key=("code",),
    fields=(
        Field(
            "code", "string", N_("Code name (snake_case)."), unique=True, max_length=MAX_ID_LENGTH
        ),
        Field(
            "theme",
            "string",
            N_(
                "Theme the code belongs to (meaning, indicators, causes, strategies, programmes, empowerment, infrastructure, ...)."
            ),
            labels=THEME_LABELS,
        ),
        Field(
            "description",
            "string",
            N_("What a segment must say to receive the code."),
            translatable=True,
        ),
        Field(
            "theme_label",
            "string",
            N_(
                "Readable name of the code's theme for headings, tables and figures (e.g. 'Livelihoods'); "
                "empty: the theme as written (the shipped themes have their names). One per theme."
            ),
            required=False,
            nullable=True,
            translatable=True,
            marked=True,
        ),
        Field(
            "theme_group",
            "string",
            N_(
                "Conceptual cluster of the theme: 'understanding poverty' or 'responding to poverty'."
            ),
            required=False,
            nullable=True,
            labels=THEME_GROUP_LABELS,
        ),
        Field(
            "label",
            "string",
            N_("Short English label of the code for tables and figures."),
            required=False,
            nullable=True,
            translatable=True,
            marked=True,
        ),
        Field(
            "finding",
            "string",
            N_(
                "Finding reported by the study that segments with this code support; empty when none."
            ),
            required=False,
            nullable=True,
            translatable=True,
        ),
        Field(
            "finding_site",
            "string",
            N_("Site whose study reports that finding."),
            required=False,
            nullable=True,
            references=("studies", "site"),
            max_length=MAX_SITE_LENGTH,
        ),
        Field(
            "finding_logic",
            "string",
            N_(
                "How the finding's codes combine: 'all' when the study states them jointly (an "
                "informant supports the finding only by using every one of its codes), 'any' "
                "(or empty) when any one of them supports it. The same for every code of a finding."
            ),
            required=False,
            nullable=True,
            enum=FINDING_LOGICS,
        ),
    ),
)

SEGMENTS = FileSpec(
    key="segments",
    path="study/segments.csv",
    title=N_("Coded segments"),
    description=N_(
        "Coded text segments from interviews, observation notes and documents: one row a (segment, code, coder)."
    ),
    primary_key=("segment_id", "code", "coder"),
    fields=(
        Field(
            "segment_id",
            "string",
            N_(
                "Segment id; a segment coded with several codes or by several coders appears on several rows."
            ),
            max_length=MAX_ID_LENGTH,
        ),
        _site,
        Field(
            "source_id",
            "string",
            N_("Interview, observation note or document the segment comes from."),
            max_length=MAX_ID_LENGTH,
        ),
        Field(
            "source_type",
            "string",
            N_("Kind of source."),
            enum=SOURCE_TYPES,
            labels=SOURCE_TYPE_LABELS,
        ),
        Field(
            "code",
            "string",
            N_("Code applied to the segment."),
            references=("codebook", "code"),
            max_length=MAX_ID_LENGTH,
        ),
        Field("coder", "string", N_("Who applied the code."), max_length=MAX_ID_LENGTH),
        Field("text", "string", N_("Segment text, in Indonesian as recorded.")),
        Field(
            "informant_id",
            "string",
            N_("Informant speaking (interviews); empty for observation notes and documents."),
            required=False,
            nullable=True,
            references=("informants", "informant_id"),
            max_length=MAX_ID_LENGTH,
        ),
        Field(
            "gloss_en", "string", N_("English gloss of the text."), required=False, nullable=True
        ),
    ),
)

HOUSEHOLDS = FileSpec(
    key="households",
    path="study/households.csv",
    title=N_("Household incomes"),
    description=N_("Monthly household income before and after the programme, one row a household."),
    primary_key=("household_id",),
    fields=(
        Field("household_id", "string", N_("Household id."), unique=True, max_length=MAX_ID_LENGTH),
        _site,
        Field("kelurahan", "string", N_("Kelurahan (urban village) of the household.")),
        Field(
            "cluster",
            "string",
            N_("Sampling cluster (neighbourhood, RW) used for cluster-robust errors."),
        ),
        Field("recipient", "boolean", N_("True when the household received the programme.")),
        Field(
            "component",
            "string",
            N_("Programme component received."),
            enum=COMPONENTS,
            labels=COMPONENT_LABELS,
        ),
        Field(
            "income_before",
            "integer",
            N_("Household income before the programme."),
            unit="Rupiah per month",
            minimum=1,
            maximum=MAX_RUPIAH,
            money=True,
        ),
        Field(
            "income_after",
            "integer",
            N_("Household income after the programme."),
            unit="Rupiah per month",
            minimum=1,
            maximum=MAX_RUPIAH,
            money=True,
        ),
        Field(
            "year_before",
            "integer",
            N_("Year the 'before' income refers to."),
            unit="year",
            minimum=1990,
            maximum=2100,
        ),
        Field(
            "year_after",
            "integer",
            N_("Year the 'after' income refers to."),
            unit="year",
            minimum=1990,
            maximum=2100,
        ),
        Field(
            "loan_amount",
            "integer",
            N_("Revolving-credit loan received."),
            unit="Rupiah",
            required=False,
            nullable=True,
            minimum=0,
            maximum=MAX_RUPIAH,
            money=True,
        ),
        Field(
            "business_type",
            "string",
            N_("Household business."),
            required=False,
            nullable=True,
            labels=BUSINESS_TYPE_LABELS,
        ),
        Field(
            "informant_id",
            "string",
            N_("Informant of the household, where it is one."),
            required=False,
            nullable=True,
            references=("informants", "informant_id"),
            max_length=MAX_ID_LENGTH,
        ),
        Field(
            "credit_use",
            "string",
            N_("What the credit was used for (raw_materials, equipment, ...)."),
            required=False,
            nullable=True,
            labels=CREDIT_USE_LABELS,
        ),
    ),
)

STUDY_FILES = (
    STUDIES,
    PROGRAMMES,
    INFORMANTS,
    CODEBOOK,
    SEGMENTS,
    HOUSEHOLDS,
    SAMPLING_FRAME,
)


#: The book's own front matter, for a data folder whose studies are not the shipped ones: the
#: title and subtitle (each with its ``@id`` companion). Absent: the shipped title for the shipped
#: studies, else a title made from the registry (:func:`analysis.pipeline.pages.book_title`).
BOOK = FileSpec(
    key="book",
    path="study/book.csv",
    title=N_("Book title"),
    description=N_(
        "One row: the title and subtitle of the book built from this data folder. Optional: "
        "without it, the shipped studies keep the shipped title and other studies get one made "
        "from the registry's short names."
    ),
    required=False,
    edition="field",
    fields=(
        Field(
            "title",
            "string",
            N_("Title of the book (its landing page's heading and every page's title)."),
            max_length=300,
            translatable=True,
            marked=True,
        ),
        Field(
            "subtitle",
            "string",
            N_("Subtitle of the book, shown under the title on the landing page; may be empty."),
            required=False,
            nullable=True,
            max_length=300,
            translatable=True,
            marked=True,
        ),
    ),
)
#: The most rows ``study/book.csv`` may have: it describes one book.
BOOK_ROWS = 1


def study_file(key: str) -> FileSpec:
    """The spec of a study file by its key ("segments", ...)."""
    for spec in STUDY_FILES:
        if spec.key == key:
            return spec
    raise KeyError(key)


# --- Real public data (data/public/): BPS figures carried from published sources -----------------
# Produced once by scripts/reference_import.py (a maintainers' tool); the committed CSVs are the product.

AREA_TYPES = ("regency", "city", "province", "country")
ROUNDS = ("March", "September")
POVERTY_INDICATORS = ("p0", "poor_thousands", "poor_persons", "poverty_line", "p1", "p2")
#: Unit of each poverty indicator (the files carry it in their ``unit`` column, row by row).
POVERTY_UNITS = {
    "p0": "percent",
    "poor_thousands": "thousand persons",
    "poor_persons": "persons",
    "poverty_line": "Rupiah per capita per month",
    "p1": "index",
    "p2": "index",
}
INFLATION_INDICATORS = ("cpi_inflation_dec_on_dec", "cpi_level_dec")

#: The BPS release a published figure comes from, named at the precision the page that reports
#: it supports; kept apart from where the figure was retrieved (a news report, a copy, a repository).
RELEASE_FIELD = Field(
    "release",
    "string",
    N_(
        "The BPS release the figure comes from, as precisely as the page that reports it allows: "
        "publication and number where the page names them (Berita Resmi Statistik No. ...: Profil "
        "Kemiskinan di Indonesia Maret 2017), otherwise the issuing office, the figures and the round "
        "(BPS, poverty figures of Kabupaten Jombang, March 2023). No number, table or date is "
        "given that the page does not."
    ),
)
#: Where a figure was retrieved: never the figure's source, only the way to it.
RETRIEVAL_FIELDS = (
    Field(
        "source",
        "string",
        N_(
            "Where the figure was retrieved: the title of the page that reports the release (a news "
            "report, a copy of the release, a public repository), not the figure's source."
        ),
    ),
    Field(
        "source_url",
        "string",
        N_("Address of the page the figure was retrieved from."),
        nullable=True,
    ),
)

_poverty_fields = (
    Field(
        "area_code",
        "string",
        N_("BPS area code: 4 digits for a regency or city, 2 for a province, '00' for Indonesia."),
        pattern=AREA_CODE_PATTERN,
    ),
    Field("area_name", "string", N_("Area name as BPS writes it (cities as 'Kota ...').")),
    Field(
        "area_type",
        "string",
        N_("regency (kabupaten), city (kota; BPS code digits 3-4 from 71), province or country."),
        enum=AREA_TYPES,
        labels=AREA_TYPE_LABELS,
    ),
    Field(
        "province",
        "string",
        N_("Province the area belongs to (empty for Indonesia)."),
        nullable=True,
    ),
    Field(
        "year", "integer", N_("Year of the survey round."), unit="year", minimum=1990, maximum=2100
    ),
    Field(
        "round",
        "string",
        N_("Survey round (Susenas March or September)."),
        enum=ROUNDS,
        labels=ROUND_LABELS,
    ),
    Field(
        "indicator",
        "string",
        N_(
            "p0 headcount rate; poor_thousands / poor_persons number poor; poverty_line; p1 depth; p2 severity."
        ),
        enum=POVERTY_INDICATORS,
    ),
    Field(
        "value",
        "number",
        N_("Value of the indicator, in the unit of the row."),
        unit="see column unit",
    ),
    Field(
        "unit",
        "string",
        N_(
            "Unit of the value: percent, thousand persons, persons, Rupiah per capita per month, index."
        ),
    ),
    RELEASE_FIELD,
    *RETRIEVAL_FIELDS,
    Field(
        "note",
        "string",
        N_("Who is quoted, discrepancies between sources, caveats."),
        nullable=True,
    ),
)

BPS_REGENCY_P0 = FileSpec(
    key="bps_regency_p0",
    path="public/bps_regency_p0_2010_2018.csv",
    title=N_("Poverty rate (P0) of all 514 regencies and cities, March 2010-2018"),
    description=N_(
        "Headcount poverty rate (P0, percent of the population below the BPS poverty line, March round) "
        "for all 514 Indonesian regencies and cities, 2010-2018, one row an area and year. "
        "Badan Pusat Statistik figures as compiled by Miranti (2020), who does not name the BPS "
        "publication: each row's release names BPS, the figure and its round."
    ),
    primary_key=("area_code", "year", "round", "indicator", "source"),
    edition="real",
    fields=_poverty_fields,
)

BPS_PROVINCE_POVERTY = FileSpec(
    key="bps_province_poverty",
    path="public/bps_province_poverty_2015_2025.csv",
    title=N_("Poverty by province and for Indonesia, March and September 2015-2025"),
    description=N_(
        "BPS table 'Jumlah dan Persentase Penduduk Miskin Menurut Provinsi': percentage poor (p0), number poor "
        "(thousands) and poverty line (Rupiah per capita per month; not in the 2015 and 2016 tables), March and "
        "September rounds, every province and Indonesia. A figure BPS did not publish (shown '...') has no row. "
        "The Indonesia and Jawa Timur rows are the figures of BPS's releases (Berita Resmi Statistik 'Profil "
        "Kemiskinan', named with its number where the page gives it, otherwise by its round) as reported on "
        "the page each row was retrieved from (the compiled tables hold defects in the national rows, e.g. "
        "September 2017 P0 given for March); "
        "they include the September 2019-2022 rounds. There was no September 2023 round: BPS computed none."
    ),
    primary_key=("area_code", "year", "round", "indicator", "source"),
    edition="real",
    fields=_poverty_fields,
)

REGENCY_UPDATES = FileSpec(
    key="regency_updates",
    path="public/regency_updates_2013_2025.csv",
    title=N_("Later and extra poverty figures for Jombang and Banyuwangi, 2013-2025"),
    description=N_(
        "P0, number poor, poverty line and P1/P2 for Jombang (3517) and Banyuwangi (3510) beyond the 2010-2018 "
        "series, each from the page that reports it (BPS officials or releases quoted); the release names the "
        "BPS office and the round, the pages name no publication. Banyuwangi March 2013 P0 "
        "is 9.57 here and 9.61 in bps_regency_p0_2010_2018.csv (a different release): both are kept."
    ),
    primary_key=("area_code", "year", "round", "indicator", "source_url"),
    edition="real",
    fields=_poverty_fields,
)

CPI_INFLATION_NATIONAL = FileSpec(
    key="cpi_inflation_national",
    path="public/cpi_inflation_national.csv",
    title=N_("National consumer price inflation, December on December, 2011-2017"),
    description=N_(
        "Indonesian CPI inflation, December on December, as BPS reported it (news pages quoting the head of BPS; "
        "the release is named by its month, the pages name no publication), "
        "and the CPI level of December 2016 (2012 = 100). Used to deflate nominal incomes between recall years."
    ),
    primary_key=("area_code", "year", "indicator"),
    edition="real",
    fields=(
        Field(
            "area_code",
            "string",
            N_("BPS area code ('00' for Indonesia)."),
            pattern=AREA_CODE_PATTERN,
        ),
        Field("area_name", "string", N_("Area name.")),
        Field(
            "year",
            "integer",
            N_("Year (December of that year)."),
            unit="year",
            minimum=1990,
            maximum=2100,
        ),
        Field(
            "indicator",
            "string",
            N_(
                "cpi_inflation_dec_on_dec: inflation December on December; cpi_level_dec: CPI level in December."
            ),
            enum=INFLATION_INDICATORS,
        ),
        Field(
            "value",
            "number",
            N_("Value of the indicator, in the unit of the row."),
            unit="see column unit",
        ),
        Field("unit", "string", N_("percent (inflation) or index (2012=100) (CPI level).")),
        RELEASE_FIELD,
        *RETRIEVAL_FIELDS,
        Field("note", "string", N_("Who is quoted, discrepancies between sources."), nullable=True),
    ),
)

PUBLIC_FILES = (BPS_REGENCY_P0, BPS_PROVINCE_POVERTY, REGENCY_UPDATES, CPI_INFLATION_NATIONAL)
ALL_FILES = STUDY_FILES + (BOOK,) + PUBLIC_FILES


def public_file(key: str) -> FileSpec:
    """The spec of a public file by its key ("bps_regency_p0", ...) or file name ("bps_regency_p0_2010_2018.csv")."""
    for spec in PUBLIC_FILES:
        name = spec.path.rsplit("/", 1)[-1]
        if key in (spec.key, name, name.removesuffix(".csv"), spec.path):
            return spec
    raise KeyError(key)


def file_spec(key: str) -> FileSpec:
    """The spec of any data file (study or public) by its key."""
    if key == BOOK.key:
        return BOOK
    try:
        return study_file(key)
    except KeyError:
        return public_file(key)


# --- label lookup ------------------------------------------------------------------------------------


def words(value) -> str:
    """A stored value without a label, as a reader reads it: ``batik_maker`` is "batik maker"."""
    if value is None or (isinstance(value, float) and value != value):
        return ""
    return str(value).replace("_", " ")


def _label(labels: dict[str, str] | None, value, lang: str | None = None) -> str:
    if labels and str(value) in labels:
        text = labels[str(value)]
        return _(text) if lang is None else translations(lang).gettext(text)
    return words(value)


@cache
def field_labels() -> dict[str, dict[str, str]]:
    """Every labelled column by name (``{"role": ROLE_LABELS, ...}``), across all data files.

    A column name that appears in several files (``business_type``, ``role``/``stratum``) has one
    set of labels; a contradiction is a defect of this module and raises.
    """
    found: dict[str, dict[str, str]] = {}
    for spec in ALL_FILES:
        for f in spec.fields:
            if f.labels is None:
                continue
            if f.name in found and found[f.name] != f.labels:
                raise ValueError(f"column {f.name} has two sets of labels ({spec.path})")
            found[f.name] = f.labels
    return found


def labelled(name: str) -> bool:
    """True when the column ``name`` holds values that are shown through labels."""
    return name in field_labels()


def label(field_name, value, lang: str | None = None) -> str:
    """How a reader reads ``value`` of the column ``field_name`` (a name or a :class:`Field`), in
    ``lang`` (by default the current language).

    ``label("component", "revolving_credit")`` is "revolving credit"; a value without a declared
    label reads as its words (``label("business_type", "batik_maker")`` is "batik maker"); an empty
    value reads as "". Site identifiers are labelled from the study registry, not here
    (:func:`analysis.data.registry.labels`).
    """
    if isinstance(field_name, Field):
        return _label(field_name.labels, value, lang) if lang else field_name.label(value)
    return _label(_labels_of(field_name), value, lang)


def _labels_of(field_name: str) -> dict[str, str]:
    labels = field_labels()
    if field_name not in labels:
        raise KeyError(
            f"column {field_name!r} has no labels; labelled: {', '.join(sorted(labels))}"
        )
    return labels[field_name]


def label_map(field_name) -> dict[str, str]:
    """Every declared value of a labelled column -> its label in the current language.

    For ``series.map(label_map("role"))``; values the mapping lacks are better read with
    :func:`label` (their words), e.g. ``series.map(lambda v: label("role", v))``.
    """
    if isinstance(field_name, Field):
        labels = field_name.labels or {}
    else:
        labels = _labels_of(field_name)
    return {value: _(text) for value, text in labels.items()}


def edition_label(edition: str) -> str:
    """How a reader reads a file's edition (``real``, ``illustrative``, ``field``), translated."""
    return _label(EDITION_LABELS, edition)


# --- translated text: companion columns ``<column>@<lang>`` -------------------------------------------
# A text column readers see (``Field.translatable``) may come with one companion column a language
# holding its translation: ``place@id`` beside ``place``. An empty companion cell falls back to the
# column itself. :func:`analysis.data.loading.load` returns, in the current language, the
# translation in the column itself and never the companion columns.

COMPANION_MARK = "@"
#: Languages a companion column may be in: every edition's language except the source language.
COMPANION_LANGUAGES = tuple(lang for lang in LANGUAGES if lang != SOURCE_LANGUAGE)


def companion(column: str, lang: str) -> str:
    """The name of ``column``'s companion column in ``lang``: ``companion("place", "id")`` is
    ``"place@id"``."""
    return f"{column}{COMPANION_MARK}{lang}"


def split_companion(column: str) -> tuple[str, str] | None:
    """``("place", "id")`` for ``"place@id"``; None for a column that is not a companion."""
    base, mark, lang = str(column).rpartition(COMPANION_MARK)
    if not mark or not base:
        return None
    return base, lang


def companion_columns(spec: FileSpec, columns) -> list[str]:
    """The columns among ``columns`` that are companion columns (declared or not)."""
    return [c for c in columns if split_companion(c) is not None and c not in spec.columns]


def companion_problem(spec: FileSpec, column: str) -> str | None:
    """What is wrong with the companion column ``column`` of ``spec``'s file (None: nothing)."""
    base, lang = split_companion(column)
    languages = ", ".join(COMPANION_LANGUAGES)
    if base not in spec.columns:
        return (
            f"a companion column <column>@<language> of a translatable column of {spec.path} "
            f"({', '.join(spec.translatable) or 'it has none'}); {base!r} is not a column of it"
        )
    if not spec.field(base).translatable:
        return (
            f"a companion column of a translatable column ({', '.join(spec.translatable) or 'none'}); "
            f"{base} is not translatable"
        )
    if lang not in COMPANION_LANGUAGES:
        return f"a companion column in a language of the book's editions ({languages}), e.g. {companion(base, COMPANION_LANGUAGES[0])}"
    return None


#: How an edition shows a label the data give only in the source language (a ``Field.marked``
#: column without its companion cell): the original, followed by this mark in the edition's language.
UNTRANSLATED = N_("{text} (original)")


def untranslated(text: str, lang: str | None = None) -> str:
    """``text``, a label the data give only as written, as an edition in ``lang`` (default: the
    current language) shows it: itself in the source language, marked in another
    ("Livelihoods (teks asli)"), so that no reader takes it for a translation."""
    from analysis.i18n import translations

    lang = check_language(lang) if lang else language()
    if lang == SOURCE_LANGUAGE:
        return text
    return translations(lang).gettext(UNTRANSLATED).format(text=text)


def _filled(column):
    return column.notna() & (column.astype("object").astype(str).str.strip() != "")


def localise(frame, spec: FileSpec, lang: str | None = None):
    """``frame`` with each translatable column in ``lang`` (default: the current language) and
    without its companion columns.

    A translatable column takes its companion ``<column>@<lang>`` where that cell is filled and
    keeps its own text where it is empty; in the source language it keeps its own text. A
    ``marked`` column's text without a translation is marked as such in another language
    (:func:`untranslated`). The input frame is not changed.
    """
    lang = check_language(lang) if lang else language()
    extra = companion_columns(spec, frame.columns)
    marked = (
        [f.name for f in spec.fields if f.marked and f.name in frame.columns]
        if lang != SOURCE_LANGUAGE
        else []
    )
    if not extra and not marked:
        return frame
    out = frame.copy()
    if lang != SOURCE_LANGUAGE:
        for name in spec.translatable:
            if name not in out.columns:
                continue
            other = companion(name, lang)
            filled = _filled(out[other]) if other in out.columns else out[name].isna() & False
            if name in marked:
                bare = _filled(out[name]) & ~filled
                out[name] = (
                    out[name]
                    .astype("object")
                    .where(~bare, out[name].map(lambda t: untranslated(str(t), lang)))
                )
            if other in out.columns:
                out[name] = out[name].astype("object").where(~filled, out[other])
    return out.drop(columns=extra)
