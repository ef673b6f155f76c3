using Iqts.Api.Placements;

namespace Iqts.Api.Governance;

/// <summary>Pure rules of inspectorates, inspections (seed 003) and governance changes (C3.1 iv).</summary>
public static class GovernanceRules
{
    public const int NameMaxLength = 200;
    public const int TextMaxLength = 1000;
    public const int NotesMaxLength = 2000;
    public const int MaxItems = 50;

    /// <summary>"The inspectorate notifies the provider three weeks ahead" (seed 003).</summary>
    public const int NoticeDays = 21;

    /// <summary>"The provider must contact it at least two terms before" (seed 003).</summary>
    public const int BookingTermsAhead = 2;

    /// <summary>An inspection lasts 4–5 days (seed 003); with a weekend between, its last day is 4 to 7 days from its first, counting both.</summary>
    public const int MinimumDays = 4;
    public const int MaximumDays = 7;

    /// <summary>DfE approves an inspectorate for three years.</summary>
    public static Outcome<InspectorateDetails> Inspectorate(InspectorateDetails details)
    {
        var errors = new ValidationErrors();
        errors.RequireText("name", details.Name, NameMaxLength);
        if (errors.Require("approvedFrom", details.ApprovedFrom) & errors.Require("approvedTo", details.ApprovedTo))
        {
            if (details.ApprovedTo <= details.ApprovedFrom)
            {
                errors.Add("approvedTo", "must be after approvedFrom.");
            }
            else if (details.ApprovedTo >= details.ApprovedFrom!.Value.AddYears(3))
            {
                errors.Add("approvedTo", "must be at most three years after approvedFrom (the day before its third anniversary): DfE approves an inspectorate for three years.");
            }
        }

        return errors.IsEmpty ? details with { Name = details.Name.Trim() } : errors.ToError();
    }

    /// <summary>
    /// A booking: a term in the right form; by a provider only after DfE allocated its first, and at least two terms
    /// ahead; with an inspectorate DfE approved for some of the term; one inspection a term. DfE may record an allocation
    /// in any term, a past one included (an inspection held before it was recorded here).
    /// </summary>
    public static Outcome<Term> Book(BookInspectionRequest request, AllocatedBy by, Inspectorate? inspectorate, IReadOnlyList<Inspection> earlier, DateOnly today)
    {
        var errors = new ValidationErrors();
        errors.Require("inspectorateId", request.InspectorateId);
        if (!Term.TryParse(request.Term, out var term))
        {
            errors.Add("term", $"must be a term written {Term.Pattern}, e.g. 2027-autumn.");
        }
        else if (earlier.Any(i => i.Term == term))
        {
            errors.Add("term", "already has an inspection of this provider.");
        }

        if (!errors.IsEmpty)
        {
            return errors.ToError();
        }

        if (inspectorate is null)
        {
            return ApiErrors.Validation("inspectorateId", "must be the id of an inspectorate (GET /api/v1/inspectorates).");
        }

        if (by == AllocatedBy.Provider && earlier.Count == 0)
        {
            return ApiErrors.FirstInspectionByDfe();
        }

        if (by == AllocatedBy.Provider && term.Index - Term.Of(today).Index < BookingTermsAhead)
        {
            return ApiErrors.BookingTooLate(term.ToString(), Term.Of(today).Plus(BookingTermsAhead).ToString());
        }

        if (inspectorate.ApprovedFrom > term.End || inspectorate.ApprovedTo < term.Start)
        {
            return ApiErrors.InspectorateNotApproved(inspectorate.ApprovedFrom!.Value, inspectorate.ApprovedTo!.Value, term.ToString());
        }

        return term;
    }

    /// <summary>Which fields each role records (the rest of an inspection is another's to record).</summary>
    public static IReadOnlyList<string> FieldsOf(string role) => role switch
    {
        Roles.Inspectorate => ["notifiedOn", "startsOn", "endsOn", "schoolVisitedId", "provisionalGrade", "finalGrade", "reportOn", "reportUrl"],
        Roles.Provider => ["actionPlan"],
        Roles.Dfe => ["dfeMeetings"],
        _ => [],
    };

    private static readonly string[] ReportFields = ["notifiedOn", "startsOn", "endsOn", "schoolVisitedId", "provisionalGrade", "finalGrade", "reportOn", "reportUrl"];

