using System.ComponentModel.DataAnnotations;

namespace Iqts.Api.Awards;

/// <summary>The award of iQTS (C2.5 i).</summary>
/// <param name="AwardedOn">On or after the trainee's start date, not in the future.</param>
public sealed record AwardRequest([property: Required] DateOnly? AwardedOn);

/// <summary>An award as stored: the provider's award, and what the TRA records against it.</summary>
public sealed record Award
{
    /// <summary>The award's id (a row of <c>awards</c> is exactly this record).</summary>
    public Guid Id { get; init; }

    public Guid TraineeId { get; init; }

    public string Ukprn { get; init; } = "";

    public DateOnly AwardedOn { get; init; }

    /// <summary>The teacher reference number the TRA acknowledged the award with.</summary>
    public string? Trn { get; init; }

    /// <summary>The QTS date the TRA recorded.</summary>
    public DateOnly? QtsDate { get; init; }

    public DateTimeOffset? AcknowledgedAt { get; init; }

    public DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset UpdatedAt { get; init; }

    public long RowVersion { get; init; }

    /// <summary>The award's place in the awards feed (all providers), for the TRA's gap-free pull.</summary>
    public long ChangeSeq { get; init; }
}

/// <summary>A trainee's award of iQTS.</summary>
/// <param name="AwardId">Our id (UUIDv7).</param>
/// <param name="TraineeId">The trainee awarded.</param>
/// <param name="AwardedOn">The date of the award.</param>
/// <param name="Trn">The teacher reference number, once the TRA has acknowledged the award.</param>
/// <param name="QtsDate">The QTS date the TRA recorded, once it has.</param>
/// <param name="CreatedAt">When the award was recorded here.</param>
public sealed record AwardResponse(string AwardId, string TraineeId, DateOnly AwardedOn, string? Trn, DateOnly? QtsDate, DateTimeOffset CreatedAt)
{
    public AwardResponse(Award award)
        : this(award.Id.ToString(), award.TraineeId.ToString(), award.AwardedOn, award.Trn, award.QtsDate, award.CreatedAt)
    {
    }
}

/// <summary>One award rule evaluated.</summary>
/// <param name="Criterion">status, C1.1–C1.4, C2.4 i–v, C2.2, C3.2, C2.5 i, C2.1 v, C3.4 (and awardedOn, when awarding).</param>
/// <param name="Result">met or not_met.</param>
/// <param name="Reasons">Why.</param>
/// <param name="Evidence">The ids (qualifications, placements, schools, assessments) or check names it rests on.</param>
public sealed record AwardRule(string Criterion, AwardRuleResult Result, IReadOnlyList<Reason> Reasons, IReadOnlyList<string> Evidence)
{
    public AwardRule(CriterionCheck c)
        : this(c.Criterion, CriterionResults.AwardRule(c.Verdict), c.Reasons, c.Evidence)
    {
    }
}

/// <summary>Every award rule evaluated now, in the shape of the eligibility answer: met only when every rule is.</summary>
public sealed record AwardCheck(AwardRuleResult Result, IReadOnlyList<AwardRule> Criteria)
{
    public AwardCheck(Evaluation e)
        : this(CriterionResults.AwardRule(e.Verdict), e.Criteria.Select(c => new AwardRule(c)).ToList())
    {
    }
}

/// <summary>An award rule not met: its criterion (e.g. <c>C2.4 i</c>), the reason's code and its message.</summary>
public sealed record UnmetRule(string Criterion, string Code, string Message);
