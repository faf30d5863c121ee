"""Notices about a district layer: overlapping and missing districts, residents not placed."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Literal

import pandas as pd
import streamlit as st

from geo.districts import Partition
from layers.escape import escape_markdown
from layers.i18n import label, number, plural, t

Level = Literal["warning", "info"]
PER_RESIDENTS = 100_000


def _name(district: str, lang: str) -> str:
    """Return a district's label, safe in Markdown (a layer's own name is data)."""
    return escape_markdown(label("district", district, lang))


def _sentence(text: str) -> str:
    """Return the text with a capital first letter (a label may start a sentence: "район ...")."""
    return text[:1].upper() + text[1:]


def district_notice_texts(partition: Partition, lang: str) -> list[tuple[Level, str]]:
    """Return what a partition found, as (level, Markdown text) in a language.

    Parameters
    ----------
    partition
        The city's partition (``geo.districts.build_partition``).
    lang
        Language code.

    Returns
    -------
    list of (level, text)
        ``"warning"`` for overlaps and missing districts (and the residents not placed; a
        missing district's notice also says its places are counted in the district the layer
        draws there, whose rates per 100,000 and residents within reach are overstated),
        ``"info"`` for districts without a population figure; numbers in the language's
        format.
    """
    out: list[tuple[Level, str]] = []
    missing = 0
    for issue in partition.issues:
        if issue.kind == "overlap":
            kept, other = issue.districts[0], issue.districts[1]
            text = t(
                "districts.overlap",
                lang,
                kept=_name(kept, lang),
                other=_name(other, lang),
                area=number(issue.area_m2 / 1e6, lang, decimals=2),
            )
            out.append(("warning", text))
        elif issue.kind == "missing":
            missing += 1
            name = _name(issue.districts[0], lang)
            if issue.population is None:
                text = t("districts.missing_unknown", lang, district=name)
            else:
                text = plural(
                    "districts.missing",
                    issue.population,
                    lang,
                    district=name,
                    residents=number(issue.population, lang),
                )
            # Its places are not lost: the layer draws another district where it lies.
            places = t("districts.missing_places", lang, per=number(PER_RESIDENTS, lang))
            out.append(("warning", f"{text} {places}"))
        elif issue.kind == "no_population":
            names = ", ".join(_name(d, lang) for d in issue.districts)
            text = t(
                "districts.no_population",
                lang,
                districts=names,
                per=number(PER_RESIDENTS, lang),
            )
            out.append(("info", text))
    if missing > 1 and partition.missing_population > 0:
        text = plural(
            "districts.unplaced_total",
            partition.missing_population,
            lang,
            residents=number(partition.missing_population, lang),
        )
        out.append(("warning", text))
    return [(level, _sentence(text)) for level, text in out]


def district_notices(partition: Partition | None, lang: str) -> None:
    """Show what a city's district layer gets wrong, and how the numbers deal with it.

    Parameters
    ----------
    partition
        The city's partition, or ``None`` when it has no district layer (nothing shown).
    lang
        Language code.
    """
    if partition is None:
        return
    for level, text in district_notice_texts(partition, lang):
        if level == "warning":
            st.warning(text, icon=":material/layers:")
        else:
            st.info(text, icon=":material/info:")


def district_disagreement_list(
    disagreements: pd.DataFrame, lang: str, *, names: Mapping[str, str] | None = None
) -> None:
    """List the places whose stated district is not the one the district layer gives.

    Parameters
    ----------
    disagreements
        ``id``, ``stated``, ``by_layer`` (``Data.district_disagreements``, one city's rows).
    lang
        Language code.
    names
        Place id to its name in ``lang`` (the id is shown for a place not in it).
    """
    n = len(disagreements)
    if n == 0:
        return
    title = plural("districts.disagreements", n, lang, n=number(n, lang))
    with st.expander(title, icon=":material/rule:"):
        st.caption(t("districts.disagreements_help", lang))
        table = pd.DataFrame(
            {
                t("districts.col_place", lang): [
                    (names or {}).get(pid, pid) for pid in disagreements["id"].astype(str)
                ],
                t("districts.col_stated", lang): [
                    label("district", v, lang) for v in disagreements["stated"]
                ],
                t("districts.col_layer", lang): [
                    label("district", v, lang) if v is not None else t("districts.outside", lang)
                    for v in disagreements["by_layer"]
                ],
            }
        )
        st.dataframe(table, hide_index=True)
