using Iqts.Api.Awards;
using Iqts.Api.Events;
using Iqts.Api.Trainees;

namespace Iqts.Api.Webhooks;

/// <summary>
/// A participant of every trainee change, the last: the events the change makes, written in its transaction
/// (<see cref="EventLog"/>), read from the trainee before and after. The data names the trainee by its ids and links to
/// it; no names, no dates of birth: a consumer that may read them reads the resource.
/// </summary>
public sealed class TraineeEvents : ITraineeChangeParticipant
{
    public async Task RecordAsync(TraineeChanged changed, CancellationToken ct)
    {
        foreach (var e in await EventsAsync(changed, ct))
        {
            await EventLog.AppendAsync(changed.Work, e, changed.At, ct);
        }
    }

    private static async Task<IReadOnlyList<NewEvent>> EventsAsync(TraineeChanged changed, CancellationToken ct)
    {
        var (before, after) = (changed.Before, changed.After);
        var subject = $"trainees/{after.TraineeId}";
        string[] provider = [EventStreams.Provider(after.Ukprn)];
        var href = $"/api/v1/trainees/{after.TraineeId}";
        var events = new List<NewEvent>();
        void Add(EventType type, object data, string[]? streams = null) => events.Add(new NewEvent(type, subject, data, streams ?? provider));

        if (before is null)
        {
            Add(EventTypes.TraineeRegistered, new TraineeRegistered(after.TraineeId.ToString(), after.ProviderTraineeId, after.Ukprn, href, after.Status));
            return events;
        }

        if (changed.Action == AuditActions.Updated && AuditTrail.Diff(before.DetailsOnly(), after.DetailsOnly()).Select(c => c.Field.Split('[', '.')[0]).Distinct().ToList() is { Count: > 0 } fields)
        {
            Add(EventTypes.TraineeUpdated, new TraineeUpdated(after.TraineeId.ToString(), after.ProviderTraineeId, after.Ukprn, href, fields));
        }

        if (before.Status != after.Status)
        {
            var effectiveOn = changed.EffectiveOn ?? TraineeRules.StatusSince(after);
            Add(EventTypes.TraineeStatusChanged, new TraineeStatusChanged(after.TraineeId.ToString(), after.ProviderTraineeId, after.Ukprn, href, after.Status, before.Status, effectiveOn));
        }

        if (before.Trn is null && after.Trn is { } trn)
        {
            Add(EventTypes.TraineeTrnReceived, new TraineeTrn(after.TraineeId.ToString(), after.ProviderTraineeId, after.Ukprn, href, trn));
        }

        if (before.TrnDeactivatedAt is null && after.TrnDeactivatedAt is not null)
        {
            Add(EventTypes.TraineeTrnDeactivated, new TraineeTrn(after.TraineeId.ToString(), after.ProviderTraineeId, after.Ukprn, href, after.Trn));
        }

        if (before.Eligibility != after.Eligibility)
        {
            Add(EventTypes.TraineeEligibilityChanged,
                new TraineeEligibilityChanged(after.TraineeId.ToString(), after.ProviderTraineeId, after.Ukprn, href, after.Eligibility, before.Eligibility));
        }

        if (after.AwardCheck is { } check && check != (before.AwardCheck ?? AwardRuleResult.NotMet))
        {
            Add(EventTypes.TraineeAwardCheckChanged,
                new TraineeAwardCheckChanged(after.TraineeId.ToString(), after.ProviderTraineeId, after.Ukprn, href, check, before.AwardCheck ?? AwardRuleResult.NotMet));
        }

        if ((changed.Action == AuditActions.Awarded || changed.Action == AuditActions.AwardAcknowledged)
            && await AwardRepository.ForTraineeAsync(changed.Work, after.Ukprn, after.TraineeId, ct) is { } award)
        {
            var data = new AwardEvent(after.TraineeId.ToString(), after.ProviderTraineeId, after.Ukprn, href, award.Id.ToString(), award.AwardedOn, award.Trn, award.QtsDate,
                $"/api/v1/awards/{award.Id}");
            Add(changed.Action == AuditActions.Awarded ? EventTypes.TraineeAwarded : EventTypes.AwardAcknowledged, data, [.. provider, EventStreams.Tra]);
        }

        return events;
    }
}

// What each trainee event carries: the trainee's ids and the link to it, then what changed.

/// <summary><c>trainee.registered</c>.</summary>
public sealed record TraineeRegistered(string TraineeId, string ProviderTraineeId, string Ukprn, string Href, TraineeStatus Status);

/// <summary><c>trainee.updated</c>: the names of the changed fields, never their values.</summary>
public sealed record TraineeUpdated(string TraineeId, string ProviderTraineeId, string Ukprn, string Href, IReadOnlyList<string> ChangedFields);

/// <summary><c>trainee.status_changed</c>.</summary>
public sealed record TraineeStatusChanged(string TraineeId, string ProviderTraineeId, string Ukprn, string Href, TraineeStatus Status, TraineeStatus PreviousStatus,
    DateOnly EffectiveOn);

/// <summary><c>trainee.trn_received</c> and <c>trainee.trn_deactivated</c>.</summary>
public sealed record TraineeTrn(string TraineeId, string ProviderTraineeId, string Ukprn, string Href, string? Trn);

/// <summary><c>trainee.eligibility_changed</c>.</summary>
public sealed record TraineeEligibilityChanged(string TraineeId, string ProviderTraineeId, string Ukprn, string Href, EligibilityResult Eligibility,
    EligibilityResult PreviousEligibility);

/// <summary><c>trainee.award_check_changed</c>.</summary>
public sealed record TraineeAwardCheckChanged(string TraineeId, string ProviderTraineeId, string Ukprn, string Href, AwardRuleResult Result, AwardRuleResult PreviousResult);

/// <summary><c>trainee.awarded</c> and <c>award.acknowledged</c> (the TRA's stream has them too).</summary>
public sealed record AwardEvent(string TraineeId, string ProviderTraineeId, string Ukprn, string Href, string AwardId, DateOnly AwardedOn, string? Trn, DateOnly? QtsDate,
    string AwardHref);
