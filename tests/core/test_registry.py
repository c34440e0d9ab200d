import pytest

from nodecomp.core.errors import GraphError, PluginError
from nodecomp.core.nodetype import Input, NodeType
from nodecomp.core.params import Choice, Float, Int
from nodecomp.core.registry import NodeRegistry, schema_problems

from .conftest import FAKE_TYPES, Filter, Source


def test_the_fake_types_are_valid():
    for node_type in FAKE_TYPES:
        assert schema_problems(node_type) == []


def test_schema_problems_reports_everything_at_once():
    class Broken(NodeType):
        type_id = "NoNamespace"
        version = 0
        device = "gpu"
        inputs = (Input("Source"), Input("a"), Input("a"))
        params = (
            Float("gain", min=0.0, default=-1.0),
            Float("gain"),
            Float("a"),
            Int("BadName"),
            Choice("mode", choices=("x",), default="y"),
            "not a spec",
        )

        @staticmethod
        def compute(ctx, a, gain):
            return None

    problems = schema_problems(Broken)
    text = "\n".join(problems)
    assert "type_id 'NoNamespace' must look like 'plugin.Name'" in text
    assert "version must be a positive integer, got 0" in text
    assert "device must be a Device" in text
    assert "input name 'Source' must be lower_snake" in text
    assert "input 'a' is declared twice" in text
    assert "param 'gain' clashes" in text
    assert "param 'a' clashes" in text
    assert "param name 'BadName' must be lower_snake" in text
    assert "param 'gain' default is invalid: -1 is below the minimum 0" in text
    assert "param 'mode' default is invalid" in text
    assert "'not a spec' is not a ParamSpec" in text
    assert "compute does not accept" in text and "BadName" in text and "mode" in text
    assert len(problems) >= 12


def test_compute_must_exist():
    class NoCompute(NodeType):
        type_id = "test.NoCompute"

    assert schema_problems(NoCompute) == ["compute is not implemented"]


def test_compute_with_kwargs_accepts_everything():
    class Flexible(NodeType):
        type_id = "test.Flexible"
        inputs = (Input("source"),)
        params = (Float("gain"),)

        @staticmethod
        def compute(ctx, **kwargs):
            return None

    assert schema_problems(Flexible) == []


def test_register_raises_a_plugin_error_listing_all_problems():
    class Bad(NodeType):
        type_id = "bad"
        params = (Float("x", min=1.0),)

    registry = NodeRegistry()
    with pytest.raises(PluginError) as info:
        registry.register(Bad, plugin="acme-tools")
    text = str(info.value)
    assert text.startswith("plugin acme-tools: node type Bad is invalid: ")
    assert "type_id 'bad'" in text and "default is invalid" in text and "compute is not implemented" in text
    assert info.value.plugin == "acme-tools"
    assert len(registry) == 0


def test_duplicate_type_id_names_both_registrants():
    class Impostor(Source):
        pass

    registry = NodeRegistry()
    registry.register(Source, plugin="first-plugin")
    registry.register(Source, plugin="first-plugin")  # the same class again is fine
    with pytest.raises(PluginError) as info:
        registry.register(Impostor, plugin="second-plugin")
    text = str(info.value)
    assert "second-plugin" in text and "first-plugin" in text and "'test.Source'" in text
    assert registry.get("test.Source") is Source and registry.owner("test.Source") == "first-plugin"


def test_lookup_by_type_id_and_short_name():
    registry = NodeRegistry(FAKE_TYPES)
    assert registry.get("test.Filter") is Filter
    assert registry.get("Filter") is Filter
    assert registry.resolve("Filter") is Filter
    assert registry.get("Nope") is None
    assert "Filter" in registry and "test.Filter" in registry and "Nope" not in registry and 3 not in registry
    assert [t.type_id for t in registry] == sorted(t.type_id for t in FAKE_TYPES)
    assert len(registry) == len(FAKE_TYPES)
    assert registry.owner("test.Filter") == "nodecomp" and registry.owner("x.Y") is None


def test_ambiguous_short_names():
    class OtherFilter(NodeType):
        type_id = "vendor.Filter"

        @staticmethod
        def compute(ctx):
            return None

    registry = NodeRegistry([Filter, OtherFilter])
    assert registry.get("Filter") is None
    assert registry.get("vendor.Filter") is OtherFilter
    with pytest.raises(GraphError, match="'Filter' is ambiguous; use one of test.Filter, vendor.Filter"):
        registry.resolve("Filter")
    with pytest.raises(GraphError, match="unknown node type 'Blur'") as info:
        registry.resolve("Blur")
    assert "nodecomp plugins list" in str(info.value)
    registry.unregister("vendor.Filter")
    registry.unregister("vendor.Filter")  # twice is fine
    assert registry.resolve("Filter") is Filter


def test_short_name_and_schema_helpers():
    assert Filter.short_name() == "Filter"
    assert Source.param_spec("gain").name == "gain" and Source.param_spec("nope") is None
    assert Filter.input_index("source") == 0 and Filter.input_index("nope") is None
