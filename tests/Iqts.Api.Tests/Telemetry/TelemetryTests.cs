using System.Diagnostics;
using Iqts.Api.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Iqts.Api.Tests.Telemetry;

/// <summary>
/// OpenTelemetry (issue 23, ADR 0013) on the test's engine: spans for a request, a call to TRS and an outbox delivery,
/// the standard and the API's own metrics, trace context in and out, and no personal data in any span or metric.
/// </summary>
public sealed class TelemetryTests(TelemetryTests.Api api) : IClassFixture<TelemetryTests.Api>
{
    /// <summary>The API with telemetry on and exported to memory, delivering to a fake TRS the test drives.</summary>
    public sealed class Api : TraApiFactory
    {
        public LockedCollection<Activity> Spans { get; } = [];

        public LockedCollection<Metric> Metrics { get; } = [];

        protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>(base.Settings) { ["Telemetry:Enabled"] = "true" };

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.ConfigureServices(services => services
                .ConfigureOpenTelemetryTracerProvider(t => t.AddInMemoryExporter(Spans))
                .ConfigureOpenTelemetryMeterProvider(m => m.AddInMemoryExporter(Metrics)));
        }

        public void Flush()
        {
            Services.GetRequiredService<TracerProvider>().ForceFlush();
            Services.GetRequiredService<MeterProvider>().ForceFlush();
        }
    }

    private static readonly string[] Secrets = ["Wilhelmina", "Fotheringay", "w.fotheringay@example.org", "1989-11-23"];

    [Fact]
    public async Task A_request_a_trs_call_and_a_delivery_are_traced_and_measured_with_no_personal_data()
    {
        var ukprn = await api.CreateProviderAsync();
        var client = await api.ClientForAsync("provider", ukprn);
        // Each request in a trace of its own (the caller's W3C traceparent, honoured), so this test finds its spans among
        // those of every other test's host in the process.
        var (registration, refusal) = (ActivityTraceId.CreateRandom().ToHexString(), ActivityTraceId.CreateRandom().ToHexString());
        var create = new HttpRequestMessage(HttpMethod.Post, "/api/v1/trainees?confirmNotDuplicate=true")
        {
            Content = Requests.JsonBody(Fixtures.Trainee("OT-1", b =>
            {
                b["firstNames"] = "Wilhelmina";
                b["lastName"] = "Fotheringay";
                b["email"] = "w.fotheringay@example.org";
                b["dateOfBirth"] = "1989-11-23";
            }).ToJsonString()),
        };
        create.Headers.TryAddWithoutValidation("traceparent", $"00-{registration}-b7ad6b7169203331-01");
        var created = await client.SendAsync(create);
        Assert.Equal(System.Net.HttpStatusCode.Created, created.StatusCode);
        var id = (await created.ReadJsonAsync()).GetProperty("traineeId").GetString()!;

        // A problem's traceId is the trace's id.
        var request = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/trainees/{Guid.NewGuid()}");
        request.Headers.TryAddWithoutValidation("traceparent", $"00-{refusal}-b7ad6b7169203331-01");
        var problem = await (await client.SendAsync(request)).ReadJsonAsync();
        Assert.Equal(refusal, problem.GetProperty("traceId").GetString());

        await api.WaitForDeliveryAsync(1);
        await api.WaitUntilAsync(async () => (await (await client.GetAsync($"/api/v1/trainees/{id}")).ReadJsonAsync()).GetProperty("trn").ValueKind == System.Text.Json.JsonValueKind.String,
            "the TRN", TimeSpan.FromMinutes(1));
        api.Flush();
        var spans = api.Spans.Snapshot();

        // The request: named by its route template, never a path with an id; the operation and the error code on it.
        var server = spans.Single(s => s.Kind == ActivityKind.Server && s.TraceId.ToHexString() == registration);
        Assert.Equal(("POST /api/v1/trainees", "CreateTrainee"), (server.DisplayName, server.GetTagItem("iqts.operation_id") as string));
        var missing = spans.Single(s => s.Kind == ActivityKind.Server && s.TraceId.ToHexString() == refusal);
        Assert.Equal(("GET /api/v1/trainees/{traineeId}", "resource.not_found"), (missing.DisplayName, missing.GetTagItem("iqts.error_code") as string));
        Assert.DoesNotContain(spans, s => s.DisplayName.Contains(id, StringComparison.Ordinal));

        // The outbox's delivery, with its message's id, and the call to TRS under it, whose traceparent TRS received.
        var submission = (await (await client.GetAsync($"/api/v1/trainees/{id}/tra-submissions")).ReadJsonAsync()).GetProperty("items")[0].GetProperty("submissionId").GetString();
        var delivery = spans.First(s => s.Source.Name == "Iqts.Api" && s.DisplayName == "tra deliver" && s.GetTagItem("iqts.message.id") as string == submission);
        Assert.Equal("ok", delivery.GetTagItem("iqts.result"));
        var trs = spans.First(s => s.Kind == ActivityKind.Client && s.ParentSpanId == delivery.SpanId && s.GetTagItem("http.request.method") is not null);
        Assert.Contains(api.Tra.Traceparents, t => t.StartsWith($"00-{trs.TraceId.ToHexString()}-{trs.SpanId.ToHexString()}-", StringComparison.Ordinal));
        if (api.Database.Provider == "postgres")
        {
            Assert.Contains(spans, s => s.Source.Name == "Npgsql" && (s.GetTagItem("db.query.text") ?? s.GetTagItem("db.statement")) is string);
        }

        var exported = api.Metrics.Snapshot();
        var metrics = exported.Select(m => m.Name).ToHashSet();
        foreach (var name in new[] { "http.server.request.duration", "iqts.delivery.attempts", "iqts.token_cache.lookups", "iqts.queue.depth", "iqts.queue.oldest_age" })
        {
            Assert.Contains(name, metrics);
        }

        // No personal data in any span's name, tags or events, nor in any metric's tags.
        var texts = spans.SelectMany(s => new[] { s.DisplayName }.Concat(s.TagObjects.Select(t => $"{t.Key}={t.Value}"))
            .Concat(s.Events.SelectMany(e => e.Tags.Select(t => $"{t.Key}={t.Value}")))).ToList();
        foreach (var metric in exported)
        {
            foreach (ref readonly var point in metric.GetMetricPoints())
            {
                foreach (var tag in point.Tags)
                {
                    texts.Add($"{tag.Key}={tag.Value}");
                }
            }
        }

        Assert.NotEmpty(texts);
        foreach (var secret in Secrets)
        {
            Assert.DoesNotContain(texts, t => t.Contains(secret, StringComparison.OrdinalIgnoreCase));
        }
    }
}
