using Iqts.Api.Events;


namespace Iqts.Api.Reports;

/// <summary>
/// <c>PUT /returns/{month}</c>: the month and the figures checked, then under the provider's returns sequence (which
/// orders the list and serialises the provider's writers) the return, if <c>If-Match</c> allows, with its history entry.
/// Created says whether it was the first submission; a replacement that changes nothing writes nothing.
/// </summary>
public sealed class SubmitReturn(IDbConnectionFactory db, TimeProvider time)
{
    public Task<Outcome<(MonthlyReturn Return, bool Created)>> RunAsync(string ukprn, string month, VersionCheck ifMatch, MonthlyReturnDetails details, Actor actor,
        CancellationToken ct) =>
        db.WriteAsync(work => RunAsync(work, ukprn, month, ifMatch, details, actor, ct), ct);

    public async Task<Outcome<(MonthlyReturn Return, bool Created)>> RunAsync(UnitOfWork work, string ukprn, string month, VersionCheck ifMatch, MonthlyReturnDetails details,
        Actor actor, CancellationToken ct)
    {
        var valid = ReportRules.Month(month, "month", time.Today()).Then(_ => ReportRules.Return(details));
        if (valid.Failed)
        {
            return valid.Error;
        }

        var seq = await ChangeSequence.NextAsync(work, ReturnRepository.SyncScope(ukprn), ct);
        var current = await ReturnRepository.FindAsync(work, ukprn, month, ct, forUpdate: true);
        if (!ifMatch.Allows(current?.RowVersion ?? 0))
        {
            return ApiErrors.PreconditionFailed();
        }

        var changes = AuditTrail.Diff<MonthlyReturnDetails>(current, valid.Value);
        if (current is not null && changes.Count == 0)
        {
            return (current, false);
        }

        var now = time.UtcNowMicros();
        var next = new MonthlyReturn(valid.Value)
        {
            Ukprn = ukprn,
            Month = month,
            SubmittedAt = current?.SubmittedAt ?? now,
            UpdatedAt = now,
            RowVersion = (current?.RowVersion ?? 0) + 1,
            ChangeSeq = seq,
        };
        await ReturnRepository.UpsertAsync(work, next, ct);
        await AuditTrail.RecordReturnAsync(work, ukprn, month, now, seq, actor, current is null ? AuditActions.ReturnSubmitted : AuditActions.ReturnCorrected, changes, ct);
        var status = ReportRules.Status(DateOnly.ParseExact(month + "-01", "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), next.SubmittedAt, now);
        await EventLog.AppendAsync(work, new NewEvent(EventTypes.ReturnSubmitted, $"returns/{ukprn}/{month}",
            new ReturnSubmitted(ukprn, month, status, Corrected: current is not null, $"/api/v1/returns/{month}"), [EventStreams.Provider(ukprn), EventStreams.Dfe]), now, ct);
        return (next, current is null);
    }
}

/// <summary><c>return.submitted</c>: the provider's stream and DfE's; <c>corrected</c> for a later submission of the month.</summary>
public sealed record ReturnSubmitted(string Ukprn, string Month, ReturnStatus Status, bool Corrected, string Href);
