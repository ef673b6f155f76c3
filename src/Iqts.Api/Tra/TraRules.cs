using System.Globalization;
using System.Text.Json;
using Iqts.Api.Awards;
using Iqts.Api.Trainees;

namespace Iqts.Api.Tra;

/// <summary>
/// What the API sends to the TRA's Teaching Record System v3, as pure functions: the TRN request for a trainee, the
/// trainee's iQTS route with its status mapped as DfE's Register maps it, and the backoff of a message that could not
/// be delivered (the schedule of TRS's own webhooks, about three days in all).
/// </summary>
public static class TraRules
{
    /// <summary>The iQTS route type in TRS (<c>RouteToProfessionalStatusType.cs</c>).</summary>
    public static readonly Guid IqtsRouteTypeId = Guid.Parse("d0b60864-ab1c-4d49-a5c2-ff4bd9872ee1");

    /// <summary>5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 14 h, 20 h, 24 h: then the message is parked as failed.</summary>
    public static readonly IReadOnlyList<TimeSpan> Backoff =
    [
        TimeSpan.FromSeconds(5), TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(30), TimeSpan.FromHours(2), TimeSpan.FromHours(5),
        TimeSpan.FromHours(10), TimeSpan.FromHours(14), TimeSpan.FromHours(20), TimeSpan.FromHours(24),
    ];

    /// <summary>The wait before attempt <paramref name="attempts"/> + 1; null when the schedule is spent.</summary>
    public static TimeSpan? NextDelay(int attempts) => attempts >= 1 && attempts <= Backoff.Count ? Backoff[attempts - 1] : null;

    /// <summary>Our requestId for a trainee's TRN request: stable, so a repeat is recognised (TRS answers 409 with 10029).</summary>
    public static string RequestId(Guid traineeId) => "iqts-" + traineeId.ToString("D");

    /// <summary>The trainee a TRN request's id names; null for an id we did not make.</summary>
    public static Guid? TraineeOf(string? requestId) =>
        requestId is { Length: > 5 } id && id.StartsWith("iqts-", StringComparison.Ordinal) && Guid.TryParseExact(id[5..], "D", out var trainee) ? trainee : null;

    /// <summary>The person, as the TRN request carries them; the first of the first names is the first name.</summary>
    public static TrsTrnRequest TrnRequest(Trainee t)
    {
        var names = t.FirstNames.Split(' ', 2, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var gender = t.Sex switch
        {
            Sex.Female => "Female",
            Sex.Male => "Male",
            Sex.Other => "Other",
            _ => null,
        };
        return new TrsTrnRequest(RequestId(t.TraineeId),
            new TrsPerson(names[0], names.Length > 1 ? names[1] : null, t.LastName, t.DateOfBirth!.Value, [t.Email], null, gender));
    }

    /// <summary>The trainee's route status in TRS, as DfE's Register maps it.</summary>
    public static string RouteStatus(TraineeStatus status) => status switch
    {
        TraineeStatus.Registered => "InTraining",
        TraineeStatus.Deferred => "Deferred",
        TraineeStatus.Withdrawn => "Withdrawn",
        TraineeStatus.Awarded => "Holds",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, "Not a trainee status."),
    };

    /// <summary>The trainee's iQTS route as TRS takes it; <paramref name="holdsFrom"/> is the award date of an awarded trainee.</summary>
    public static TrsRoute Route(Trainee t, DateOnly? holdsFrom)
    {
        // Age range codes are "from-to" (set age-ranges), which TRS takes as a Range age specialism.
        var bounds = t.AgeRange.Split('-');
        var range = bounds.Length == 2 && int.TryParse(bounds[0], CultureInfo.InvariantCulture, out var from) && int.TryParse(bounds[1], CultureInfo.InvariantCulture, out var to)
            ? new TrsAgeSpecialism("Range", from, to)
            : null;
        return new TrsRoute
        {
            RouteToProfessionalStatusTypeId = IqtsRouteTypeId,
            Status = RouteStatus(t.Status),
            HoldsFrom = t.Status == TraineeStatus.Awarded ? holdsFrom : null,
            TrainingStartDate = t.StartDate!.Value,
            TrainingEndDate = t.ExpectedEndDate!.Value,
            TrainingSubjectReferences = t.Subjects.Take(3).ToList(),
            TrainingAgeSpecialism = range,
            TrainingCountryReference = TrsCountry(t.TrainingCountry),
            TrainingProviderUkprn = t.Ukprn,
        };
    }

