using Npgsql;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Iqts.Api.Telemetry;

/// <summary>
/// OpenTelemetry traces and metrics (ADR 0013): on when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set (exported by OTLP, with
/// the standard <c>OTEL_*</c> variables) or <c>Telemetry:Enabled</c> is true (a test's in-memory exporter); off otherwise,
/// so an API nobody observes spends nothing on it.
/// </summary>
public static class TelemetrySetup
{
    public static IServiceCollection AddIqtsTelemetry(this IServiceCollection services, IConfiguration configuration)
    {
        var otlp = !string.IsNullOrWhiteSpace(configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]);
        if (!otlp && !configuration.GetValue<bool>("Telemetry:Enabled"))
        {
            return services;
        }

        var telemetry = services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService(configuration["OTEL_SERVICE_NAME"] ?? "iqts-api"))
            .WithTracing(t => t
                .AddSource(IqtsTelemetry.Name)
                .AddAspNetCoreInstrumentation(o =>
                {
                    // The span is named by the route template (never a path with an id), as the contract writes it (the
                    // version is a literal segment of it); the operation id says which use case.
                    o.EnrichWithHttpResponse = (activity, response) =>
                    {
                        if (response.HttpContext.GetEndpoint()?.Metadata.GetMetadata<IEndpointNameMetadata>() is { } name)
                        {
                            activity.SetTag("iqts.operation_id", name.EndpointName);
                        }
                    };
                    o.RecordException = false;
                })
                .AddHttpClientInstrumentation()
                .AddNpgsql())
            .WithMetrics(m => m
                .AddMeter(IqtsTelemetry.Name)
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddMeter("Npgsql"));
        if (otlp)
        {
            telemetry.UseOtlpExporter();
        }

        return services;
    }
}