    /// <summary>
    /// A change to an inspection by <paramref name="role"/>, with <paramref name="changed"/> the fields it changes: each
    /// field is its role's; the notice, the term, the days and the inspectorate's approval hold; grades come on and after
    /// the last day, the final grade with its report; the action plan after the report; DfE's meetings after a grade 4.
    /// Once the report is agreed, what the inspectorate recorded is final.
    /// </summary>
    public static Outcome<Inspection> Update(Inspection current, InspectionDetails next, IReadOnlyCollection<string> changed, string role, Inspectorate inspectorate,
        School? schoolVisited, DateOnly today)
    {
        var errors = new ValidationErrors();
        var mine = FieldsOf(role);
        foreach (var field in changed.Where(f => !mine.Contains(f)))
        {
            errors.Add(field, field switch
            {
                "actionPlan" => "is kept by the provider.",
                "dfeMeetings" => "is recorded by DfE.",
                _ => "is recorded by the inspectorate.",
            });
        }

        if (!errors.IsEmpty)
        {
            return errors.ToError();
        }

        if (current.FinalGrade is not null && changed.FirstOrDefault(ReportFields.Contains) is { } final)
        {
            return ApiErrors.ReportAgreed(final);
        }

        Validate(errors, next, today);
        if (!errors.IsEmpty)
        {
            return errors.ToError();
        }

        if (next.StartsOn is { } start && next.EndsOn is { } end)
        {
            if (!current.Term.Contains(start) || !current.Term.Contains(end))
            {
                return ApiErrors.OutsideTerm(current.Term.ToString(), current.Term.Start, current.Term.End);
            }

            if (next.NotifiedOn!.Value.AddDays(NoticeDays) > start)
            {
                return ApiErrors.NoticeTooShort(start.DayNumber - next.NotifiedOn.Value.DayNumber);
            }

            if (!inspectorate.ApprovedThroughout(start, end))
            {
                return ApiErrors.InspectorateNotApproved(inspectorate.ApprovedFrom!.Value, inspectorate.ApprovedTo!.Value, $"{start:yyyy-MM-dd} to {end:yyyy-MM-dd}");
            }
        }

        if (next.SchoolVisitedId is not null && (schoolVisited is null || PlacementRules.UkNationsOutsideEngland.Contains(schoolVisited.Country) || schoolVisited.Country == "GB"))
        {
            return ApiErrors.Validation("schoolVisitedId", "must be one of the provider's schools outside the UK (the overseas school visited).");
        }

        if (next.ProvisionalGrade is not null && (next.EndsOn is null || today < next.EndsOn))
        {
            return ApiErrors.InspectionOutOfOrder("provisionalGrade", "is given on the inspection's last day: record startsOn and endsOn, and give it on or after endsOn.");
        }

        if (next.FinalGrade is not null && (next.ProvisionalGrade is null || next.ReportOn is null || next.ReportUrl is null))
        {
            return ApiErrors.InspectionOutOfOrder("finalGrade", "comes with the agreed report: record provisionalGrade first, and reportOn and reportUrl with it.");
        }

        if ((next.ReportOn is not null || next.ReportUrl is not null) && next.FinalGrade is null)
        {
            return ApiErrors.InspectionOutOfOrder(next.ReportOn is not null ? "reportOn" : "reportUrl", "is recorded with the final grade.");
        }

        if (next.ReportOn < next.EndsOn)
        {
            return ApiErrors.Validation("reportOn", "must be on or after endsOn.");
        }

        if (next.ActionPlan.Count > 0 && next.FinalGrade is null)
        {
            return ApiErrors.InspectionOutOfOrder("actionPlan", "follows the agreed report: it is kept once the final grade is recorded.");
        }

        if (next.DfeMeetings.Count > 0 && next.FinalGrade != 4)
        {
            return ApiErrors.InspectionOutOfOrder("dfeMeetings", "are recorded after a final grade 4 (seed 003: regular meetings with DfE).");
        }

        return current.WithDetails(next with
        {
            ReportUrl = next.ReportUrl?.Trim(),
            ActionPlan = next.ActionPlan.Select(a => a with { Action = a.Action.Trim(), OwnerRole = a.OwnerRole.Trim() }).ToList(),
            DfeMeetings = next.DfeMeetings.Select(m => m with { Notes = m.Notes.Trim() }).ToList(),
        });
    }

