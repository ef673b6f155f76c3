using System.Text.Json.Nodes;
using Iqts.Api.Tests.Foundation;
using Iqts.ContractCheck;

namespace Iqts.Api.Tests.Rules;

/// <summary>The breaking-change guard's own tests: each kind of break is named, additions pass.</summary>
public sealed class ContractDiffTests
{
    private const string Base = """
        {
          "openapi": "3.0.4",
          "paths": {
            "/things": {
              "get": {
                "parameters": [ { "name": "limit", "in": "query", "schema": { "type": "integer", "format": "int32" } } ],
                "responses": { "200": { "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Thing" } } } } }
              },
              "post": {
                "requestBody": { "content": { "application/json": { "schema": { "$ref": "#/components/schemas/NewThing" } } } },
                "responses": { "201": { "description": "Created" } }
              }
            }
          },
          "components": {
            "schemas": {
              "Colour": { "type": "string", "enum": ["red", "green"] },
              "Thing": {
                "type": "object", "required": ["id"],
                "properties": { "id": { "type": "string" }, "size": { "type": "integer", "format": "int32" }, "colour": { "$ref": "#/components/schemas/Colour" } }
              },
              "NewThing": {
                "type": "object", "required": ["name"],
                "properties": { "name": { "type": "string" }, "note": { "type": "string" } }
              }
            }
          }
        }
        """;

    private static IReadOnlyList<string> BreaksAfter(Action<JsonNode> change)
    {
        var current = JsonNode.Parse(Base)!;
        change(current);
        return ContractDiff.Breaks(JsonNode.Parse(Base)!, current);
    }

    [Fact]
    public void The_same_contract_has_no_breaks() => Assert.Empty(BreaksAfter(_ => { }));

    [Fact]
    public void A_removed_response_property_is_named() =>
        Assert.Equal(["removed property Thing.size"], BreaksAfter(d => d["components"]!["schemas"]!["Thing"]!["properties"]!.AsObject().Remove("size")));

    [Fact]
    public void A_request_property_made_required_is_named() =>
        Assert.Equal(["property NewThing.note made required"], BreaksAfter(d => d["components"]!["schemas"]!["NewThing"]!["required"]!.AsArray().Add("note")));

    [Fact]
    public void A_response_property_made_required_is_not_a_break() =>
        Assert.Empty(BreaksAfter(d => d["components"]!["schemas"]!["Thing"]!["required"]!.AsArray().Add("size")));

    [Fact]
    public void A_new_required_request_property_is_named() =>
        Assert.Equal(["new required property NewThing.age"], BreaksAfter(d =>
        {
            var thing = d["components"]!["schemas"]!["NewThing"]!;
            thing["properties"]!["age"] = new JsonObject { ["type"] = "integer" };
            thing["required"]!.AsArray().Add("age");
        }));

    [Fact]
    public void A_narrowed_enum_is_named() =>
        Assert.Equal(["narrowed enum of schema Colour: removed \"green\""], BreaksAfter(d => d["components"]!["schemas"]!["Colour"]!["enum"] = new JsonArray("red")));

    [Fact]
    public void A_changed_type_is_named() =>
        Assert.Equal(["changed type of property Thing.size from integer/int32 to string"], BreaksAfter(d => d["components"]!["schemas"]!["Thing"]!["properties"]!["size"] = new JsonObject { ["type"] = "string" }));

    [Fact]
    public void Removed_paths_operations_parameters_and_responses_are_named()
    {
        Assert.Equal(["removed path /things"], BreaksAfter(d => d["paths"]!.AsObject().Remove("/things")));
        Assert.Equal(["removed operation POST /things"], BreaksAfter(d => d["paths"]!["/things"]!.AsObject().Remove("post")));
        Assert.Equal(["removed parameter query 'limit' of GET /things"], BreaksAfter(d => d["paths"]!["/things"]!["get"]!["parameters"] = new JsonArray()));
        Assert.Equal(["removed response 201 of POST /things"], BreaksAfter(d => d["paths"]!["/things"]!["post"]!["responses"] = new JsonObject { ["200"] = new JsonObject() }));
        Assert.Equal(["parameter query 'limit' of GET /things made required"], BreaksAfter(d => d["paths"]!["/things"]!["get"]!["parameters"]![0]!["required"] = true));
    }

    [Fact]
    public void Additions_are_allowed() =>
        Assert.Empty(BreaksAfter(d =>
        {
            d["components"]!["schemas"]!["Colour"]!["enum"]!.AsArray().Add("blue");
            d["components"]!["schemas"]!["Thing"]!["properties"]!["weight"] = new JsonObject { ["type"] = "number" };
            d["components"]!["schemas"]!["NewThing"]!["properties"]!["tag"] = new JsonObject { ["type"] = "string" };
            d["paths"]!["/other"] = new JsonObject { ["get"] = new JsonObject { ["responses"] = new JsonObject() } };
            d["paths"]!["/things"]!["get"]!["parameters"]!.AsArray().Add(new JsonObject { ["name"] = "cursor", ["in"] = "query" });
        }));

    [Fact]
    public void The_committed_contract_keeps_the_released_promises()
    {
        var released = JsonNode.Parse(File.ReadAllText(ContractTests.RepoFile("openapi", "released", "iqts-api.v1.json")))!;
        var current = JsonNode.Parse(File.ReadAllText(ContractTests.RepoFile("openapi", "iqts-api.v1.json")))!;
        Assert.Empty(ContractDiff.Breaks(released, current));
    }
}
