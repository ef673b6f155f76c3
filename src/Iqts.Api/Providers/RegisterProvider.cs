
namespace Iqts.Api.Providers;

/// <summary><c>POST /providers</c> (DfE): the provider's rules, then the provider in its place in the providers' sync feed.</summary>
public sealed class RegisterProvider(IDbConnectionFactory db, TimeProvider time)
{
    public Task<Outcome<Provider>> RunAsync(CreateProviderRequest request, string actorName, CancellationToken ct) => db.WriteAsync(work => RunAsync(work, request, actorName, ct), ct);

    public async Task<Outcome<Provider>> RunAsync(UnitOfWork work, CreateProviderRequest request, string actorName, CancellationToken ct)
    {
        var registration = ProviderRules.Register(request, time.Today());
        if (registration.Failed)
        {
            return registration.Error;
        }

        var now = time.UtcNowMicros();
        var provider = new Provider(registration.Value)
        {
            Ukprn = request.Ukprn,
            CreatedAt = now,
            UpdatedAt = now,
            RowVersion = 1,
            ChangeSeq = await ChangeSequence.NextAsync(work, ProviderRepository.SyncScope, ct),
        };
        if (!await ProviderRepository.InsertAsync(work, provider, ct))
        {
            return ApiErrors.ProviderExists(provider.Ukprn);
        }

        await ApprovalRepository.AppendAsync(work, provider.Ukprn, new ApprovalEntry(provider.ApprovalStatus!.Value, null, ApprovalStep.Registered,
            "Registered for iQTS.", DateOnly.FromDateTime(now.UtcDateTime), null, null, now, actorName), ct);
        return provider;
    }
}
