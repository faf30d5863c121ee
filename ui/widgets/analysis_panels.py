"""The planners' page's panels: districts, coverage, banks, candidates side by side, exports."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import geopandas as gpd
import pandas as pd
import streamlit as st

from geo.banks_analysis import BankAnalysis
from geo.coverage import Coverage
from geo.districts import Partition
from geo.gaps import CandidateResult
from geo.select import Filters
from layers.analysis_text import (
    area_text,
    candidate_rows,
    coverage_rows,
    district_name,
    district_rows,
    residents_text,
    share_text,
    shown_table,
)
from layers.export_analysis import (
    AnalysisFacts,
    Assumptions,
    area_layer,
    build_assumptions,
    csv_with_assumptions,
    district_layer,
    geopackage_with_assumptions,
)
from layers.export_table import export_filename
from layers.i18n import label, number, t
from ui.text import md_escape
from ui.widgets.districts import district_notice_texts, district_notices


@dataclass(frozen=True)
class Results:
    """Everything the panels show, for one city, filters, area and walking distance."""

    city: str
    partition: Partition
    table: pd.DataFrame  # geo.districts.district_table
    coverage: Coverage
    candidates: tuple[CandidateResult, ...]
    candidate_kinds: tuple[str, ...]  # "point" or "area", per candidate
    catchments: gpd.GeoSeries  # per candidate, in the partition's CRS
    banks: BankAnalysis | None
    names: dict[str, str]  # place id -> name in the page's language
    filters: Filters
    district_layer: str
    day: dt.date


def population_dates(partition: Partition) -> tuple[str, ...]:
    """Return the distinct reference dates of the partition's population figures."""
    dates = partition.frame["reference_date"].dropna().astype(str)
    return tuple(sorted({d for d in dates if d}))


def population_sources(partition: Partition) -> tuple[str, ...]:
    """Return the distinct sources of the partition's population figures."""
    sources = partition.frame["source"].dropna().astype(str)
    return tuple(sorted({s for s in sources if s}))


def facts_of(results: Results, *, simplify_m: float | None, lang: str) -> AnalysisFacts:
    """Return what the results rest on, for the exports' assumptions."""
    return AnalysisFacts(
        city=results.city,
        walk_m=results.coverage.walk_m,
        method=results.coverage.method,
        spread=results.coverage.spread,
        population_dates=population_dates(results.partition),
        population_sources=population_sources(results.partition),
        district_layer=results.district_layer,
        district_issues=tuple(text for _, text in district_notice_texts(results.partition, lang)),
        filters=results.filters,
        day=results.day,
        simplify_m=simplify_m,
    )


def render_districts(results: Results, *, scheme: str, k: int, measure: str, lang: str) -> None:
    """Show the table behind the choropleth, the population's date and source."""
    st.caption(
        t(
            "analysis.choropleth_caption",
            lang,
            measure=t(f"analysis.measure.{measure}", lang),
            scheme=t(f"analysis.scheme.{scheme}", lang),
            k=number(k, lang),
        )
    )
    rows = shown_table(district_rows(results.table, lang), lang, hide=(t("analysis.col.id", lang),))
    st.dataframe(rows, hide_index=True, width="stretch", key="analysis_district_table")
    dates = ", ".join(population_dates(results.partition)) or t("analysis.unknown", lang)
    sources = "; ".join(population_sources(results.partition)) or t("analysis.unknown", lang)
    st.caption(md_escape(t("analysis.population_note", lang, date=dates, source=sources)))
    district_notices(results.partition, lang)


def render_coverage(results: Results, lang: str) -> None:
    """Show the share of area and residents within reach, with the assumptions in words."""
    cov = results.coverage
    walk = number(cov.walk_m, lang)
    total = cov.total
    st.markdown(
        md_escape(
            t(
                "analysis.coverage_total",
                lang,
                walk=walk,
                area=share_text(total["area_share"], lang),
                residents=share_text(total["residents_share"], lang),
                n=residents_text(total["covered_residents"], lang),
            )
        )
    )
    st.caption(
        md_escape(
            t(
                "analysis.method_line",
                lang,
                text=t(f"analysis.method.{cov.method}", lang, walk=walk),
            )
        )
    )
    st.caption(
        md_escape(t("analysis.spread_line", lang, text=t(f"analysis.spread.{cov.spread}", lang)))
    )
    st.caption(md_escape(t("analysis.estimate_note", lang)))
    rows = shown_table(coverage_rows(cov.table, lang), lang, hide=(t("analysis.col.id", lang),))
    st.dataframe(rows, hide_index=True, width="stretch", key="analysis_cov_table")


