using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;

namespace Iqts.Api.Reports;

// ---- Monthly returns: what providers report that the API cannot derive (seed 000) ----

/// <summary>The provider's feedback loop with its trainees in the month (a KPI of seed 000).</summary>
/// <param name="Responses">Trainees' responses received in the month.</param>
/// <param name="PositiveResponses">Of those, the positive ones; at most <paramref name="Responses"/>.</param>
public sealed record TraineeFeedback([property: Required] int? Responses, [property: Required] int? PositiveResponses);

/// <summary>
/// A provider's monthly return to DfE: the figures of seed 000's monthly reporting that the API cannot derive from its
/// own records. Counts are of the month; every one is required (send 0 for none).
/// </summary>
public record MonthlyReturnDetails
{
    /// <summary>Expressions of interest from potential candidates.</summary>
    [Required]
    public int? ExpressionsOfInterest { get; init; }

    /// <summary>Applications received (the annual report sums them, C2.5).</summary>
    [Required]
    public int? Applications { get; init; }

    /// <summary>Candidates interviewed.</summary>
    [Required]
    public int? CandidatesInterviewed { get; init; }

    /// <summary>Candidates placed on a reserve list.</summary>
    [Required]
    public int? PlacedOnReserveList { get; init; }

    /// <summary>Candidates offered a deferred place.</summary>
    [Required]
    public int? OfferedDeferredPlace { get; init; }

    /// <summary>Candidates offered an alternative course.</summary>
    [Required]
    public int? OfferedAlternativeCourse { get; init; }

    /// <summary>Which alternative courses were offered (at most 20, each at most 200 characters); required when any was offered.</summary>
    public IReadOnlyList<string> AlternativeCourses { get; init; } = [];

    [Required]
    public TraineeFeedback? TraineeFeedback { get; init; }

    /// <summary>A short note on the development of course content and methods of delivery, at most 2,000 characters.</summary>
    public string? CourseDevelopment { get; init; }
}

/// <summary>Whether a month's return came in by its deadline: the 15th of the following month, UK time (seed 000).</summary>
public enum ReturnStatus
{
    /// <summary>Submitted on or before the deadline.</summary>
    OnTime,

    /// <summary>Submitted after the deadline.</summary>
    Late,

    /// <summary>Not submitted, and the deadline has passed.</summary>
    Overdue,

    /// <summary>Not submitted, and the deadline has not passed.</summary>
    NotDue,
}

/// <summary>A monthly return as stored.</summary>
public sealed record MonthlyReturn : MonthlyReturnDetails
{
    public MonthlyReturn(MonthlyReturnDetails details)
        : base(details)
    {
    }

    public string Ukprn { get; init; } = "";

    /// <summary>The month, <c>YYYY-MM</c>.</summary>
    public string Month { get; init; } = "";

    [NotAudited]
    public DateTimeOffset SubmittedAt { get; init; }

    [NotAudited]
    public DateTimeOffset UpdatedAt { get; init; }

    [NotAudited]
    public long RowVersion { get; init; }

    [NotAudited]
    public long ChangeSeq { get; init; }
}

/// <summary>A provider's monthly return, with its deadline and whether it met it.</summary>
public sealed record MonthlyReturnResponse : MonthlyReturnDetails
{
    public MonthlyReturnResponse(MonthlyReturn stored, DateOnly dueOn, ReturnStatus status)
        : base(stored)
    {
        Month = stored.Month;
        Ukprn = stored.Ukprn;
        DueOn = dueOn;
        Status = status;
        SubmittedAt = stored.SubmittedAt;
        UpdatedAt = stored.UpdatedAt;
    }

    /// <summary>The month the figures are for, <c>YYYY-MM</c>.</summary>
    [JsonPropertyOrder(-2)]
    public string Month { get; init; }

    [JsonPropertyOrder(-1)]
    public string Ukprn { get; init; }

    /// <summary>The deadline: the 15th of the following month (UK time).</summary>
    [JsonPropertyOrder(1)]
    public DateOnly DueOn { get; init; }

    /// <summary>on_time or late: whether it was first submitted by the deadline (a later correction does not change it).</summary>
    [JsonPropertyOrder(1)]
    public ReturnStatus Status { get; init; }

    /// <summary>When it was first submitted.</summary>
    [JsonPropertyOrder(1)]
    public DateTimeOffset SubmittedAt { get; init; }

    [JsonPropertyOrder(1)]
    public DateTimeOffset UpdatedAt { get; init; }
}

/// <summary>A page of the changes to a monthly return, oldest first: when, by which token, which figures.</summary>
public sealed record ReturnHistory(string Month, IReadOnlyList<HistoryEntry> Items, string? NextCursor, bool HasMore)
{
    public static ReturnHistory Of(string month, Page<HistoryEntry> page) => new(month, page.Items, page.NextCursor, page.HasMore);
}

// ---- The monthly report (seed 000's KPIs and management information) ----

/// <summary>A code and how many trainees have it.</summary>
/// <param name="Code">The code from its reference set (<c>not_recorded</c> when the trainee's record has none).</param>
/// <param name="Count">Trainees.</param>
public sealed record CodeCount(string Code, int Count);

