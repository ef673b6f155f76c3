using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;

namespace Iqts.Api.Tra;

/// <summary><c>Tra:*</c>: where the TRA's Teaching Record System is and how the outbox worker talks to it. Validated at start-up.</summary>
public sealed class TraOptions
{
    /// <summary>The TRS API's base address (e.g. its preprod host). Without it the API runs in pull-only mode.</summary>
    public Uri? BaseUrl { get; set; }

    /// <summary>The bearer API key TRS issued; required with <see cref="BaseUrl"/>.</summary>
    public string? ApiKey { get; set; }

    /// <summary>
    /// The TRS minor version, sent as <c>X-Api-Version</c>: 20260416, the first that shows a TRN request TRS will not
    /// complete (<c>Rejected</c>, <c>Dormant</c>) instead of a 400/10062, so nothing waits forever. (DfE's Register pins 20250627.)
    /// </summary>
    [RegularExpression("^[0-9]{8}$")]
    public string ApiVersion { get; set; } = "20260416";

    /// <summary>
    /// TRS's JWKS (its <c>GET /webhook-jwks</c>). With it, <c>POST /api/v1/tra/webhooks</c> takes TRS's webhooks
    /// (<c>trn_request.completed</c>, <c>person.deactivated</c>), verified against these keys; without it, that route is
    /// 404 and the TRN is learnt by polling alone.
    /// </summary>
    public Uri? WebhookJwksUrl { get; set; }

    /// <summary>
    /// The address TRS posts its webhooks to, as registered with TRS: the <c>@target-uri</c> its signature covers. Needed
    /// behind a proxy that changes the scheme or host; otherwise the request's own address is used.
    /// </summary>
    public Uri? WebhookUrl { get; set; }

