using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Iqts.Api.Cli;
using Iqts.Api.Composition;
using Iqts.Api.Errors;
using Iqts.Api.Http;
using Iqts.Api.Providers;
using Iqts.Api.Tests.Foundation;
using Iqts.Api.Tests.Infrastructure;
using Iqts.Api.Trainees;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace Iqts.Api.Tests.HouseStyle;

/// <summary>The recipe of docs/adr/0003, held by tests so it does not drift.</summary>
public sealed partial class HouseStyleTests
{
    private static string Source(params string[] parts) => ContractTests.RepoFile(["src", "Iqts.Api", .. parts]);

    private static IEnumerable<string> SourceFiles() =>
        Directory.EnumerateFiles(Source(), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal));

    [Fact]
    public void The_readme_lists_every_error_code_of_the_catalogue_with_its_status_and_meaning()
    {
        var readme = File.ReadAllText(ContractTests.RepoFile("README.md"));
        var rows = ReadmeErrorRow().Matches(readme)
            .Select(m => $"{m.Groups["code"].Value} {m.Groups["status"].Value} {m.Groups["meaning"].Value}").ToList();
        var catalogue = ApiErrors.All.Select(k => $"{k.Code} {k.Status} {k.Meaning}").ToList();
        Assert.Equal(catalogue.Order(), rows.Order());
    }

    [GeneratedRegex(@"^\| `(?<code>[a-z_]+\.[a-z_]+)` \| (?<status>\d{3}) \| (?<meaning>.+) \|$", RegexOptions.Multiline)]
    private static partial Regex ReadmeErrorRow();

    [Fact]
    public void The_readme_lists_every_audit_action_with_its_meaning()
    {
        var readme = File.ReadAllText(ContractTests.RepoFile("README.md"));
        var table = readme[readme.IndexOf("<!-- audit-actions:start -->", StringComparison.Ordinal)..readme.IndexOf("<!-- audit-actions:end -->", StringComparison.Ordinal)];
        var rows = ReadmeActionRow().Matches(table).Select(m => $"{m.Groups["name"].Value} {m.Groups["meaning"].Value}").ToList();
        Assert.Equal(Iqts.Api.Audit.AuditActions.All.Select(a => $"{a.Name} {a.Meaning}").Order(), rows.Order());
        Assert.Equal(Iqts.Api.Audit.AuditActions.All.Count, Iqts.Api.Audit.AuditActions.All.Select(a => a.Name).Distinct().Count());
    }

    [GeneratedRegex(@"^\| `(?<name>[a-z_]+)` \| (?<meaning>.+) \|$", RegexOptions.Multiline)]
    private static partial Regex ReadmeActionRow();

    [Fact]
    public void The_readme_lists_every_event_type_with_its_meaning()
    {
        var readme = File.ReadAllText(ContractTests.RepoFile("README.md"));
        var table = readme[readme.IndexOf("<!-- event-types:start -->", StringComparison.Ordinal)..readme.IndexOf("<!-- event-types:end -->", StringComparison.Ordinal)];
        var rows = ReadmeEventRow().Matches(table).Select(m => $"{m.Groups["name"].Value} {m.Groups["meaning"].Value}").ToList();
        Assert.Equal(Iqts.Api.Events.EventTypes.All.Select(t => $"{t.Name} {t.Description}").Order(), rows.Order());
    }

    [GeneratedRegex(@"^\| `(?<name>[a-z_.]+)` \| [^|]+ \| (?<meaning>.+) \|$", RegexOptions.Multiline)]
    private static partial Regex ReadmeEventRow();

    [Fact]
    public void The_readme_shows_the_batch_CSV_template_the_API_serves()
    {
        var readme = File.ReadAllText(ContractTests.RepoFile("README.md"));
        var block = readme[readme.IndexOf("<!-- csv-template:start -->", StringComparison.Ordinal)..readme.IndexOf("<!-- csv-template:end -->", StringComparison.Ordinal)];
        Assert.Contains("\n" + Iqts.Api.Bulk.BatchInput.TraineeTemplate.TrimEnd() + "\n", block.Replace("\r", "", StringComparison.Ordinal), StringComparison.Ordinal);
    }

    [Fact]
    public void Repositories_open_no_transaction_and_no_connection_of_their_own()
    {
        // A repository reads and writes rows on the unit of work it is given; the operation owns the unit (ADR 0008).
        var offenders = SourceFiles()
            .Where(f => Path.GetFileName(f).EndsWith("Repository.cs", StringComparison.Ordinal))
            .Where(f => OwnUnit().IsMatch(File.ReadAllText(f)))
            .Select(Path.GetFileName)
            .ToList();
        Assert.True(offenders.Count == 0, "Repositories that open their own connection or transaction: " + string.Join(", ", offenders));
    }

    [GeneratedRegex(@"BeginTransaction|OpenForWriteAsync|OpenAsync\(|UnitOfWork\.Begin|UnitOfWork\.Open|\.WriteAsync\(|\.ReadAsync\(|\.SnapshotAsync\(")]
    private static partial Regex OwnUnit();

    [Fact]
    public void Endpoint_handlers_only_bind_and_map_in_at_most_fifteen_lines()
    {
        var offenders = new List<string>();
        foreach (var file in SourceFiles().Where(f => Path.GetFileName(f).EndsWith("Endpoints.cs", StringComparison.Ordinal)))
        {
            var lines = File.ReadAllLines(file);
            for (var i = 0; i < lines.Length; i++)
            {
                if (!HandlerStart().IsMatch(lines[i]))
                {
                    continue;
                }

                // A handler runs to the blank line (or the class's closing brace) that follows it.
                var end = Array.FindIndex(lines, i, l => l.Length == 0 || l == "}");
                if ((end < 0 ? lines.Length : end) - i > 15)
                {
                    offenders.Add($"{Path.GetFileName(file)}:{i + 1}: {lines[i].Trim()}");
                }
            }
        }

        Assert.True(offenders.Count == 0, "Handlers over 15 lines:\n" + string.Join("\n", offenders));
    }

    [GeneratedRegex(@"^    (private|public) static (async )?(Task<)?Results<")]
    private static partial Regex HandlerStart();

    [Fact]
    public void Codes_are_unique_and_every_kind_has_a_title_and_a_meaning()
    {
        Assert.Equal(ApiErrors.All.Count, ApiErrors.All.Select(k => k.Code).Distinct().Count());
        Assert.All(ApiErrors.All, k => Assert.False(string.IsNullOrWhiteSpace(k.Title) || string.IsNullOrWhiteSpace(k.Meaning), k.Code));
        Assert.All(ApiErrors.All, k => Assert.InRange(k.Status, 400, 599));
    }

    [Fact]
    public void No_problem_title_or_detail_is_written_outside_the_catalogue()
    {
        // A problem's title and detail can only be made by these calls; outside the catalogue and its converter none may appear.
        var offenders = SourceFiles()
            .Where(f => !f.EndsWith(Path.Combine("Errors", "ApiErrors.cs"), StringComparison.Ordinal)
                && !f.EndsWith(Path.Combine("Errors", "ApiError.cs"), StringComparison.Ordinal)
                && !f.EndsWith(Path.Combine("Http", "Problems.cs"), StringComparison.Ordinal))
            .SelectMany(f => File.ReadLines(f).Select((line, i) => (f, i, line)))
            .Where(x => TitleOrDetail().IsMatch(x.line))
            .Select(x => $"{Path.GetFileName(x.f)}:{x.i + 1}: {x.line.Trim()}")
            .ToList();
        Assert.True(offenders.Count == 0, string.Join("\n", offenders));
    }

    [GeneratedRegex(@"new (HttpValidation)?ProblemDetails\b|TypedResults\.Problem\(|Results\.Problem\(|new ErrorKind\(|new ApiError\(|\.Title\s*=|\.Detail\s*=")]
    private static partial Regex TitleOrDetail();

    [Fact]
    public void Repositories_and_rules_do_not_reference_AspNetCore()
    {
        var offenders = SourceFiles()
            .Where(f => Path.GetFileName(f).EndsWith("Repository.cs", StringComparison.Ordinal) || Path.GetFileName(f).EndsWith("Rules.cs", StringComparison.Ordinal)
                || Path.GetFileName(f).EndsWith("Row.cs", StringComparison.Ordinal))
            .Where(f => AspNetCore().IsMatch(File.ReadAllText(f)))
            .Select(Path.GetFileName)
            .ToList();
        Assert.True(offenders.Count == 0, "HTTP types in: " + string.Join(", ", offenders));
    }

    [GeneratedRegex(@"Microsoft\.AspNetCore|HttpContext|HttpRequest|HttpResponse|IResult\b|ProblemHttpResult|StatusCodes\.|TypedResults")]
    private static partial Regex AspNetCore();

    [Fact]
    public void No_switch_maps_an_unknown_outcome_to_a_specific_error()
    {
        // A default arm may throw (an impossible value) or fall back to the generic request.bad_request or server.error,
        // never answer a particular error.
        var offenders = SourceFiles()
            .SelectMany(f => File.ReadLines(f).Select(line => (f, line)))
            .Where(x => DefaultArmToError().IsMatch(x.line))
            .Select(x => $"{Path.GetFileName(x.f)}: {x.line.Trim()}")
            .ToList();
        Assert.True(offenders.Count == 0, string.Join("\n", offenders));
    }

    [GeneratedRegex(@"(_ =>|default:).*ApiErrors\.(?!BadRequest\(|ServerError\()")]
    private static partial Regex DefaultArmToError();

    /// <summary>Pinned: what a trainee PATCH refuses by name. Derived in code; a change here is a change of the contract's promise.</summary>
    [Fact]
    public void The_immutable_fields_of_a_trainee_and_a_provider_are_derived_and_pinned()
    {
        Assert.Equal(
            ["traineeId", "providerTraineeId", "status", "trn", "eligibility", "trnDeactivatedAt", "academicYear", "deferral", "reinstatedOn", "withdrawal", "createdAt", "updatedAt", "created"],
            UpdateTrainee.Immutable);
        Assert.Equal(["ukprn", "inspectionSource", "createdAt", "updatedAt"], UpdateProvider.Immutable);
    }

    [Fact]
    public void Framework_message_unmapped_member_is_what_System_Text_Json_says()
    {
        var error = Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<ProviderDetails>("""{"bogus":1}""", Json.Options));
        Assert.Equal("bogus", FrameworkMessages.UnmappedMember(error.Message));
    }

    [Fact]
    public async Task Framework_messages_of_minimal_api_binding_are_what_ASP_NET_Core_says()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseTestServer();
        builder.Services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        await using var app = builder.Build();
        var messages = new List<string>();
        app.Use(async (context, next) =>
        {
            try
            {
                await next(context);
            }
            catch (BadHttpRequestException ex)
            {
                messages.Add(ex.Message);
            }
        });
        app.MapGet("/q", (int? limit) => limit);
        app.MapPost("/b", (ProviderDetails body) => body.Name);
        app.MapGet("/t", (Timestamp? updatedSince) => updatedSince?.Value);
        await app.StartAsync();
        var client = app.GetTestClient();
        await client.GetAsync("/q?limit=abc");
        await client.PostAsync("/b", new StringContent("", System.Text.Encoding.UTF8, "application/json"));
        await client.GetAsync("/t?updatedSince=2026-01-01T00:00:00");
        Assert.Equal("limit", FrameworkMessages.FailedToBind(messages[0]));
        Assert.True(FrameworkMessages.IsNoBody(messages[1]), messages[1]);
        Assert.Equal(("updatedSince", nameof(Timestamp)), (FrameworkMessages.FailedToBind(messages[2]), FrameworkMessages.FailedToBindType(messages[2])));
    }

    [Theory]
    [InlineData("Database:Provider", "oracle", "Database:Provider must be 'sqlite' or 'postgres'.")]
    [InlineData("Database:Provider", "postgres", "ConnectionStrings:Iqts is empty")]
    [InlineData("RateLimiting:PermitsPerMinute", "-5", "PermitsPerMinute")]
    [InlineData("Batches:AnswerWithin", "00:05:00", "The field AnswerWithin must be between 00:00:00 and 00:01:00.")]
    [InlineData("Webhooks:PollInterval", "00:00:00", "The field PollInterval must be between 00:00:00.0100000 and 00:10:00.")]
    public async Task Options_are_validated_at_start_up(string key, string value, string message)
    {
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseTestServer();
        builder.Configuration.AddInMemoryCollection([new(key, value), new("ConnectionStrings:Iqts", key == "Database:Provider" && value == "postgres" ? "" : "Data Source=:memory:")]);
        builder.Services.AddIqts(builder.Configuration);
        await using var app = builder.Build();
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync());
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("tokens", "create", "--role", "dfe", "--name")]
    [InlineData("tokens", "create", "--role", "--name", "x")]
    [InlineData("tokens", "create", "role", "dfe")]
    [InlineData("tokens", "create", "--role", "dfe", "--name", "x", "--name", "y")]
    [InlineData("seed", "--ukprn")]
    public async Task The_cli_refuses_a_flag_without_a_value_with_a_message(params string[] args)
    {
        await using var api = new ApiFactory();
        await api.InitializeAsync();
        using var output = new StringWriter();
        using var error = new StringWriter();
        Assert.Equal(2, await Commands.RunAsync(api.Services, args, output, error));
        Assert.Matches("needs a value|is not an option|is given twice", error.ToString());
    }

    [Fact]
    public async Task Every_api_response_carries_api_supported_versions()
    {
        await using var api = new ApiFactory();
        await api.InitializeAsync();
        var anonymous = api.ClientWith(null);
        var provider = await api.NewProviderClientAsync();
        foreach (var response in new[]
        {
            await provider.GetAsync("/api/v1/providers/me"),
            await anonymous.GetAsync("/api/v1/trainees"),
            await provider.GetAsync("/api/v1/nothing-here"),
            await provider.GetAsync($"/api/v1/trainees/{Guid.NewGuid()}"),
            await provider.GetAsync("/api/v1/providers"),
        })
        {
            Assert.True(response.Headers.TryGetValues(ApiVersions.SupportedHeader, out var versions), $"{response.RequestMessage!.RequestUri} {(int)response.StatusCode}");
            Assert.Equal("1", versions.Single());
        }
    }

    [Fact]
    public async Task A_deprecated_version_says_so_with_deprecation_sunset_and_link_headers()
    {
        await using var api = new DeprecatedFactory();
        await api.InitializeAsync();
        var response = await (await api.NewProviderClientAsync()).GetAsync("/api/v1/providers/me");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(response.Headers.Contains("Deprecation"), "no Deprecation header");
        Assert.True(response.Headers.Contains("Sunset"), "no Sunset header");
        Assert.Contains("https://example.org/iqts/versions", string.Join(",", response.Headers.GetValues("Link")), StringComparison.Ordinal);
    }

    private sealed class DeprecatedFactory : ApiFactory
    {
        protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
        {
            ["Versioning:V1:DeprecatedOn"] = "2026-01-01T00:00:00Z",
            ["Versioning:V1:SunsetOn"] = "2027-06-30T00:00:00Z",
            ["Versioning:V1:PolicyLink"] = "https://example.org/iqts/versions",
        };
    }
}
