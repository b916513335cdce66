"""Authorities named many ways resolve to one reference record (URN, DfE code, GSS code)."""
from __future__ import annotations

import pytest

from kg.authorities import default_index


@pytest.mark.parametrize("text, urn", [
    ("City of Bradford Metropolitan District Council", "80449"),
    ("Bradford Children and Families Trust", "80449"),
    ("Knowsley Council", "80479"),
    ("London Borough of Hammersmith & Fulham", "80497"),
    ("Royal Borough of Kingston upon Thames", "80545"),
    ("The Royal Borough of Windsor and Maidenhead", "80546"),
    ("City of London Corporation", "80450"),
    ("London Corporation", "80450"),
    ("Bristol City of", "80441"),
    ("Inspection of East Riding local authority children's services", "80466"),
    ("St. Helens Metropolitan Borough Council", "80560"),
    ("Inspection of North East Lincolnshire Council local authority", "80526"),
    ("Inspection of North Northamptonshire local authority children's services", "2637539"),
    ("West Northamptonshire Council", "2637548"),
    ("Northamptonshire County Council", "121939"),
    ("Inspection of Cumberland local authority children's services", "2733690"),
    ("Westmorland and Furness Council", "2733698"),
    ("Cumbria County Council", "135513"),
    ("Dorset Council", "2532283"),
    ("Bournemouth, Christchurch and Poole Council", "2532287"),
    ("Kingston upon Hull City Council", "80477"),
    ("DUDLEY CHILDREN'S SOCIAL CARE SELF-EVALUATION", "80464"),
])
def test_names_resolve(text, urn):
    assert default_index().find(text).urn == urn


def test_reference_codes():
    dudley = default_index().by_urn["80464"]
    assert (dudley.name, dudley.la_code, dudley.gss_code, dudley.region) == ("Dudley", "332", "E08000027", "West Midlands")


def test_unknown_name():
    assert default_index().find("Ministry of Silly Walks") is None


def test_delivery_body_only_for_an_authority_it_serves():
    index = default_index()
    kingston, dudley = index.by_urn["80545"], index.by_urn["80464"]
    text = "Services are delivered by Achieving for Children, a community interest company."
    assert index.delivery_body(text, kingston) == "Achieving for Children"
    assert index.delivery_body(text, dudley) is None


@pytest.mark.parametrize("title, urn", [
    ("Inspection of Bradford Children and Families Trust", "80449"),
    ("Inspection of Sandwell Children's Trust", "80549"),
    ("Monitoring visit to Birmingham Children's Trust", "80429"),
])
def test_a_report_titled_for_a_trust_is_about_its_authority(title, urn):
    assert default_index().find(title).urn == urn
