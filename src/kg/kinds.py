"""The kinds of report kg reads: the one list. Each is a class of ontology/kg.ttl.

    kinds.SIF.name    'SIFInspection'       the ontology class (local name), ReportRecord.kind
    kinds.SIF.slug    ''                    in instance IRIs: inspection/<authority>-<slug><date>
    kinds.SIF.label   'SIF inspection'      in instance labels: 'Dudley SIF inspection 2016-01-11'

Each extractor module (kg.extract) names the kinds it produces from here; kg.rdf mints IRIs and
labels from here; everything else reads the kinds from the graph (the classes under kg:Inspection).
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Kind:
    name: str
    slug: str
    label: str


SIF = Kind("SIFInspection", "", "SIF inspection")
ILACS = Kind("ILACSInspection", "", "ILACS inspection")
LEGACY = Kind("LegacyInspection", "", "inspection (2012-13 framework)")
LSCB_REVIEW = Kind("LSCBReview", "lscb-review-", "LSCB review")
MONITORING_VISIT = Kind("MonitoringVisit", "monitoring-visit-", "monitoring visit")
FOCUSED_VISIT = Kind("FocusedVisit", "focused-visit-", "focused visit")
SELF_EVALUATION = Kind("SelfEvaluation", "self-evaluation-", "self-evaluation")

ALL = {k.name: k for k in (SIF, ILACS, LEGACY, LSCB_REVIEW, MONITORING_VISIT, FOCUSED_VISIT, SELF_EVALUATION)}
