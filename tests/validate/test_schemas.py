"""The schema files: valid, in step with the code, and customer schemas from cpc.toml."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import xmlschema
from jsonschema import Draft202012Validator

from compiler.errors import ConfigError
from compiler.resources import schema_path
from compiler.validate import validate_source
from compiler.validate.schemas import default_object_schemas, object_validator, render_schema
from tests.validate.helpers import OFFER, config_with, entries, fresh, make_object
from tests.validate.test_rules import only, run

SCHEMAS = ["export.schema.json", "module.schema.json", "field-types.schema.json",
           *[f"objects/{kind}.schema.json" for kind in ("product", "file", "text_block",
                                                         "offer")]]


@pytest.mark.parametrize("name", SCHEMAS)
def test_schema_files_are_valid_2020_12(name: str) -> None:
    schema = json.loads(schema_path(name).read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"


def test_committed_object_schemas_match_the_default_mapping(tmp_path: Path) -> None:
    for kind, schema in default_object_schemas(config_with(tmp_path)).items():
        committed = schema_path(f"objects/{kind}.schema.json").read_text(encoding="utf-8")
        assert committed == render_schema(schema), (
            f"schemas/objects/{kind}.schema.json is stale: run "
            "`python -m compiler.validate.schemas`")


def test_xsd_is_a_valid_schema() -> None:
    xsd = xmlschema.XMLSchema10(str(schema_path("module.xsd")))
    assert xsd.elements["objects"] is not None


def test_object_schema_follows_the_field_mapping(tmp_path: Path) -> None:
    export = fresh()
    offer = export.obj(OFFER)
    offer["prio"] = offer.pop("priority")
    offer["prio"] = entries("high")
    config = config_with(tmp_path, "[fields.offer]\npriority = \"prio\"\n")
    result = validate_source(export.write(tmp_path / "e"), config)
    found = only(result, "E-VALUE-TYPE")
    assert found.field == "prio"
    assert object_validator(config, "offer") is object_validator(config, "offer")  # cached


def test_customer_module_schema_from_config(tmp_path: Path) -> None:
    schema = {"$schema": "https://json-schema.org/draft/2020-12/schema",
              "type": "object", "required": ["branch_code"]}
    (tmp_path / "branch.schema.json").write_text(json.dumps(schema))
    export = fresh()
    export.header["modules"]["branch"] = "modules/branch.json"
    export.modules["branch"] = [make_object("branch", "b0000000-0000-4000-8000-000000000001")]
    result = run(tmp_path, export, '[schemas]\nmodules = {branch = "branch.schema.json"}\n')
    found = only(result, "E-OBJECT-KEYS")
    assert found.location.file == "modules/branch.json" and "branch_code" in found.message
    assert only(result, "W-MODULE-UNKNOWN").location.file == "modules/branch.json"


def test_bad_customer_schema_is_a_config_error(tmp_path: Path) -> None:
    (tmp_path / "bad.json").write_text('{"type": 5}')
    config = config_with(tmp_path, '[schemas]\nmodules = {branch = "bad.json", x = "nope.json"}\n')
    with pytest.raises(ConfigError) as raised:
        validate_source(fresh().write(tmp_path / "e"), config)
    assert "schemas.modules.branch" in str(raised.value.message)
    assert "schemas.modules.x" in str(raised.value.message)

