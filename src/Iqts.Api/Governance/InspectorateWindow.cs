using System.Reflection;
using System.Security.Claims;
using Iqts.Api.Providers;

namespace Iqts.Api.Governance;

/// <summary>
/// An inspectorate's access to a provider's records, bounded by its inspection and audited (ADR 0011). From the day it
/// notified the provider to the day of the report, the inspection's inspectorate may make the reads marked
/// <see cref="InspectorateReadsAttribute"/>, the evidence read and the governance changes; before and after, every one of
/// them answers exactly as for an unknown id. Each read that answers is logged (who, what, when) in the inspection's access
/// log, which the provider and DfE read. The log's write follows the read in its own unit: an audited read leaves a record.
/// </summary>
public sealed class InspectorateWindow(IDbConnectionFactory db, TimeProvider time)
{
    /// <summary>A UKPRN no provider has (a UKPRN starts with 1): the scope of a read outside any inspection, which finds nothing.</summary>
    public const string NoProvider = "00000000";

    /// <summary>The endpoint filter for the marked reads; other endpoints get none.</summary>
    public static EndpointFilterDelegate Filter(EndpointFilterFactoryContext context, EndpointFilterDelegate next) =>
        context.MethodInfo.GetCustomAttribute<InspectorateReadsAttribute>() is null
            ? next
            : invocation => invocation.HttpContext.RequestServices.GetRequiredService<InspectorateWindow>().ReadTraineeAsync(invocation, next);

    private async ValueTask<object?> ReadTraineeAsync(EndpointFilterInvocationContext invocation, EndpointFilterDelegate next)
    {
        var http = invocation.HttpContext;
        if (http.User.InspectorateOf() is not { } inspectorate)
        {
            return await next(invocation);
        }

        var traineeId = Guid.TryParse(http.GetRouteValue("traineeId") as string, out var id) ? id : Guid.Empty;
        var inspection = await db.ReadAsync(work => InspectionRepository.OpenForTraineeAsync(work, inspectorate, traineeId, time.Today(), http.RequestAborted), http.RequestAborted);
        http.User.AddIdentity(new ClaimsIdentity([new Claim(IqtsClaims.Ukprn, inspection?.Ukprn ?? NoProvider)]));
        var result = await next(invocation);
        if (inspection is not null && Succeeded(result))
        {
            await RecordAsync(inspection, new Caller(http), http.RequestAborted);
        }

        return result;
    }

    /// <summary>The caller's open inspection of the provider when it is an inspectorate; null when it has none today.</summary>
    public async Task<Inspection?> OpenAsync(Caller caller, string ukprn, CancellationToken ct)
    {
        if (caller.InspectorateId is not { } inspectorate || !ProviderRules.IsUkprn(ukprn))
        {
            return null;
        }

        return await db.ReadAsync(work => InspectionRepository.OpenForProviderAsync(work, inspectorate, ukprn, time.Today(), ct), ct);
    }

    /// <summary>The read in the inspection's access log.</summary>
    public async Task RecordAsync(Inspection inspection, Caller caller, CancellationToken ct)
    {
        var operation = caller.Http.GetEndpoint()?.Metadata.GetMetadata<IEndpointNameMetadata>()?.EndpointName ?? "";
        await db.WriteAsync<bool>(async work =>
        {
            await InspectionRepository.RecordAccessAsync(work, inspection, caller.Actor, operation, caller.Http.Request.Path.Value ?? "", time.UtcNowMicros(), ct);
            return true;
        }, ct);
    }

    private static bool Succeeded(object? result) => result switch
    {
        INestedHttpResult nested => Succeeded(nested.Result),
        IStatusCodeHttpResult { StatusCode: >= 200 and < 300 } => true,
        _ => false,
    };
}