    /// <summary>
    /// Our training country (set countries, HESA's codes) as TRS's country reference (ISO 3166-1). They are the same two
    /// letters except Cyprus, which HESA splits three ways (XA, XB, XC) and TRS knows as CY. HESA's "not otherwise
    /// specified" regions (XP–XX) have no TRS country; TRS refuses them with 10047, and the submission shows it.
    /// </summary>
    public static string TrsCountry(string hesaCode) => hesaCode is "XA" or "XB" or "XC" ? "CY" : hesaCode;

    /// <summary>Whether a change to a trainee changes what its route says in TRS.</summary>
    public static bool RouteChanged(Trainee before, Trainee after) =>
        before.Status != after.Status || before.TrainingCountry != after.TrainingCountry || before.AgeRange != after.AgeRange
        || !before.Subjects.SequenceEqual(after.Subjects) || before.StartDate != after.StartDate || before.ExpectedEndDate != after.ExpectedEndDate
        || before.Trn != after.Trn;

    /// <summary>
    /// After one exchange about a TRN request in <paramref name="phase"/> (<c>post</c> or <c>poll</c>): Completed stores
    /// the TRN; Pending polls again after <paramref name="pollDelay"/> (a potential duplicate stays pending, visible, while
    /// TRS's support team resolves it); 409/10029 means TRS has the request already, so read it; 404/10031 on a read
    /// means it has not, so send it again.
    /// </summary>
    public static OutboxStep AfterTrnRequest(string phase, TrsResult result, int failures, TimeSpan pollDelay) => result.Answer switch
    {
        TrsAnswer.Ok when result.Info is { Status: "Completed", Trn: { Length: > 0 } trn } => new(SubmissionState.Delivered, Poll, TimeSpan.Zero, 0, null, null, trn),
        // From 20260416 TRS says when it will not complete a request: parked for a person, so nothing waits forever.
        TrsAnswer.Ok when result.Info is { Status: "Rejected" } => new(SubmissionState.Failed, Poll, TimeSpan.Zero, failures, TrnRequestRejected,
            "TRS rejected the TRN request. Ask the TRA's support team why, correct the trainee, then send it again (-- tra retry)."),
        TrsAnswer.Ok when result.Info is { Status: "Dormant" } => new(SubmissionState.Failed, Poll, TimeSpan.Zero, failures, TrnRequestDormant,
            "TRS has set the TRN request aside as dormant. Ask the TRA's support team, then send it again (-- tra retry)."),
        TrsAnswer.Ok when result.Info?.PotentialDuplicate == true => new(SubmissionState.Pending, Poll, pollDelay, 0, PotentialDuplicate,
            "TRS found possible matches for this person; its support team resolves them, and the TRN follows."),
        TrsAnswer.Ok => new(SubmissionState.Pending, Poll, pollDelay, 0, null, null),
        TrsAnswer.Conflict when phase == Post => new(SubmissionState.Pending, Poll, TimeSpan.Zero, 0, result.Code, "TRS has this request already: reading it."),
        TrsAnswer.NotFound when phase == Poll => new(SubmissionState.Pending, Post, TimeSpan.Zero, 0, result.Code, "TRS does not have this request: sending it again."),
        TrsAnswer.Transient => AfterFailure(phase, result, failures),
        _ => new(SubmissionState.Failed, phase, TimeSpan.Zero, failures + 1, result.Code, result.Problem?.Summary),
    };

    /// <summary>
    /// After one route PUT: 204 is delivered; 10052 (TRS holds the route as awarded already) counts as delivered, as
    /// DfE's Register counts it; any other refusal (400, or 404/10001 for an unknown TRN) is parked for a person.
    /// </summary>
    public static OutboxStep AfterRouteUpdate(TrsResult result, int failures) => result.Answer switch
    {
        TrsAnswer.Ok => new(SubmissionState.Delivered, null, TimeSpan.Zero, 0, null, null),
        TrsAnswer.Refused when result.Problem?.ErrorCode == RouteAlreadyAwarded => new(SubmissionState.Delivered, null, TimeSpan.Zero, 0, result.Code, null),
        TrsAnswer.Transient => AfterFailure(null, result, failures),
        _ => new(SubmissionState.Failed, null, TimeSpan.Zero, failures + 1, result.Code, result.Problem?.Summary),
    };

    /// <summary>
    /// A transient failure. A refusal that never reached TRS (the circuit is open: the message stays due, and the worker
    /// waits for the circuit) and a 429 that says when to come back decide the next attempt themselves and leave the
    /// schedule where it was; any other waits the next step of the backoff, and once that is spent (about three days) the
    /// message is parked.
    /// </summary>
    private static OutboxStep AfterFailure(string? phase, TrsResult result, int failures) => result switch
    {
        { Local: TrsResult.CircuitOpen } => new(SubmissionState.Pending, phase, TimeSpan.Zero, failures, result.Code, result.Problem?.Summary),
        { Status: 429, RetryAfter: { } retryAfter } => new(SubmissionState.Pending, phase, Clamp(retryAfter), failures, result.Code, result.Problem?.Summary),
        _ when NextDelay(failures + 1) is { } delay => new(SubmissionState.Pending, phase, delay, failures + 1, result.Code, result.Problem?.Summary),
        _ => new(SubmissionState.Failed, phase, TimeSpan.Zero, failures + 1, result.Code, $"Not delivered after {failures + 1} attempts over about three days: {result.Problem?.Summary}"),
    };

