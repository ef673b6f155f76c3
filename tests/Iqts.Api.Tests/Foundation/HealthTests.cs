using System.Net;
using Iqts.Api.Tests.Infrastructure;

namespace Iqts.Api.Tests.Foundation;

public sealed class HealthTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    [Theory]
    [InlineData("/health/live", "live")]
    [InlineData("/health/ready", "ready")]
    public async Task Health_answers_without_a_token(string path, string status)
    {
        var response = await api.ClientWith(null).GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(status, (await response.ReadJsonAsync()).GetProperty("status").GetString());
    }

    [Fact]
    public async Task Swagger_ui_and_document_are_served()
    {
        var client = api.ClientWith(null);
        var ui = await client.GetAsync("/swagger/index.html");
        Assert.Equal(HttpStatusCode.OK, ui.StatusCode);
        Assert.Contains("swagger", await ui.Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);
        var document = await (await client.GetAsync("/swagger/v1/swagger.json")).ReadJsonAsync();
        Assert.Equal("iQTS API", document.GetProperty("info").GetProperty("title").GetString());
    }
}

public sealed class EngineTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    [Fact]
    public void The_suite_runs_on_the_engine_it_was_asked_for()
    {
        var expected = TestDatabase.OnPostgres ? "postgres" : "sqlite";
        Assert.Equal(expected, api.Db.Dialect.Name);
    }
}
