using System.Globalization;
using Iqts.Api.Placements;
using Iqts.Api.Trainees;

namespace Iqts.Api.Reports;

/// <summary>What a report reads of one trainee who had started by a date: facts, never a name, a date of birth or an email.</summary>
public sealed record TraineeFacts(
    Guid TraineeId,
    string Ukprn,
    DateOnly StartDate,
    string TrainingCountry,
    string? CountryOfBirth,
    string? CountryOfResidence,
    string? FirstLanguage,
    string? TeachingLanguage,
    int? YearsOfTeachingExperience,
    string? ReasonForIqts,
    string? HighestQualificationLevel);

/// <summary>A change of a trainee's status and the date it took effect.</summary>
public sealed record StatusChange(Guid TraineeId, TraineeStatus Status, DateOnly EffectiveOn, long ChangeSeq);

/// <summary>A trainee's placement in a school of some type.</summary>
public sealed record PlacementFact(Guid TraineeId, SchoolType SchoolType);

/// <summary>A band of years of teaching experience, for the non-identifying breakdowns (a count, not a person's figure).</summary>
public sealed record ExperienceBand(string Code, string Name, int From, int? To);

/// <summary>
/// DfE's management information as pure functions: the rules of a monthly return (seed 000) and its deadline, the
/// status of each trainee at a month's end, and the sums of the monthly report and of C2.5's annual candidate data.
/// </summary>
public static class ReportRules
{
    /// <summary>The first month a return may be for: the iQTS pilot recruited from 2021.</summary>
    public static readonly DateOnly EarliestMonth = new(2021, 1, 1);

    public const int MaxCount = 1_000_000;
    public const int MaxAlternativeCourses = 20;
    public const int AlternativeCourseMaxLength = 200;
    public const int CourseDevelopmentMaxLength = 2000;
    public const string NotRecorded = "not_recorded";

    /// <summary>Returns are due by the 15th of the following month (seed 000): the end of that day in the UK.</summary>
    private static readonly TimeZoneInfo UkTime = TimeZoneInfo.FindSystemTimeZoneById("Europe/London");

    public static readonly IReadOnlyList<ExperienceBand> ExperienceBands =
    [
        new("under_2_years", "Less than 2 years", 0, 1),
        new("2_to_4_years", "2 to 4 years", 2, 4),
        new("5_to_9_years", "5 to 9 years", 5, 9),
        new("10_to_19_years", "10 to 19 years", 10, 19),
        new("20_years_or_more", "20 years or more", 20, null),
    ];

    // ---- Months and deadlines -----------------------------------------------------------------------------------

    /// <summary>A month as <c>YYYY-MM</c>, from 2021-01 up to the current month: its first day, or why not.</summary>
    public static Outcome<DateOnly> Month(string? text, string field, DateOnly today)
    {
        var errors = new ValidationErrors();
        if (text is not { Length: 7 } || !DateOnly.TryParseExact(text, "yyyy-MM", CultureInfo.InvariantCulture, DateTimeStyles.None, out var month))
        {
            errors.Add(field, "must be a month: YYYY-MM.");
            return errors.ToError();
        }

        if (month < EarliestMonth)
        {
            errors.Add(field, $"must be {MonthText(EarliestMonth)} or later.");
        }
        else if (month > new DateOnly(today.Year, today.Month, 1))
        {
            errors.Add(field, "must not be a month still to come.");
        }

        return errors.IsEmpty ? month : errors.ToError();
    }

    public static string MonthText(DateOnly month) => month.ToString("yyyy-MM", CultureInfo.InvariantCulture);

    public static DateOnly MonthEnd(DateOnly month) => month.AddMonths(1).AddDays(-1);

    /// <summary>The deadline of a month's return: the 15th of the following month (seed 000).</summary>
    public static DateOnly DueOn(DateOnly month) => month.AddMonths(1).AddDays(14);