    private static void Validate(ValidationErrors errors, InspectionDetails next, DateOnly today)
    {
        errors.PastDate("notifiedOn", next.NotifiedOn, today, required: false);
        errors.PastDate("reportOn", next.ReportOn, today, required: false);
        if ((next.StartsOn is null) != (next.EndsOn is null))
        {
            errors.Add(next.StartsOn is null ? "startsOn" : "endsOn", "is recorded with " + (next.StartsOn is null ? "endsOn." : "startsOn."));
        }
        else if (next.StartsOn is { } start && next.EndsOn is { } end)
        {
            var days = end.DayNumber - start.DayNumber + 1;
            if (days is < MinimumDays or > MaximumDays)
            {
                errors.Add("endsOn", $"must be {MinimumDays} to {MaximumDays} days from startsOn, counting both: an inspection lasts 4–5 days (seed 003).");
            }

            if (next.NotifiedOn is null)
            {
                errors.Add("notifiedOn", "is required with startsOn: the inspectorate notifies the provider of the dates.");
            }
        }

        Grade(errors, "provisionalGrade", next.ProvisionalGrade);
        Grade(errors, "finalGrade", next.FinalGrade);
        if (next.ReportUrl is not null && (!errors.MaxLength("reportUrl", next.ReportUrl, 500) || !Uri.TryCreate(next.ReportUrl.Trim(), UriKind.Absolute, out var url) || url.Scheme != Uri.UriSchemeHttps))
        {
            errors.Add("reportUrl", "must be an absolute https address of at most 500 characters.");
        }

        if (next.ActionPlan.Count > MaxItems)
        {
            errors.Add("actionPlan", $"must have at most {MaxItems} items.");
        }

        for (var i = 0; i < Math.Min(next.ActionPlan.Count, MaxItems); i++)
        {
            var item = next.ActionPlan[i];
            if (!errors.Present($"actionPlan[{i}]", item))
            {
                continue;
            }

            errors.RequireText($"actionPlan[{i}].action", item.Action, 500);
            errors.RequireText($"actionPlan[{i}].ownerRole", item.OwnerRole, 100);
            errors.Require($"actionPlan[{i}].dueOn", item.DueOn);
            errors.Require($"actionPlan[{i}].progress", item.Progress);
        }

        if (next.DfeMeetings.Count > MaxItems)
        {
            errors.Add("dfeMeetings", $"must have at most {MaxItems} items.");
        }

        for (var i = 0; i < Math.Min(next.DfeMeetings.Count, MaxItems); i++)
        {
            if (!errors.Present($"dfeMeetings[{i}]", next.DfeMeetings[i]))
            {
                continue;
            }

            errors.PastDate($"dfeMeetings[{i}].heldOn", next.DfeMeetings[i].HeldOn, today);
            errors.RequireText($"dfeMeetings[{i}].notes", next.DfeMeetings[i].Notes, NotesMaxLength);
        }
    }

    private static void Grade(ValidationErrors errors, string field, int? grade)
    {
        if (grade is < 1 or > 4)
        {
            errors.Add(field, "must be 1 (outstanding), 2 (good), 3 (requires improvement) or 4 (inadequate).");
        }
    }

    /// <summary>
    /// What follows a final grade (seed 003): a grade 4 brings a reinspection within 12 months of the last day; otherwise
    /// the next inspection is due three years later, in the same term.
    /// </summary>
    public static InspectionOutlook Outlook(Inspection inspection) => inspection switch
    {
        { FinalGrade: 4, EndsOn: { } end } => new InspectionOutlook(end.AddMonths(12), Term.Of(end.AddMonths(12))),
        { FinalGrade: not null } => new InspectionOutlook(null, inspection.Term with { Year = inspection.Term.Year + 3 }),
        _ => new InspectionOutlook(null, null),
    };

    /// <summary>
    /// A provider's latest inspection with a final grade, and its next inspection: the one booked for this term or later,
    /// else when the latest says the next is due. What the public register and the evidence read both show.
    /// </summary>
    public static (Inspection? Latest, Term? Next) LatestAndNext(IEnumerable<Inspection> inspections, Term now)
    {
        var all = inspections.ToList();
        var latest = all.Where(i => i.FinalGrade is not null).MaxBy(i => i.EndsOn);
        var booked = all.FirstOrDefault(i => i.FinalGrade is null && i.Term >= now);
        return (latest, booked?.Term ?? (latest is null ? null : Outlook(latest).NextInspectionDue));
    }

    /// <summary>A governance change as the provider notifies it.</summary>
    public static Outcome<GovernanceChangeRequest> GovernanceChange(GovernanceChangeRequest request)
    {
        var errors = new ValidationErrors();
        errors.Require("kind", request.Kind);
        errors.Require("effectiveOn", request.EffectiveOn);
        errors.RequireText("description", request.Description, TextMaxLength);
        return errors.IsEmpty ? request with { Description = request.Description.Trim() } : errors.ToError();
    }

    /// <summary>DfE's response: a date not in the future and not before the change was notified.</summary>
    public static Outcome<GovernanceChangeResponseRequest> Response(GovernanceChange change, GovernanceChangeResponseRequest request, DateOnly today)
    {
        var errors = new ValidationErrors();
        errors.Require("response", request.Response);
        errors.RequireText("note", request.Note, NotesMaxLength);
        if (errors.PastDate("respondedOn", request.RespondedOn, today) && request.RespondedOn < DateOnly.FromDateTime(change.CreatedAt.UtcDateTime))
        {
            errors.Add("respondedOn", "must not be before the change was notified.");
        }

        return errors.IsEmpty ? request with { Note = request.Note.Trim() } : errors.ToError();
    }
}