    /// <summary>How often the worker looks for due messages when it found none.</summary>
    [TimeSpanRange("00:00:00.010", "00:10:00")]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How long to wait before reading a pending TRN request again (DfE's Register waits an hour).</summary>
    [TimeSpanRange("00:00:00", "1.00:00:00")]
    public TimeSpan TrnPollDelay { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How long a claimed message is the claiming instance's; a crashed instance's messages are picked up after it.</summary>
    [TimeSpanRange("00:00:01", "01:00:00")]
    public TimeSpan Lease { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Messages one worker claims at a time and sends side by side.</summary>
    [Range(1, 100)]
    public int BatchSize { get; set; } = 8;

    /// <summary>The first of the HTTP client's quick retries (exponential, jittered) before the outbox's own backoff takes over.</summary>
    [TimeSpanRange("00:00:00.001", "00:01:00")]
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>The timeout of one HTTP attempt.</summary>
    [TimeSpanRange("00:00:00.100", "00:05:00")]
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How long the circuit stays open after TRS keeps failing, before one trial request.</summary>
    [TimeSpanRange("00:00:00.500", "00:10:00")]
    public TimeSpan BreakDuration { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>How long a message waiting on an outage goes untried before the worker, finding nothing due, tries it early to learn whether TRS is back.</summary>
    [TimeSpanRange("00:00:00.010", "01:00:00")]
    public TimeSpan ProbeInterval { get; set; } = TimeSpan.FromSeconds(30);

    public bool PullOnly => BaseUrl is null;

    /// <summary>
    /// Whether this instance runs the delivery worker. Off on instances that only answer requests while others deliver
    /// (the outbox is shared, so any number may deliver side by side); the tests drive the worker a pass at a time.
    /// </summary>
    public bool Worker { get; set; } = true;
}

/// <summary>What the outbox sends.</summary>
public enum SubmissionKind
{
    /// <summary><c>POST /v3/trn-requests</c> for a registered trainee, then <c>GET</c> until it is completed.</summary>
    TrnRequest,

    /// <summary><c>PUT /v3/persons/{trn}/routes-to-professional-statuses/{traineeId}</c>: the trainee's iQTS route.</summary>
    RouteUpdate,
}

public enum SubmissionState
{
    Pending,
    Delivered,

    /// <summary>TRS refused it, or it could not be delivered for about three days: a person must look (<c>-- tra retry</c>).</summary>
    Failed,
}

/// <summary>One message to the TRA and where it stands. No personal data: the person's details are read from the trainee when sent.</summary>
/// <param name="SubmissionId">The message's id.</param>
/// <param name="TraineeId">The trainee it is about.</param>
/// <param name="Ukprn">The trainee's provider.</param>
/// <param name="Kind">trn_request or route_update.</param>
/// <param name="State">pending, delivered or failed.</param>
/// <param name="Attempts">Attempts so far.</param>
/// <param name="LastErrorCode">The last failure: the TRS errorCode (e.g. <c>10047</c>), an HTTP status, or ours (e.g. <c>potential_duplicate</c>).</param>
/// <param name="LastError">What it said.</param>
/// <param name="RouteStatus">For a route update: the TRS status it sends (InTraining, Deferred, Withdrawn, Holds).</param>
/// <param name="NextAttemptAt">When it is tried next, while pending.</param>
/// <param name="CreatedAt">When the change that caused it was made.</param>
/// <param name="DeliveredAt">When TRS accepted it.</param>
public sealed record TraSubmission(
    string SubmissionId,
    string TraineeId,
    string Ukprn,
    SubmissionKind Kind,
    SubmissionState State,
    int Attempts,
    string? LastErrorCode,
    string? LastError,
    string? RouteStatus,
    DateTimeOffset? NextAttemptAt,
    DateTimeOffset CreatedAt,
    DateTimeOffset? DeliveredAt);

/// <summary>A trainee's messages to the TRA, oldest first.</summary>
public sealed record TraSubmissionList(IReadOnlyList<TraSubmission> Items);

// ---- The TRS v3 shapes (docs: ../shared/anchors/tra-trs-v3.md), camelCase, nulls left out as DfE's Register does ----

/// <summary>TRS <c>CreateTrnRequestRequest</c> (20250425).</summary>
public sealed record TrsTrnRequest(string RequestId, TrsPerson Person, bool IdentityVerified = false);

public sealed record TrsPerson(
    string FirstName,
    string? MiddleName,
    string LastName,
    DateOnly DateOfBirth,
    IReadOnlyList<string>? EmailAddresses,
    string? NationalInsuranceNumber,
    string? Gender);

/// <summary>TRS <c>TrnRequestInfo</c>: <c>trn</c> only once <c>Completed</c>.</summary>
public sealed record TrsTrnRequestInfo(string RequestId, string Status, string? Trn, bool? PotentialDuplicate);

/// <summary>TRS <c>SetRouteToProfessionalStatusRequest</c> (20250627).</summary>
public sealed record TrsRoute
{
    public Guid RouteToProfessionalStatusTypeId { get; init; }

    public string Status { get; init; } = "";

    public DateOnly? HoldsFrom { get; init; }

    public DateOnly TrainingStartDate { get; init; }

    public DateOnly TrainingEndDate { get; init; }

    public IReadOnlyList<string> TrainingSubjectReferences { get; init; } = [];

    public TrsAgeSpecialism? TrainingAgeSpecialism { get; init; }

    public string? TrainingCountryReference { get; init; }

    public string? TrainingProviderUkprn { get; init; }

    public Guid? DegreeTypeId { get; init; }

    /// <summary>Never sent for iQTS (TRS wants it null); present so the fake TRA can refuse it when it is.</summary>
    public bool? IsExemptFromInduction { get; init; }
}

public sealed record TrsAgeSpecialism(string Type, int? From, int? To);

/// <summary>A TRS error: a domain error carries a numeric <c>errorCode</c>; a validation error carries <c>errors</c> instead.</summary>
public sealed record TrsProblem
{
    public string? Title { get; init; }

    public string? Detail { get; init; }

    public int? Status { get; init; }

    public int? ErrorCode { get; init; }

    public IReadOnlyDictionary<string, string[]>? Errors { get; init; }

    [JsonIgnore]
    public string Summary => ErrorCode is not null
        ? Title ?? ""
        : Errors is { Count: > 0 } errors ? $"{Title} {string.Join("; ", errors.Select(e => $"{e.Key}: {string.Join(" ", e.Value)}"))}" : Title ?? "";
}

// ---- The TRA's pull feed ----

/// <summary>The TRA's acknowledgement that it has recorded an award.</summary>
/// <param name="Trn">The teacher reference number the award is recorded against: 7 digits.</param>
/// <param name="QtsDate">The QTS date the TRA recorded: on or after the award date, not in the future.</param>
public sealed record AcknowledgementRequest([property: Required] string? Trn, [property: Required] DateOnly? QtsDate);

/// <summary>An award as the TRA records it: the person, the training behind it, and the TRA's acknowledgement.</summary>
/// <param name="AwardId">Our id of the award.</param>
/// <param name="TraineeId">Our id of the trainee, also the route's reference in TRS.</param>
/// <param name="Ukprn">The provider's UKPRN.</param>
/// <param name="Trn">The teacher reference number, once known (from the TRN request or the acknowledgement).</param>
/// <param name="FirstNames">The trainee's first names.</param>
/// <param name="LastName">The trainee's last name.</param>
/// <param name="DateOfBirth">The trainee's date of birth.</param>
/// <param name="TrainingCountry">Where the trainee trained (set countries).</param>
/// <param name="AgeRange">The age range trained to teach (set age-ranges).</param>
/// <param name="Subjects">The subjects trained to teach (HECOS, at most 3).</param>
/// <param name="StartDate">The training's start.</param>
/// <param name="ExpectedEndDate">The training's expected end.</param>
/// <param name="AwardedOn">The date of the award, the route's holdsFrom.</param>
/// <param name="QtsDate">The QTS date the TRA recorded, once acknowledged.</param>
/// <param name="AcknowledgedAt">When the TRA acknowledged it.</param>
/// <param name="UpdatedAt">When any of this last changed.</param>
public sealed record AwardRecord(
    string AwardId,
    string TraineeId,
    string Ukprn,
    string? Trn,
    string FirstNames,
    string LastName,
    DateOnly DateOfBirth,
    string TrainingCountry,
    string AgeRange,
    IReadOnlyList<string> Subjects,
    DateOnly StartDate,
    DateOnly ExpectedEndDate,
    DateOnly AwardedOn,
    DateOnly? QtsDate,
    DateTimeOffset? AcknowledgedAt,
    DateTimeOffset UpdatedAt);
