"""Funding's input models: every string a client can send is refused with a NUL character, naming the field; region
codes are checked against the reference list, not only their pattern."""

import types
import typing

import pytest
from pydantic import BaseModel, TypeAdapter, ValidationError

from services.funding import schemas

INPUT_MODELS = [
    model
    for model in vars(schemas).values()
    if isinstance(model, type) and issubclass(model, schemas.Strict) and model is not schemas.Strict
]


def text_fields(model: type[BaseModel]) -> list[str]:
    """Fields that take a string (`str`, possibly optional), not a closed enum or a list of codes."""

    def takes_str(annotation) -> bool:
        if annotation is str:
            return True
        if typing.get_origin(annotation) in (typing.Union, types.UnionType, typing.Annotated):
            return any(takes_str(arg) for arg in typing.get_args(annotation))
        return False

    return [name for name, field in model.model_fields.items() if takes_str(field.annotation)]


CASES = [(model, name) for model in INPUT_MODELS for name in text_fields(model)]


def test_the_input_models_and_their_text_fields_are_all_found():
    names = {(model.__name__, field) for model, field in CASES}
    assert {("FunderIn", "name"), ("FunderIn", "website"), ("InstrumentPatch", "application_url")} <= names
    assert {("NeedIn", "purpose"), ("DecisionIn", "note"), ("DisbursementIn", "note"), ("ProjectIn", "title")} <= names
    assert {("ApplicationIn", "motivation"), ("RoundIn", "description"), ("InstrumentIn", "name")} <= names


@pytest.mark.parametrize(("model", "field"), CASES, ids=[f"{m.__name__}.{f}" for m, f in CASES])
def test_every_text_field_refuses_nul(model, field):
    value = "https://fonds.example.org/\u0000" if "url" in field or field == "website" else "Nul\u0000teken"
    with pytest.raises(ValidationError) as raised:
        model.model_validate({field: value})
    [error] = [e for e in raised.value.errors() if e["loc"] == (field,)]
    assert "NUL" in error["msg"]
    clean = value.replace("\u0000", "")
    with pytest.raises(ValidationError) as raised:  # still invalid for the fields missing here, but not this one
        model.model_validate({field: clean, "unknown_field_to_force_an_error": 1})
    assert not [e for e in raised.value.errors() if e["loc"] == (field,)]


def test_the_search_text_refuses_nul():
    adapter = TypeAdapter(schemas.SearchText)
    assert adapter.validate_python("zon") == "zon"
    with pytest.raises(ValidationError, match="NUL"):
        adapter.validate_python("z\u0000n")


@pytest.mark.parametrize(
    ("annotation", "good", "bad"),
    [
        (schemas.RegionCode, ["PV22", "GM0106", "GM0202"], ["PV99", "PV00", "GM9999", "GM0000", "XX01", "pv22"]),
        (schemas.ProvinceCode, ["PV20", "PV31"], ["PV99", "GM0106", "PV2"]),
        (schemas.MunicipalityCode, ["GM0363"], ["GM9999", "PV22"]),
    ],
)
def test_region_codes_come_from_the_reference_list(annotation, good, bad):
    adapter = TypeAdapter(annotation)
    for code in good:
        assert adapter.validate_python(code) == code
    for code in bad:
        with pytest.raises(ValidationError):
            adapter.validate_python(code)
