using System.Security.Cryptography;
using System.Text.Json;
using Iqts.Api.Providers;

namespace Iqts.Api.Governance;

/// <summary>
/// <c>GET /public/providers</c>: the providers approved for iQTS (seed 001: DfE publishes the list), each with its latest
/// final inspection and the term of its next, read in one snapshot. Nothing else about a provider, nothing about trainees.
/// </summary>
public sealed class ReadPublicRegister(IDbConnectionFactory db, TimeProvider time)
{
    public Task<PublicRegister> RunAsync(CancellationToken ct) => db.SnapshotAsync(async work =>
    {
        var providers = await ProviderRepository.ApprovedAsync(work, ct);
        var inspections = (await InspectionRepository.OfApprovedProvidersAsync(work, ct)).ToLookup(i => i.Ukprn);
        return Build(providers, inspections, Term.Of(time.Today()));
    }, ct);

    /// <summary>The register from the providers and their inspections (in term order): pure, so it can be tested on its own.</summary>
    public static PublicRegister Build(IReadOnlyList<Provider> providers, ILookup<string, Inspection> inspections, Term now) =>
        new(providers.Select(p =>
        {
            var (latest, next) = GovernanceRules.LatestAndNext(inspections[p.Ukprn], now);
            return new PublicProvider(p.Ukprn, p.Name, latest is null ? null : new PublicInspection(latest.FinalGrade!.Value, latest.EndsOn!.Value, latest.ReportUrl),
                next?.ToString());
        }).ToList());

    /// <summary>A strong validator of the register's content: the same providers and inspections give the same ETag on every instance.</summary>
    public static string ETagOf(PublicRegister register) =>
        $"\"{Convert.ToHexStringLower(SHA256.HashData(JsonSerializer.SerializeToUtf8Bytes(register, Json.Options)))[..32]}\"";
}
