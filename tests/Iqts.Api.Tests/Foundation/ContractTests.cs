using System.Text.Json;
using System.Text.Json.Nodes;
using Iqts.Api.Cli;
using Iqts.Api.Tests.Infrastructure;

namespace Iqts.Api.Tests.Foundation;

/// <summary>The committed contract is the one the code generates: SDKs are built from it.</summary>
public sealed class ContractTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    public static string RepoFile(params string[] parts)
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Iqts.Api.sln")))
        {
            directory = directory.Parent;
        }

        return Path.Combine([directory?.FullName ?? throw new InvalidOperationException("Iqts.Api.sln not found above the test binaries."), .. parts]);
    }

    [Fact]
    public async Task Committed_contract_matches_the_code()
    {
        var generated = await Commands.OpenApiText(api.Services);
        var path = RepoFile("openapi", "iqts-api.v1.json");
        var committed = File.Exists(path) ? (await File.ReadAllTextAsync(path)).ReplaceLineEndings("\n") : "(missing)";
        Assert.True(generated == committed,
            "openapi/iqts-api.v1.json differs from what the code generates. If the change is intended, run " +
            "`dotnet run --project src/Iqts.Api -- openapi` and commit the file (then regenerate the SDKs).");
    }

    [Fact]
    public async Task Served_document_is_the_committed_contract()
    {
        var served = JsonNode.Parse(await api.ClientWith(null).GetStringAsync("/swagger/v1/swagger.json"));
        var generated = JsonNode.Parse(await Commands.OpenApiText(api.Services));
        Assert.True(JsonNode.DeepEquals(served, generated), "The served /swagger/v1/swagger.json differs from the generated contract.");
    }

    [Fact]
    public async Task Every_operation_has_an_id_summary_tag_and_problem_responses()
    {
        var document = JsonDocument.Parse(await Commands.OpenApiText(api.Services)).RootElement;
        var ids = new HashSet<string>();
        foreach (var path in document.GetProperty("paths").EnumerateObject())
        {
            foreach (var operation in path.Value.EnumerateObject())
            {
                var where = $"{operation.Name.ToUpperInvariant()} {path.Name}";
                Assert.True(operation.Value.TryGetProperty("operationId", out var id), $"{where} has no operationId");
                Assert.True(ids.Add(id.GetString()!), $"{where}: duplicate operationId {id}");
                Assert.True(operation.Value.TryGetProperty("summary", out _), $"{where} has no summary");
                Assert.True(operation.Value.TryGetProperty("tags", out _), $"{where} has no tag");
                var responses = operation.Value.GetProperty("responses");
                Assert.True(responses.TryGetProperty("500", out _), $"{where} does not document 500");
                // The public register (and only it) answers without a token.
                if (path.Name.StartsWith("/api/v1/public/", StringComparison.Ordinal))
                {
                    Assert.False(operation.Value.TryGetProperty("security", out var open) && open.GetArrayLength() > 0, $"{where} is public but asks for a token");
                }
                else if (path.Name.StartsWith("/api/", StringComparison.Ordinal))
                {
                    Assert.True(operation.Value.TryGetProperty("security", out _), $"{where} has no security requirement");
                    Assert.True(responses.TryGetProperty("401", out _), $"{where} does not document 401");
                }
            }
        }
    }

    /// <summary>
    /// An SDK caller needs the ETag for If-Match: every operation whose success carries one is generated with its
    /// response headers (nswag.json's wrapResponseMethods, in both SDKs), and no other is.
    /// </summary>
    [Fact]
    public async Task Every_operation_with_an_etag_returns_its_headers_in_both_sdks()
    {
        var document = JsonDocument.Parse(await Commands.OpenApiText(api.Services)).RootElement;
        var withETag = document.GetProperty("paths").EnumerateObject()
            .SelectMany(p => p.Value.EnumerateObject())
            .Where(o => o.Value.GetProperty("responses").EnumerateObject()
                .Any(r => r.Name.StartsWith('2') && r.Value.TryGetProperty("headers", out var h) && h.TryGetProperty("ETag", out _)))
            .Select(o => o.Value.GetProperty("operationId").GetString()!)
            .Order().ToList();
        var nswag = JsonNode.Parse(File.ReadAllText(RepoFile("nswag.json")))!["codeGenerators"]!;
        foreach (var (generator, name) in new[] { ("openApiToCSharpClient", (Func<string, string>)(id => id)), ("openApiToTypeScriptClient", id => char.ToLowerInvariant(id[0]) + id[1..]) })
        {
            var wrapped = nswag[generator]!["wrapResponseMethods"]!.AsArray().Select(m => m!.GetValue<string>()).Order().ToList();
            Assert.Equal(withETag.Select(id => "IqtsClient." + name(id)).Order(), wrapped);
        }
    }
}
