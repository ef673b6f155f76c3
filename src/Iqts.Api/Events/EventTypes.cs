namespace Iqts.Api.Events;

/// <summary>A kind of event: its CloudEvents <c>type</c>, and what happened.</summary>
public sealed record EventType(string Name, string Description);

/// <summary>
/// Every event the API writes (issue 21), one catalogue: the README's table of event types is kept equal to it by a test.
/// Names are CloudEvents types, <c>resource.what_happened</c>, as TRS names its own.
/// </summary>
public static class EventTypes
{
    public static readonly EventType TraineeRegistered = new("trainee.registered", "A trainee was registered.");
    public static readonly EventType TraineeUpdated = new("trainee.updated", "A trainee's details were corrected; `changedFields` names them (never their values).");
    public static readonly EventType TraineeStatusChanged = new("trainee.status_changed", "A trainee was deferred, reinstated, withdrawn or awarded: `status`, `previousStatus`, `effectiveOn`.");
    public static readonly EventType TraineeTrnReceived = new("trainee.trn_received", "The TRA gave the trainee a TRN.");
    public static readonly EventType TraineeTrnDeactivated = new("trainee.trn_deactivated", "The TRA deactivated the trainee's TRN (a record merged into another, say).");
    public static readonly EventType TraineeEligibilityChanged = new("trainee.eligibility_changed", "The entry criteria (C1.1–C1.4) over the evidence now give another result.");
    public static readonly EventType TraineeAwardCheckChanged = new("trainee.award_check_changed", "The award check now gives another result (`met` or `not_met`).");
    public static readonly EventType TraineeAwarded = new("trainee.awarded", "iQTS was awarded; the TRA's stream has it too.");
    public static readonly EventType AwardAcknowledged = new("award.acknowledged", "The TRA recorded the award with its TRN and QTS date.");
    public static readonly EventType TraSubmissionFailed = new("tra_submission.failed", "A message to the TRA was parked as failed, for a person to fix: its `errorCode` says why.");
    public static readonly EventType ReturnSubmitted = new("return.submitted", "A monthly return was submitted or corrected; DfE's stream has it too.");
    public static readonly EventType ProviderApprovalChanged = new("provider.approval_changed", "DfE changed a provider's approval status; the provider's stream has it too.");
    public static readonly EventType Ping = new("ping", "Sent to one subscription on request (`POST …/ping`), to test a receiver; never in a feed.");

    public static readonly IReadOnlyList<EventType> All =
    [
        TraineeRegistered, TraineeUpdated, TraineeStatusChanged, TraineeTrnReceived, TraineeTrnDeactivated, TraineeEligibilityChanged,
        TraineeAwardCheckChanged, TraineeAwarded, AwardAcknowledged, TraSubmissionFailed, ReturnSubmitted, ProviderApprovalChanged, Ping,
    ];

    public static EventType? Find(string name) => All.FirstOrDefault(t => t.Name == name);
}

/// <summary>
/// Who reads an event: each role its own stream. A provider reads its own trainees' and returns' events and its approval;
/// the TRA reads awards; DfE reads what concerns providers (approvals, returns). Nothing else is in any stream.
/// </summary>
public static class EventStreams
{
    public const string Tra = "tra";

    public const string Dfe = "dfe";

    public static string Provider(string ukprn) => "provider:" + ukprn;
}
