namespace Iqts.Api.Placements;

/// <summary>Pure rules of the provider's mentor records and its one-to-one meetings with them (C2.2 i and iv).</summary>
public static class MentorRules
{
    public const int MaxTraineesPerMeeting = 50;

    /// <summary>A mentor: at one of the provider's schools (<paramref name="school"/> is null otherwise), a name, dates not in the future.</summary>
    public static Outcome<SchoolMentorDetails> Mentor(SchoolMentorDetails details, School? school, DateOnly today)
    {
        var errors = new ValidationErrors();
        if (errors.Require("schoolId", details.SchoolId) && school is null)
        {
            errors.Add("schoolId", "must be one of the provider's schools.");
        }

        errors.RequireText("name", details.Name, PlacementRules.ShortTextMaxLength);
        errors.PastDate("needsAssessedOn", details.NeedsAssessedOn, today, required: false);
        errors.PastDate("standardsPretrainingOn", details.StandardsPretrainingOn, today, required: false);
        errors.PastDate("frameworkPretrainingOn", details.FrameworkPretrainingOn, today, required: false);
        errors.PastDate("trainingCompletedOn", details.TrainingCompletedOn, today, required: false);
        return errors.IsEmpty ? details with { Name = details.Name.Trim() } : errors.ToError();
    }

    /// <summary>A meeting: on a day not in the future, about trainees of the provider's (<paramref name="known"/>), each once.</summary>
    public static Outcome<MentorMeetingRequest> Meeting(MentorMeetingRequest request, IReadOnlySet<Guid> known, DateOnly today)
    {
        var errors = new ValidationErrors();
        errors.PastDate("heldOn", request.HeldOn, today);
        var trainees = request.TraineeIds ?? [];
        if (trainees.Count > MaxTraineesPerMeeting)
        {
            errors.Add("traineeIds", $"must have at most {MaxTraineesPerMeeting} items.");
        }

        for (var i = 0; i < Math.Min(trainees.Count, MaxTraineesPerMeeting); i++)
        {
            if (!known.Contains(trainees[i]))
            {
                errors.Add($"traineeIds[{i}]", "must be one of the provider's trainees.");
            }
            else if (trainees.Take(i).Contains(trainees[i]))
            {
                errors.Add($"traineeIds[{i}]", "names a trainee already named.");
            }
        }

        return errors.IsEmpty ? request with { TraineeIds = trainees } : errors.ToError();
    }
}