    /// <summary>A moment's date in the UK, where the deadline is read.</summary>
    public static DateOnly UkDate(DateTimeOffset at) => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(at, UkTime).DateTime);

    /// <summary>On time when first submitted by the end of the deadline's day (UK time); without a return, overdue once that day is over.</summary>
    public static ReturnStatus Status(DateOnly month, DateTimeOffset? submittedAt, DateTimeOffset now) => submittedAt is { } at
        ? UkDate(at) <= DueOn(month) ? ReturnStatus.OnTime : ReturnStatus.Late
        : UkDate(now) > DueOn(month) ? ReturnStatus.Overdue : ReturnStatus.NotDue;

    // ---- A monthly return ---------------------------------------------------------------------------------------

    /// <summary>The return's figures: whole numbers from 0, positive responses no more than responses, and the alternative courses named when any was offered.</summary>
    public static Outcome<MonthlyReturnDetails> Return(MonthlyReturnDetails details)
    {
        var errors = new ValidationErrors();
        Count(errors, "expressionsOfInterest", details.ExpressionsOfInterest);
        Count(errors, "applications", details.Applications);
        Count(errors, "candidatesInterviewed", details.CandidatesInterviewed);
        Count(errors, "placedOnReserveList", details.PlacedOnReserveList);
        Count(errors, "offeredDeferredPlace", details.OfferedDeferredPlace);
        var offered = Count(errors, "offeredAlternativeCourse", details.OfferedAlternativeCourse);
        if (details.AlternativeCourses is null)
        {
            // Null reaches here despite the non-nullable type: the JSON said so.
            errors.Add("alternativeCourses", "must be a list; send [] when no alternative course was offered.");
        }
        else if (details.AlternativeCourses.Count > MaxAlternativeCourses)
        {
            errors.Add("alternativeCourses", $"must list at most {MaxAlternativeCourses} courses.");
        }
        else
        {
            for (var i = 0; i < details.AlternativeCourses.Count; i++)
            {
                errors.RequireText($"alternativeCourses[{i}]", details.AlternativeCourses[i], AlternativeCourseMaxLength);
            }

            if (offered && details.OfferedAlternativeCourse > 0 && details.AlternativeCourses.Count == 0)
            {
                errors.Add("alternativeCourses", "must name the alternative courses offered (offeredAlternativeCourse is above 0).");
            }
            else if (offered && details.OfferedAlternativeCourse == 0 && details.AlternativeCourses.Count > 0)
            {
                errors.Add("alternativeCourses", "must be empty when no alternative course was offered.");
            }
        }

        if (errors.Present("traineeFeedback", details.TraineeFeedback))
        {
            var responses = Count(errors, "traineeFeedback.responses", details.TraineeFeedback!.Responses);
            if (Count(errors, "traineeFeedback.positiveResponses", details.TraineeFeedback.PositiveResponses) && responses
                && details.TraineeFeedback.PositiveResponses > details.TraineeFeedback.Responses)
            {
                errors.Add("traineeFeedback.positiveResponses", "must be no more than responses.");
            }
        }

        errors.MaxLength("courseDevelopment", details.CourseDevelopment, CourseDevelopmentMaxLength);
        return errors.IsEmpty
            ? details with
            {
                AlternativeCourses = details.AlternativeCourses!.Select(c => c.Trim()).ToList(),
                CourseDevelopment = string.IsNullOrWhiteSpace(details.CourseDevelopment) ? null : details.CourseDevelopment.Trim(),
            }
            : errors.ToError();
    }

    private static bool Count(ValidationErrors errors, string field, int? value)
    {
        if (!errors.Require(field, value))
        {
            return false;
        }

        if (value is < 0 or > MaxCount)
        {
            errors.Add(field, $"must be a whole number from 0 to {MaxCount:N0}.");
            return false;
        }

        return true;
    }

    // ---- The monthly report -------------------------------------------------------------------------------------

    /// <summary>
    /// A trainee's status on a date: the latest change that had taken effect by then (the later recorded, on the same
    /// day), else registered. <paramref name="changes"/> are the trainee's own.
    /// </summary>
    public static TraineeStatus StatusOn(IEnumerable<StatusChange> changes, DateOnly date) =>
        changes.Where(c => c.EffectiveOn <= date).MaxBy(c => (c.EffectiveOn, c.ChangeSeq))?.Status ?? TraineeStatus.Registered;

    public static string ExperienceBandOf(int? years) =>
        years is { } y ? ExperienceBands.Last(b => y >= b.From).Code : NotRecorded;

    /// <summary>
    /// The monthly report: for each provider and in total, the trainees who had started by the month's end by their
    /// status then, the month's starters, the host countries, school types and breakdowns of those on the programme
    /// (registered or deferred at the month's end), the month's awards, and the provider's return. Everything counted is
    /// read in one snapshot by the caller; this only adds up.
    /// </summary>
    public static MonthlyReport Monthly(
        DateOnly month,
        IReadOnlyList<(string Ukprn, string Name)> providers,
        IReadOnlyList<TraineeFacts> trainees,
        IReadOnlyList<StatusChange> changes,
        IReadOnlyList<PlacementFact> placements,
        IReadOnlyDictionary<string, int> awardsByProvider,
        IReadOnlyDictionary<string, MonthlyReturn> returns,
        DateTimeOffset now)
    {
        var end = MonthEnd(month);
        var changesOf = changes.ToLookup(c => c.TraineeId);
        var statuses = trainees.ToDictionary(t => t.TraineeId, t => StatusOn(changesOf[t.TraineeId], end));
        var schoolTypesOf = placements.ToLookup(p => p.TraineeId, p => p.SchoolType);
        var byProvider = trainees.ToLookup(t => t.Ukprn);

        MonthFigures Figures(IEnumerable<TraineeFacts> group, int awards)
        {
            var all = group.ToList();
            var on = all.Where(t => statuses[t.TraineeId] is TraineeStatus.Registered or TraineeStatus.Deferred).ToList();
            int Of(TraineeStatus s) => all.Count(t => statuses[t.TraineeId] == s);
            var countries = Counts(on.Select(t => t.TrainingCountry));
            return new MonthFigures(
                new StatusCounts(Of(TraineeStatus.Registered), Of(TraineeStatus.Deferred), Of(TraineeStatus.Withdrawn), Of(TraineeStatus.Awarded)),
                on.Count,
                all.Count(t => t.StartDate >= month),
                new HostCountries(countries.Count, countries),
                SchoolTypeCounts(on.SelectMany(t => schoolTypesOf[t.TraineeId].Distinct())),
                awards,
                new Breakdowns(
                    Counts(on.Select(t => t.CountryOfBirth)),
                    Counts(on.Select(t => t.CountryOfResidence)),
                    Counts(on.Select(t => t.FirstLanguage)),
                    Counts(on.Select(t => t.TeachingLanguage)),
                    Counts(on.Select(t => ExperienceBandOf(t.YearsOfTeachingExperience))),
                    Counts(on.Select(t => t.ReasonForIqts)),
                    Counts(on.Select(t => t.HighestQualificationLevel))));
        }

        var rows = providers.Select(p =>
        {
            var returned = returns.GetValueOrDefault(p.Ukprn);
            var feedback = returned?.TraineeFeedback;
            return new ProviderMonth(p.Ukprn, p.Name, Figures(byProvider[p.Ukprn], awardsByProvider.GetValueOrDefault(p.Ukprn)),
                new ReturnSummary(Status(month, returned?.SubmittedAt, now), returned?.SubmittedAt, returned,
                    Rate(feedback?.PositiveResponses ?? 0, feedback?.Responses ?? 0)));
        }).ToList();

        var listed = rows.Select(p => p.Ukprn).ToHashSet(StringComparer.Ordinal);
        var submitted = returns.Values.Where(r => listed.Contains(r.Ukprn)).ToList();
        int Sum(Func<MonthlyReturn, int?> figure) => submitted.Sum(r => figure(r) ?? 0);
        var totals = new MonthTotals(
            rows.Count,
            Figures(trainees.Where(t => listed.Contains(t.Ukprn)), rows.Sum(p => p.Figures.Awards)),
            new ReturnTotals(
                EnumText.AllNames<ReturnStatus>().Select(s => new CodeCount(s, rows.Count(p => EnumText.Name(p.Return.Status) == s))).ToList(),
                Sum(r => r.ExpressionsOfInterest),
                Sum(r => r.Applications),
                Sum(r => r.CandidatesInterviewed),
                Sum(r => r.PlacedOnReserveList),
                Sum(r => r.OfferedDeferredPlace),
                Sum(r => r.OfferedAlternativeCourse),
                Sum(r => r.TraineeFeedback!.Responses),
                Sum(r => r.TraineeFeedback!.PositiveResponses),
                Rate(Sum(r => r.TraineeFeedback!.PositiveResponses), Sum(r => r.TraineeFeedback!.Responses))));
        return new MonthlyReport(MonthText(month), end, DueOn(month), now, rows, totals);
    }

    /// <summary>Codes with their counts, most first (then by code); a trainee without the value counts as not_recorded.</summary>
    private static List<CodeCount> Counts(IEnumerable<string?> values) =>
        values.GroupBy(v => v ?? NotRecorded, StringComparer.Ordinal)
            .Select(g => new CodeCount(g.Key, g.Count()))
            .OrderByDescending(c => c.Count).ThenBy(c => c.Code, StringComparer.Ordinal)
            .ToList();

    /// <summary>Trainees by school type, every type listed (0 where none trains in one).</summary>
    private static List<CodeCount> SchoolTypeCounts(IEnumerable<SchoolType> types)
    {
        var counts = types.CountBy(t => t).ToDictionary();
        return Enum.GetValues<SchoolType>().Select(t => new CodeCount(EnumText.Name(t), counts.GetValueOrDefault(t))).ToList();
    }

    private static decimal? Rate(int positive, int responses) => responses == 0 ? null : Math.Round((decimal)positive / responses, 4);

    // ---- The annual candidate data (C2.5) -----------------------------------------------------------------------

    /// <summary>The academic year that starts on 1 August of <paramref name="year"/>.</summary>
    public static (DateOnly From, DateOnly To) AcademicYear(int year) => (new DateOnly(year, 8, 1), new DateOnly(year + 1, 7, 31));

    /// <summary>An academic year from 2021 up to the one now running: the year it starts in, or why not.</summary>
    public static Outcome<int> AcademicYear(string? text, DateOnly today)
    {
        var errors = new ValidationErrors();
        var current = today.Month >= 8 ? today.Year : today.Year - 1;
        if (text is not { Length: 4 } || !int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var year))
        {
            errors.Add("academicYear", "must be the year the academic year starts in: YYYY (2025 is August 2025 to July 2026).");
        }
        else if (year < EarliestMonth.Year || year > current)
        {
            errors.Add("academicYear", $"must be from {EarliestMonth.Year} to {current}.");
        }
        else
        {
            return year;
        }

        return errors.ToError();
    }

    /// <summary>C2.5 i: applications (the providers' monthly returns added up), successful trainees starting, and awards, per provider and in total.</summary>
    public static AnnualReport Annual(
        int year,
        IReadOnlyList<(string Ukprn, string Name)> providers,
        IReadOnlyDictionary<string, (int Applications, int Returns)> returns,
        IReadOnlyDictionary<string, int> starters,
        IReadOnlyDictionary<string, int> awards,
        DateTimeOffset now)
    {
        var (from, to) = AcademicYear(year);
        var rows = providers.Select(p => new ProviderYear(p.Ukprn, p.Name, returns.GetValueOrDefault(p.Ukprn).Applications, starters.GetValueOrDefault(p.Ukprn),
            awards.GetValueOrDefault(p.Ukprn), returns.GetValueOrDefault(p.Ukprn).Returns)).ToList();
        return new AnnualReport(year, from, to, now, rows,
            new YearTotals(rows.Count, rows.Sum(r => r.Applications), rows.Sum(r => r.Starters), rows.Sum(r => r.Awards)));
    }
}