def render_banks(results: Results, lang: str) -> None:
    """Show the places per bank by the bank layer, per kind and status, and disagreements."""
    banks = results.banks
    if banks is None:
        st.caption(t("analysis.no_banks", lang))
        return
    cols = st.columns(len(banks.totals))
    for col, row in zip(cols, banks.totals.itertuples(index=False), strict=True):
        name = (
            t("analysis.bank_none", lang)
            if row.bank == "__none__"
            else label("bank", row.bank, lang)
        )
        col.metric(name, number(int(row.places), lang))
    counts = banks.counts.assign(
        places=[number(int(v), lang) for v in banks.counts["places"]],
        bank=[
            t("analysis.bank_none", lang) if b == "__none__" else label("bank", b, lang)
            for b in banks.counts["bank"]
        ],
        kind=[label("kind", v, lang) for v in banks.counts["kind"]],
        status=[label("status", v, lang) for v in banks.counts["status"]],
    ).rename(
        columns={
            "bank": t("analysis.col.bank", lang),
            "kind": t("analysis.col.kind", lang),
            "status": t("analysis.col.status", lang),
            "places": t("analysis.col.places", lang),
        }
    )
    st.dataframe(counts, hide_index=True, width="stretch", key="analysis_bank_table")
    n = len(banks.disagreements)
    if n:
        st.warning(md_escape(t("analysis.bank_disagree", lang, n=number(n, lang))), icon="⚠️")
        shown = pd.DataFrame(
            {
                t("analysis.col.place", lang): [
                    results.names.get(i, i) for i in banks.disagreements["id"]
                ],
                t("analysis.col.stated", lang): [
                    label("bank", b, lang) for b in banks.disagreements["stated"]
                ],
                t("analysis.col.by_layer", lang): [
                    label("bank", b, lang) for b in banks.disagreements["by_layer"]
                ],
            }
        )
        st.dataframe(shown, hide_index=True, width="stretch", key="analysis_bank_disagree")
    else:
        st.caption(t("analysis.bank_agree", lang))


def candidate_frame(results: Results) -> pd.DataFrame:
    """Return the candidates' results as one frame (for the table and the exports)."""
    return pd.DataFrame(
        {
            "label": [r.label for r in results.candidates],
            "kind": list(results.candidate_kinds),
            "lat": [r.geometry_wgs84.centroid.y for r in results.candidates],
            "lon": [r.geometry_wgs84.centroid.x for r in results.candidates],
            "district": [r.district for r in results.candidates],
            "bank": [r.bank for r in results.candidates],
            "new_area_m2": [r.new_area_m2 for r in results.candidates],
            "new_residents": [r.new_residents for r in results.candidates],
            "catchment_area_m2": [r.catchment_area_m2 for r in results.candidates],
            "nearest": [r.nearest for r in results.candidates],
        }
    )


def render_candidates(results: Results, lang: str, *, on_remove: Callable[[int], None]) -> None:
    """Show the candidates side by side (rows of three), each with a remove button."""
    if not results.candidates:
        st.caption(t("analysis.no_candidates", lang))
        return
    st.caption(
        md_escape(t("analysis.candidates_note", lang, walk=number(results.coverage.walk_m, lang)))
    )
    city = label("city", results.city, lang)
    for result in results.candidates:
        if result.outside:  # beyond the city's districts (or in the other city): adds nothing
            st.warning(
                md_escape(t("analysis.elsewhere", lang, label=result.label, city=city)), icon="⚠️"
            )
    columns: list = []
    for i, result in enumerate(results.candidates):
        if i % 3 == 0:
            columns = list(st.columns(3))
        with columns[i % 3], st.container(border=True, key=f"candidate_{result.label}"):
            _candidate_card(result, results.candidate_kinds[i], results, lang)
            st.button(
                t("analysis.remove", lang),
                key=f"remove_candidate_{i}",
                on_click=on_remove,
                args=(i,),
                icon=":material/close:",
            )


