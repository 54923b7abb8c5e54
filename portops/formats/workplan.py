"""The day-and-night work plan as Markdown (to read and print) and CSV (one row per line item)."""

from __future__ import annotations

import csv
import io

from portops.i18n import N_, Translate, as_is, stamp
from portops.planning.workplan import WorkPlan

CSV_FIELDS = ["day", "shift", "section", "time", "kind", "visit", "vessel", "berth", "pilot",
              "gang", "cranes", "discharge", "load", "detail"]


def _cell(value: object) -> str:
    return str(value if value not in (None, "") else "—").replace("|", "/")


def shift_title(name: str, translate: Translate = as_is) -> str:
    """``Day shift`` / ``日班``: a shift's name as a heading."""
    return translate(N_("{name} shift")).format(name=translate(name).capitalize())


def to_markdown(plan: WorkPlan, terminal: str = "", translate: Translate = as_is) -> str:
    """The plan to read and print, in the language of ``translate`` (the console's texts)."""
    t = translate
    title = f"# {t('Day-and-night work plan')} {plan.day.isoformat()}"
    out = [title + (f" — {terminal}" if terminal else ""), "",
           t(N_("Times are terminal local time ({tz}).")).format(tz=plan.timezone), ""]
    none = t("none").capitalize()
    for s in plan.shifts:
        out += [f"## {shift_title(s.name, t)} {stamp(s.start, t)}–{stamp(s.end, t)}", ""]
        out += [f"### {t('Berthing and unberthing')}", ""]
        if s.movements:
            heads: tuple[str, ...] = (t("Time"), t("Movement"), t("Visit"), t("Vessel"), t("Berth"), t("Pilot"),
                     t("Gang"))
            out += ["| " + " | ".join(heads) + " |", "|---|---|---|---|---|---|---|"]
            actual = " " + t(N_("(actual)"))
            out += [f"| {m.at}{actual if m.actual else ''} | {t(m.kind)} | {m.key} | "
                    f"{_cell(m.vessel)} | {_cell(m.berth)} | {_cell(m.pilot)} | "
                    f"{_cell(m.gang)} |" for m in s.movements]
        else:
            out.append(none)
        out += ["", f"### {t('Cranes and moves')}", ""]
        if s.cranes:
            heads = (t("Visit"), t("Vessel"), t("Berth"), t("Cranes"), t("Discharge"), t("Load"))
            out += ["| " + " | ".join(heads) + " |", "|---|---|---|---:|---:|---:|"]
            out += [f"| {w.key} | {_cell(w.vessel)} | {_cell(w.berth)} | {w.cranes} | "
                    f"{w.discharge} | {w.load} |" for w in s.cranes]
            out.append(f"| **{t('Total')}** | | | | **{sum(w.discharge for w in s.cranes)}** | "
                       f"**{sum(w.load for w in s.cranes)}** |")
        else:
            out.append(t(N_("No vessel alongside.")))
        for name, rows in s.sections.items():
            out += ["", f"### {t(name).capitalize()}", ""]
            if rows:
                keys = list(rows[0])
                out += ["| " + " | ".join(t(k) for k in keys) + " |", "|" + "---|" * len(keys)]
                out += ["| " + " | ".join(_cell(r.get(k)) for k in keys) + " |" for r in rows]
            else:
                out.append(none)
        out.append("")
    return "\n".join(out)


def to_csv(plan: WorkPlan) -> str:
    buf = io.StringIO()
    w = csv.DictWriter(buf, CSV_FIELDS, lineterminator="\n")
    w.writeheader()
    day = plan.day.isoformat()
    for s in plan.shifts:
        for m in s.movements:
            w.writerow({"day": day, "shift": s.name, "section": "movements", "time": m.at,
                        "kind": m.kind + (" (actual)" if m.actual else ""), "visit": m.key,
                        "vessel": m.vessel, "berth": m.berth, "pilot": m.pilot,
                        "gang": m.gang})
        for c in s.cranes:
            w.writerow({"day": day, "shift": s.name, "section": "cranes", "visit": c.key,
                        "vessel": c.vessel, "berth": c.berth, "cranes": c.cranes,
                        "discharge": c.discharge, "load": c.load})
        for name, rows in s.sections.items():
            for r in rows:
                w.writerow({"day": day, "shift": s.name, "section": name,
                            "detail": "; ".join(f"{k}={v}" for k, v in r.items())})
    return buf.getvalue()
