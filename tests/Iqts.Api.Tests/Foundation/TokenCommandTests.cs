using System.Net;
using Iqts.Api.Cli;
using Iqts.Api.Tests.Infrastructure;

namespace Iqts.Api.Tests.Foundation;

/// <summary>The token commands of the executable, run against the test host's services and database.</summary>
public sealed class TokenCommandTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    private async Task<(int Code, string Output, string Error)> Run(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await Commands.RunAsync(api.Services, args, output, error);
        return (code, output.ToString(), error.ToString());
    }

    [Fact]
    public async Task Create_prints_the_token_once_list_shows_it_and_revoke_refuses_it_at_once()
    {
        var (code, output, _) = await Run("tokens", "create", "--role", "dfe", "--name", "iQTS team", "--expires-days", "30");
        Assert.Equal(0, code);
        var lines = output.Trim().Split('\n');
        var secret = lines[^1].Trim();
        Assert.StartsWith("iqts_", secret, StringComparison.Ordinal);
        Assert.Contains("shown only once", output, StringComparison.Ordinal);

        var client = api.ClientWith(secret);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v1/providers")).StatusCode);

        var (_, list, _) = await Run("tokens", "list");
        var row = list.Split('\n').Single(l => l.Contains("iQTS team", StringComparison.Ordinal));
        Assert.Contains("active", row, StringComparison.Ordinal);
        Assert.DoesNotContain(secret, list, StringComparison.Ordinal);

        var id = row.Split(' ', 2)[0];
        Assert.Equal(0, (await Run("tokens", "revoke", id)).Code);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/v1/providers")).StatusCode);
        Assert.Contains("revoked", (await Run("tokens", "list")).Output.Split('\n').Single(l => l.StartsWith(id, StringComparison.Ordinal)), StringComparison.Ordinal);
        Assert.Equal(1, (await Run("tokens", "revoke", id)).Code);
    }

    [Fact]
    public async Task A_provider_token_is_bound_to_its_ukprn()
    {
        var ukprn = await api.CreateProviderAsync();
        var (code, output, _) = await Run("tokens", "create", "--role", "provider", "--ukprn", ukprn, "--name", "SITS live");
        Assert.Equal(0, code);
        var me = await (await api.ClientWith(output.Trim().Split('\n')[^1].Trim()).GetAsync("/api/v1/providers/me")).ReadJsonAsync();
        Assert.Equal(ukprn, me.GetProperty("ukprn").GetString());
    }

    [Fact]
    public async Task An_inspectorate_token_is_bound_to_a_registered_inspectorate()
    {
        var inspectorate = await api.CreateInspectorateAsync();
        var (code, output, _) = await Run("tokens", "create", "--role", "inspectorate", "--inspectorate", inspectorate, "--name", "Penta team");
        Assert.Equal(0, code);
        var client = api.ClientWith(output.Trim().Split('\n')[^1].Trim());
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/api/v1/inspectorates/{inspectorate}")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync("/api/v1/providers")).StatusCode);
        Assert.Contains(inspectorate, (await Run("tokens", "list")).Output, StringComparison.Ordinal);

        var (unknown, _, error) = await Run("tokens", "create", "--role", "inspectorate", "--inspectorate", Guid.NewGuid().ToString(), "--name", "x");
        Assert.Equal(2, unknown);
        Assert.Contains("no inspectorate has that id", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("tokens", "create", "--role", "inspectorate", "--name", "x")]
    [InlineData("tokens", "create", "--role", "dfe", "--inspectorate", "0193c1d2-7a4b-7c3d-9e8f-1a2b3c4d5e6f", "--name", "x")]
    [InlineData("tokens", "create", "--role", "admin", "--name", "x")]
    [InlineData("tokens", "create", "--role", "provider", "--name", "x")]
    [InlineData("tokens", "create", "--role", "provider", "--ukprn", "2000", "--name", "x")]
    [InlineData("tokens", "create", "--role", "dfe", "--ukprn", "10000001", "--name", "x")]
    [InlineData("tokens", "create", "--role", "dfe")]
    [InlineData("tokens", "create", "--role", "dfe", "--name", "x", "--expires-days", "0")]
    [InlineData("tokens", "revoke", "not-a-guid")]
    [InlineData("tokens", "rotate")]
    public async Task Bad_arguments_exit_2_with_usage_and_create_nothing(params string[] args)
    {
        var before = (await Run("tokens", "list")).Output;
        var (code, _, error) = await Run(args);
        Assert.Equal(2, code);
        Assert.False(string.IsNullOrWhiteSpace(error));
        Assert.Equal(before, (await Run("tokens", "list")).Output);
    }
}