def _candidate_card(result: CandidateResult, kind: str, results: Results, lang: str) -> None:
    where = result.geometry_wgs84.centroid
    district = (
        district_name(result.district, lang) if result.district else t("analysis.outside", lang)
    )
    lines = [
        f"**{md_escape(t('analysis.candidate_marker', lang, label=result.label))}**",
        md_escape(f"{where.y:.5f}, {where.x:.5f}"),
        md_escape(t(f"analysis.candidate_kind.{kind}", lang)),
        md_escape(t("analysis.new_area", lang, area=area_text(result.new_area_m2, lang))),
        md_escape(t("analysis.new_residents", lang, n=residents_text(result.new_residents, lang))),
        md_escape(t("analysis.in_district", lang, district=district)),
    ]
    if result.bank:
        lines.append(md_escape(t("analysis.on_bank", lang, bank=label("bank", result.bank, lang))))
    lines.append(md_escape(t("analysis.nearest", lang)))
    bullets = [
        "- "
        + md_escape(
            t("analysis.nearest_item", lang, name=results.names.get(i, i), m=number(m, lang))
        )
        for i, m in result.nearest
    ]
    # One block of short lines (a Markdown line break is two spaces), then the nearest places.
    st.markdown("  \n".join(lines) + "\n\n" + "\n".join(bullets))


def _exports(results: Results, lang: str, simplify_m: float) -> dict[str, Callable[[], bytes]]:
    def assumptions() -> Assumptions:
        return build_assumptions(facts_of(results, simplify_m=simplify_m, lang=lang), lang)

    def districts_csv() -> bytes:
        return csv_with_assumptions(district_rows(results.table, lang), assumptions())

    def coverage_csv() -> bytes:
        return csv_with_assumptions(coverage_rows(results.coverage.table, lang), assumptions())

    def candidates_csv() -> bytes:
        table = candidate_rows(candidate_frame(results), results.names, lang)
        return csv_with_assumptions(table, assumptions())

    def layers_gpkg() -> bytes:
        names = {d: district_name(d, lang) for d in results.partition.frame["district"]}
        figures = results.table.merge(
            results.coverage.table.drop(columns=["population"]), on="district", how="left"
        )
        districts = district_layer(results.partition.frame, figures, names=pd.Series(names))
        cov = area_layer(
            [results.coverage.union],
            pd.DataFrame(
                {
                    "walk_m": [results.coverage.walk_m],
                    "method": [results.coverage.method],
                    "covered_m2": [results.coverage.total["covered_m2"]],
                }
            ),
            crs=results.partition.crs,
        )
        frame = candidate_frame(results).drop(columns=["nearest"])
        catch = area_layer(list(results.catchments), frame, crs=results.partition.crs)
        return geopackage_with_assumptions(
            [("districts", districts), ("coverage", cov), ("candidate_catchments", catch)],
            assumptions(),
        )

    return {
        "districts.csv": districts_csv,
        "coverage.csv": coverage_csv,
        "candidates.csv": candidates_csv,
        "layers.gpkg": layers_gpkg,
    }


def render_exports(results: Results, lang: str, *, simplify_m: float) -> None:
    """Show one download button per file; each file is built only when its button is clicked."""
    st.caption(t("analysis.export_note", lang))
    for name, build in _exports(results, lang, simplify_m).items():
        what, extension = name.split(".")
        st.download_button(
            t(f"analysis.export.{what}", lang),
            data=build,
            file_name=export_filename(
                results.filters, day=results.day, extension=extension, extra=(what,)
            ),
            mime="text/csv" if extension == "csv" else "application/geopackage+sqlite3",
            key=f"analysis_export_{what}",
            on_click="ignore",
            icon=":material/download:",
            use_container_width=True,
        )


def render_notices(messages: Sequence[str]) -> None:
    """Show messages about the page's own input (escaped)."""
    for message in messages:
        st.warning(md_escape(message), icon="⚠️")
