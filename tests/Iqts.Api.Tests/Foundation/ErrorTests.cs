using System.Net;
using System.Text;
using Iqts.Api.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Iqts.Api.Tests.Foundation;

/// <summary>Adds a route that fails on purpose, to see what a 500 looks like.</summary>
public sealed class FailingApiFactory : ApiFactory
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureServices(services => services.AddSingleton<IStartupFilter, FailingRoute>());
    }

    private sealed class FailingRoute : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            next(app);
            app.Use((HttpContext context, RequestDelegate nextMiddleware) => context.Request.Path == "/test/boom"
                ? throw new InvalidOperationException("connection string Password=hunter2 leaked")
                : nextMiddleware(context));
        };
    }
}

/// <summary>The error matrix: every client mistake is a 4xx problem+json with an errorCode, never a 500.</summary>
public sealed class ErrorTests(FailingApiFactory api) : IClassFixture<FailingApiFactory>
{
    private const string ValidProvider = """{"ukprn":"10000001","name":"x","inspectionGrade":1,"inspectionDate":"2024-01-01"}""";

    private async Task<HttpResponseMessage> PostProvider(string body, string mediaType = "application/json") =>
        await (await api.ClientForAsync("dfe")).PostAsync("/api/v1/providers", Requests.JsonBody(body, mediaType));

    [Fact]
    public async Task Unknown_property_is_400_naming_it()
    {
        var problem = await (await PostProvider("""{"ukprn": "10000001", "name": "x", "unknownField": 1}"""))
            .AssertProblemAsync(HttpStatusCode.BadRequest, "request.unknown_property");
        Assert.Equal(["unknownField"], problem.ErrorFields());
    }

    [Fact]
    public async Task Number_for_a_string_is_400_naming_the_field()
    {
        var problem = await (await PostProvider("""{"ukprn": 10000001, "name": "x"}"""))
            .AssertProblemAsync(HttpStatusCode.BadRequest, "request.invalid_value");
        Assert.Equal(["ukprn"], problem.ErrorFields());
        Assert.DoesNotContain("System.", problem.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task String_for_a_number_is_400()
    {
        var problem = await (await PostProvider("""{"ukprn":"10000001","name":"x","inspectionGrade":"1","inspectionDate":"2024-01-01"}"""))
            .AssertProblemAsync(HttpStatusCode.BadRequest, "request.invalid_value");
        Assert.Equal(["inspectionGrade"], problem.ErrorFields());
    }

    [Fact]
    public async Task Unknown_enum_value_is_400_naming_the_field()
    {
        var problem = await (await PostProvider("""{"ukprn":"10000001","name":"x","approvalStatus":"pending","inspectionGrade":1,"inspectionDate":"2024-01-01"}"""))
            .AssertProblemAsync(HttpStatusCode.BadRequest, "request.invalid_value");
        Assert.Equal(["approvalStatus"], problem.ErrorFields());
    }

    [Theory]
    [InlineData("""{"ukprn":""")]
    [InlineData("""{"ukprn": "10000001", """)]
    [InlineData("not json")]
    [InlineData("""{"ukprn": "10000001",}""")]
    public async Task Malformed_or_truncated_json_is_400(string body)
    {
        var problem = await (await PostProvider(body)).AssertProblemAsync(HttpStatusCode.BadRequest, "request.malformed_json");
        Assert.NotEmpty(problem.ErrorFields());
    }

    [Fact]
    public async Task Bad_date_is_400_naming_the_field()
    {
        var problem = await (await PostProvider("""{"ukprn":"10000001","name":"x","inspectionGrade":1,"inspectionDate":"2024-13-45"}"""))
            .AssertProblemAsync(HttpStatusCode.BadRequest, "request.invalid_value");
        Assert.Equal(["inspectionDate"], problem.ErrorFields());
    }

    [Fact]
    public async Task Missing_body_is_400()
    {
        var client = await api.ClientForAsync("dfe");
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/providers") { Content = new ByteArrayContent([]) };
        request.Content.Headers.ContentType = new("application/json");
        await (await client.SendAsync(request)).AssertProblemAsync(HttpStatusCode.BadRequest, "request.body_missing");
    }

    [Fact]
    public async Task Wrong_content_type_is_415()
    {
        await (await PostProvider(ValidProvider, "text/plain")).AssertProblemAsync(HttpStatusCode.UnsupportedMediaType, "request.unsupported_media_type");
    }

    [Fact]
    public async Task Oversized_body_is_413()
    {
        var huge = "{\"ukprn\":\"10000001\",\"name\":\"" + new string('x', 300 * 1024) + "\"}";
        await (await PostProvider(huge)).AssertProblemAsync(HttpStatusCode.RequestEntityTooLarge, "request.body_too_large");
    }

    [Fact]
    public async Task Huge_array_is_refused_without_a_500()
    {
        var body = "{\"ukprn\":[" + string.Join(',', Enumerable.Repeat("1", 20_000)) + "]}";
        await (await PostProvider(body)).AssertProblemAsync(HttpStatusCode.BadRequest, "request.invalid_value");
    }

    [Fact]
    public async Task Deep_nesting_is_400()
    {
        var body = "{\"ukprn\":" + new string('[', 100) + new string(']', 100) + "}";
        await (await PostProvider(body)).AssertProblemAsync(HttpStatusCode.BadRequest, "request.malformed_json");
    }

    [Fact]
    public async Task Unknown_route_is_404_problem()
    {
        var client = await api.ClientForAsync("dfe");
        await (await client.GetAsync("/api/v1/nothing-here")).AssertProblemAsync(HttpStatusCode.NotFound, "route.not_found");
        await (await api.ClientWith(null).GetAsync("/nope")).AssertProblemAsync(HttpStatusCode.NotFound, "route.not_found");
    }

    [Fact]
    public async Task Wrong_verb_is_405_problem()
    {
        var client = await api.ClientForAsync("dfe");
        var response = await client.DeleteAsync("/api/v1/providers");
        await response.AssertProblemAsync(HttpStatusCode.MethodNotAllowed, "route.method_not_allowed");
    }

    [Fact]
    public async Task Unexpected_failure_is_500_without_internals_and_with_trace_id()
    {
        var response = await api.ClientWith(null).GetAsync("/test/boom");
        var problem = await response.AssertProblemAsync(HttpStatusCode.InternalServerError, "server.error");
        var text = problem.ToString();
        Assert.DoesNotContain("hunter2", text, StringComparison.Ordinal);
        Assert.DoesNotContain("InvalidOperationException", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validation_lists_every_broken_rule_at_once()
    {
        var problem = await (await PostProvider("""{"ukprn":"2000000","name":"","inspectionGrade":7,"inspectionDate":"2999-01-01"}"""))
            .AssertProblemAsync(HttpStatusCode.BadRequest, "validation.failed");
        Assert.Equal(["inspectionDate", "inspectionGrade", "name", "ukprn"], problem.ErrorFields().Order());
    }

    [Fact]
    public async Task Non_utf8_garbage_is_400()
    {
        var client = await api.ClientForAsync("dfe");
        var content = new ByteArrayContent([0xFF, 0xFE, 0x00, 0x7B]);
        content.Headers.ContentType = new("application/json") { CharSet = Encoding.UTF8.WebName };
        var response = await client.PostAsync("/api/v1/providers", content);
        await response.AssertProblemAsync(HttpStatusCode.BadRequest, "request.malformed_json");
    }
}