    /// <summary>A Retry-After is taken at its word within reason: not in the past, not beyond an hour.</summary>
    private static TimeSpan Clamp(TimeSpan retryAfter) => retryAfter < TimeSpan.Zero ? TimeSpan.Zero : retryAfter > TimeSpan.FromHours(1) ? TimeSpan.FromHours(1) : retryAfter;

    /// <summary>
    /// The codes of a message that waits because TRS was unavailable, not because of the message: when TRS answers
    /// again, such messages are tried at once (a 429's wait is TRS's own request, so it is not cut short).
    /// </summary>
    public static readonly IReadOnlyList<string> OutageCodes = ["http_502", "http_503", "http_504", "timeout", "unreachable", TrsResult.CircuitOpen];

    /// <summary>
    /// A probe is an early try of a message that waits on an outage, to learn whether TRS is back. Its failure leaves the
    /// message as it was (its place in the schedule, its next attempt), so probing never spends the backoff.
    /// </summary>
    public static OutboxStep AfterProbe(OutboxStep step, OutboxMessage message, DateTimeOffset now) =>
        step.State != SubmissionState.Delivered && step.Trn is null && step.Failures > message.Failures
            ? step with { State = SubmissionState.Pending, Failures = message.Failures, Delay = message.NextAttemptAt > now ? message.NextAttemptAt - now : TimeSpan.Zero }
            : step;

    /// <summary>
    /// The TRA's acknowledgement of <paramref name="award"/>: true when it records something new, false when it repeats
    /// what is recorded (idempotent), or why it is refused: a TRN that is not 7 digits, a QTS date before the award or
    /// in the future, other values than an earlier acknowledgement's, or a TRN other than the trainee's.
    /// </summary>
    public static Outcome<bool> Acknowledge(Award award, Trainee trainee, AcknowledgementRequest request, DateOnly today)
    {
        var errors = new ValidationErrors();
        if (string.IsNullOrEmpty(request.Trn))
        {
            errors.Add("trn", "is required.");
        }
        else if (!IsTrn(request.Trn))
        {
            errors.Add("trn", "must be a teacher reference number: 7 digits.");
        }

        if (request.QtsDate is not { } qtsDate)
        {
            errors.Add("qtsDate", "is required.");
        }
        else if (qtsDate < award.AwardedOn)
        {
            errors.Add("qtsDate", $"must be on or after the award date ({award.AwardedOn:yyyy-MM-dd}).");
        }
        else if (qtsDate > today)
        {
            errors.Add("qtsDate", "must not be in the future.");
        }

        if (!errors.IsEmpty)
        {
            return errors.ToError();
        }

        if (award.AcknowledgedAt is not null)
        {
            return award.Trn == request.Trn && award.QtsDate == request.QtsDate ? false : ApiErrors.AwardAlreadyAcknowledged(award.Trn!, award.QtsDate!.Value);
        }

        return trainee.Trn is { } trn && trn != request.Trn ? ApiErrors.AwardTrnMismatch(trn) : true;
    }

    /// <summary>TRNs are 7 digits.</summary>
    public static bool IsTrn(string value) => value.Length == 7 && value.All(char.IsAsciiDigit);

    public const string Post = "post";
    public const string Poll = "poll";
    public const string PotentialDuplicate = "potential_duplicate";
    public const string TrnRequestRejected = "trn_request_rejected";
    public const string TrnRequestDormant = "trn_request_dormant";

    /// <summary>TRS: "Route to professional status already awarded."</summary>
    public const int RouteAlreadyAwarded = 10052;

    /// <summary>The TRS status a stored route update carries (for the submissions view).</summary>
    public static string? StatusOf(string? payload) =>
        payload is null ? null : JsonSerializer.Deserialize<TrsRoute>(payload, StoredJson.Options)?.Status;
}

/// <summary>What the outbox does with a message after one exchange: its new state and phase, when to try next, and what to show.</summary>
/// <param name="Trn">A completed TRN request's TRN, to store on the trainee.</param>
public sealed record OutboxStep(SubmissionState State, string? Phase, TimeSpan Delay, int Failures, string? Code, string? Error, string? Trn = null);