/// <summary>Trainees who had started by the end of the month, by their status then.</summary>
public sealed record StatusCounts(int Registered, int Deferred, int Withdrawn, int Awarded);

/// <summary>The countries trainees on the programme train in (a KPI: the number of host countries).</summary>
/// <param name="Count">How many countries.</param>
/// <param name="Countries">Each country with its trainees, most first.</param>
public sealed record HostCountries(int Count, IReadOnlyList<CodeCount> Countries);

/// <summary>
/// Non-identifying information about the trainees on the programme at the end of the month (seed 000): counts only,
/// most first, never a person.
/// </summary>
public sealed record Breakdowns(
    IReadOnlyList<CodeCount> CountryOfBirth,
    IReadOnlyList<CodeCount> CountryOfResidence,
    IReadOnlyList<CodeCount> FirstLanguage,
    IReadOnlyList<CodeCount> TeachingLanguage,
    IReadOnlyList<CodeCount> TeachingExperience,
    IReadOnlyList<CodeCount> ReasonForIqts,
    IReadOnlyList<CodeCount> HighestQualificationLevel);

/// <summary>What the API derives from its records for one month.</summary>
/// <param name="TraineesByStatus">Trainees who had started by the month's end, by their status at its end.</param>
/// <param name="OnProgramme">Of those, the registered and deferred: the trainees the host countries and breakdowns count.</param>
/// <param name="Starters">Trainees whose training started in the month.</param>
/// <param name="HostCountries">The training countries of the trainees on the programme.</param>
/// <param name="SchoolTypes">Trainees on the programme with a placement in the month, by the type of its school (every type listed).</param>
/// <param name="Awards">Awards made in the month.</param>
/// <param name="Breakdowns">Non-identifying information on the trainees on the programme.</param>
public sealed record MonthFigures(
    StatusCounts TraineesByStatus,
    int OnProgramme,
    int Starters,
    HostCountries HostCountries,
    IReadOnlyList<CodeCount> SchoolTypes,
    int Awards,
    Breakdowns Breakdowns);

/// <summary>The provider's return for the month, as the report shows it.</summary>
/// <param name="Status">on_time, late, overdue or not_due.</param>
/// <param name="SubmittedAt">When it was first submitted; null when it has not been.</param>
/// <param name="Figures">What it returned; null when it has not.</param>
/// <param name="PositiveFeedbackRate">Positive responses as a share of responses, 0–1 (a KPI); null without responses.</param>
public sealed record ReturnSummary(ReturnStatus Status, DateTimeOffset? SubmittedAt, MonthlyReturnDetails? Figures, decimal? PositiveFeedbackRate);

/// <summary>One provider's month.</summary>
public sealed record ProviderMonth(string Ukprn, string Name, MonthFigures Figures, ReturnSummary Return);

/// <summary>The returns' figures added up over the providers that returned, and how many providers stand where.</summary>
/// <param name="ByStatus">Providers by the status of their return.</param>
public sealed record ReturnTotals(
    IReadOnlyList<CodeCount> ByStatus,
    int ExpressionsOfInterest,
    int Applications,
    int CandidatesInterviewed,
    int PlacedOnReserveList,
    int OfferedDeferredPlace,
    int OfferedAlternativeCourse,
    int FeedbackResponses,
    int PositiveFeedbackResponses,
    decimal? PositiveFeedbackRate);

/// <summary>Every provider's figures added up.</summary>
public sealed record MonthTotals(int Providers, MonthFigures Figures, ReturnTotals Returns);

/// <summary>
/// The monthly report of seed 000's KPIs and management information: per provider (DfE: every provider; a provider: its
/// own) and in total. Counts only: no report holds a name, a date of birth or any other personal data.
/// </summary>
/// <param name="Month">The month, <c>YYYY-MM</c>.</param>
/// <param name="MonthEnd">The last day of the month: statuses are as they stood then.</param>
/// <param name="ReturnsDueOn">The deadline of the month's returns.</param>
/// <param name="GeneratedAt">When the report was read (one consistent snapshot).</param>
public sealed record MonthlyReport(string Month, DateOnly MonthEnd, DateOnly ReturnsDueOn, DateTimeOffset GeneratedAt, IReadOnlyList<ProviderMonth> Providers, MonthTotals Totals);

// ---- The annual candidate data (C2.5) ----

/// <summary>One provider's academic year (C2.5 i): applications (from its monthly returns), trainees starting, awards.</summary>
/// <param name="ReturnsSubmitted">How many of the year's twelve monthly returns it has submitted, which the applications add up.</param>
public sealed record ProviderYear(string Ukprn, string Name, int Applications, int Starters, int Awards, int ReturnsSubmitted);

public sealed record YearTotals(int Providers, int Applications, int Starters, int Awards);

/// <summary>The annual candidate data of C2.5: per provider and in total, for the academic year 1 August to 31 July.</summary>
/// <param name="AcademicYear">The year it starts in: 2025 is 1 August 2025 to 31 July 2026.</param>
public sealed record AnnualReport(int AcademicYear, DateOnly From, DateOnly To, DateTimeOffset GeneratedAt, IReadOnlyList<ProviderYear> Providers, YearTotals Totals);
