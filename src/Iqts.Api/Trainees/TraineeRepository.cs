using System.Data.Common;
using System.Text.Json;
using System.Text.Json.Nodes;
using Dapper;
using Iqts.Api.Data;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace Iqts.Api.Trainees;

/// <summary>Who made a change: the token's id and name, recorded in the audit history.</summary>
public sealed record Actor(Guid TokenId, string TokenName);

public enum TraineeOutcome
{
    Done,
    NotFound,
    Refused,
    ProviderNotApproved,
    AlreadyExists,
    PossibleDuplicates,
    CapReached,
}

public sealed record TraineeResult(TraineeOutcome Outcome, TraineeRow? Row = null, ProblemHttpResult? Problem = null, IReadOnlyList<DuplicateMatch>? Matches = null)
{
    public static TraineeResult Of(TraineeOutcome outcome) => new(outcome);
}

/// <summary>
/// Trainee storage. Every query names the provider's UKPRN, so one provider never reaches another's
/// trainees whatever id it sends. Every write takes the provider's next change sequence number first,
/// which also serialises that provider's writers, so the cap and duplicate checks see a settled count.
/// </summary>
public sealed class TraineeRepository(IDbConnectionFactory db, TimeProvider time, IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json)
{
    internal const string Columns = """
        id AS Id, ukprn AS Ukprn, provider_trainee_id AS ProviderTraineeId, status AS Status, trn AS Trn,
        first_names AS FirstNames, last_name AS LastName, previous_last_name AS PreviousLastName, date_of_birth AS DateOfBirth,
        email AS Email, sex AS Sex, nationality AS Nationality, training_country AS TrainingCountry,
        country_of_birth AS CountryOfBirth, country_of_residence AS CountryOfResidence, first_language AS FirstLanguage,
        teaching_language AS TeachingLanguage, years_of_teaching_experience AS YearsOfTeachingExperience,
        reason_for_iqts AS ReasonForIqts, highest_qualification_level AS HighestQualificationLevel,
        age_range AS AgeRange, age_range_phase AS AgeRangePhase, subjects AS Subjects, study_mode AS StudyMode,
        start_date AS StartDate, expected_end_date AS ExpectedEndDate, academic_year AS AcademicYear,
        deferral_date AS DeferralDate, deferral_reason AS DeferralReason, reinstated_on AS ReinstatedOn,
        withdrawal_date AS WithdrawalDate, withdrawal_trigger AS WithdrawalTrigger, withdrawal_reasons AS WithdrawalReasons,
        withdrawal_another_reason AS WithdrawalAnotherReason, withdrawal_safeguarding_concern AS WithdrawalSafeguardingConcern,
        withdrawal_safeguarding_details AS WithdrawalSafeguardingDetails,
        created_at AS CreatedAt, updated_at AS UpdatedAt, row_version AS RowVersion, change_seq AS ChangeSeq
        """;

    private static string SyncScope(string ukprn) => "trainees:" + ukprn;

    public async Task<TraineeRow?> FindAsync(string ukprn, Guid id, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        return await FindAsync(connection, null, ukprn, id, "", ct);
    }

    private static Task<TraineeRow?> FindAsync(DbConnection connection, DbTransaction? tx, string ukprn, Guid id, string forUpdate, CancellationToken ct) =>
        connection.QuerySingleOrDefaultAsync<TraineeRow>(new CommandDefinition(
            $"SELECT {Columns} FROM trainees WHERE ukprn = @ukprn AND id = @id{forUpdate}", new { ukprn, id }, tx, cancellationToken: ct));

    /// <summary>Registers a trainee after the provider, duplicate and cap rules, in one transaction.</summary>
    public async Task<TraineeResult> CreateAsync(string ukprn, CreateTraineeRequest input, AgePhase phase, bool confirmNotDuplicate, Actor actor, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        var seq = await ChangeSequence.NextAsync(connection, tx, SyncScope(ukprn), ct);

        var provider = await ProviderAsync(connection, tx, ukprn, ct);
        if (provider is not { Status: "approved" })
        {
            return TraineeResult.Of(TraineeOutcome.ProviderNotApproved);
        }

        var existing = await connection.QuerySingleOrDefaultAsync<Guid?>(new CommandDefinition(
            "SELECT id FROM trainees WHERE ukprn = @ukprn AND provider_trainee_id = @ProviderTraineeId",
            new { ukprn, input.ProviderTraineeId }, tx, cancellationToken: ct));
        if (existing is { } existingId)
        {
            return new TraineeResult(TraineeOutcome.AlreadyExists, Matches: [new DuplicateMatch(existingId.ToString(), input.ProviderTraineeId)]);
        }

        var now = time.UtcNowMicros();
        var row = new TraineeRow
        {
            Id = Guid.CreateVersion7(now),
            Ukprn = ukprn,
            ProviderTraineeId = input.ProviderTraineeId,
            Status = TraineeRow.Name(TraineeStatus.Registered),
            CreatedAt = now,
            UpdatedAt = now,
            RowVersion = 1,
            ChangeSeq = seq,
        }.WithInput(input, phase);

        if (!confirmNotDuplicate)
        {
            var matches = await LikelyDuplicatesAsync(connection, tx, row, ct);
            if (matches.Count > 0)
            {
                return new TraineeResult(TraineeOutcome.PossibleDuplicates, Matches: matches);
            }
        }

        if (!await CapAllowsAsync(connection, tx, ukprn, row.AcademicYear, provider.MayExceedTraineeCap, ct))
        {
            return TraineeResult.Of(TraineeOutcome.CapReached);
        }

        await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO trainees (
                id, ukprn, provider_trainee_id, status, trn, first_names, last_name, previous_last_name, date_of_birth, email, sex,
                nationality, training_country, country_of_birth, country_of_residence, first_language, teaching_language,
                years_of_teaching_experience, reason_for_iqts, highest_qualification_level, age_range, age_range_phase, subjects,
                study_mode, start_date, expected_end_date, academic_year, created_at, updated_at, row_version, change_seq)
            VALUES (
                @Id, @Ukprn, @ProviderTraineeId, @Status, NULL, @FirstNames, @LastName, @PreviousLastName, @DateOfBirth, @Email, @Sex,
                @Nationality, @TrainingCountry, @CountryOfBirth, @CountryOfResidence, @FirstLanguage, @TeachingLanguage,
                @YearsOfTeachingExperience, @ReasonForIqts, @HighestQualificationLevel, @AgeRange, @AgeRangePhase, @Subjects,
                @StudyMode, @StartDate, @ExpectedEndDate, @AcademicYear, @CreatedAt, @UpdatedAt, @RowVersion, @ChangeSeq)
            """,
            row, tx, cancellationToken: ct));
        await RecordHistoryAsync(connection, tx, null, row, "created", actor, ct);
        await tx.CommitAsync(ct);
        return new TraineeResult(TraineeOutcome.Done, row);
    }

    /// <summary>
    /// Changes a trainee in one transaction: the row is read (and locked on PostgreSQL), <paramref name="decide"/>
    /// returns the new row or the problem that refuses it, and the write and its history entry commit together.
    /// </summary>
    public async Task<TraineeResult> ChangeAsync(string ukprn, Guid id, string action, Actor actor, Func<TraineeRow, ChangeDecision> decide, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        var seq = await ChangeSequence.NextAsync(connection, tx, SyncScope(ukprn), ct);
        var current = await FindAsync(connection, tx, ukprn, id, db.Dialect.ForUpdate, ct);
        if (current is null)
        {
            return TraineeResult.Of(TraineeOutcome.NotFound);
        }

        var decision = decide(current);
        if (decision.Problem is not null)
        {
            return new TraineeResult(TraineeOutcome.Refused, Problem: decision.Problem);
        }

        if (decision.Next == current)
        {
            // Nothing changed: no new version, no history entry, no place in the sync feed.
            return new TraineeResult(TraineeOutcome.Done, current);
        }

        var next = decision.Next! with { UpdatedAt = time.UtcNowMicros(), RowVersion = current.RowVersion + 1, ChangeSeq = seq };
        if (next.AcademicYear != current.AcademicYear)
        {
            var provider = await ProviderAsync(connection, tx, ukprn, ct);
            if (!await CapAllowsAsync(connection, tx, ukprn, next.AcademicYear, provider?.MayExceedTraineeCap == true, ct))
            {
                return TraineeResult.Of(TraineeOutcome.CapReached);
            }
        }

        await connection.ExecuteAsync(new CommandDefinition(
            """
            UPDATE trainees SET
                status = @Status, first_names = @FirstNames, last_name = @LastName, previous_last_name = @PreviousLastName,
                date_of_birth = @DateOfBirth, email = @Email, sex = @Sex, nationality = @Nationality, training_country = @TrainingCountry,
                country_of_birth = @CountryOfBirth, country_of_residence = @CountryOfResidence, first_language = @FirstLanguage,
                teaching_language = @TeachingLanguage, years_of_teaching_experience = @YearsOfTeachingExperience,
                reason_for_iqts = @ReasonForIqts, highest_qualification_level = @HighestQualificationLevel, age_range = @AgeRange,
                age_range_phase = @AgeRangePhase, subjects = @Subjects, study_mode = @StudyMode, start_date = @StartDate,
                expected_end_date = @ExpectedEndDate, academic_year = @AcademicYear, deferral_date = @DeferralDate,
                deferral_reason = @DeferralReason, reinstated_on = @ReinstatedOn, withdrawal_date = @WithdrawalDate,
                withdrawal_trigger = @WithdrawalTrigger, withdrawal_reasons = @WithdrawalReasons,
                withdrawal_another_reason = @WithdrawalAnotherReason, withdrawal_safeguarding_concern = @WithdrawalSafeguardingConcern,
                withdrawal_safeguarding_details = @WithdrawalSafeguardingDetails,
                updated_at = @UpdatedAt, row_version = @RowVersion, change_seq = @ChangeSeq
            WHERE ukprn = @Ukprn AND id = @Id
            """,
            next, tx, cancellationToken: ct));
        await RecordHistoryAsync(connection, tx, current, next, action, actor, ct);
        await tx.CommitAsync(ct);
        return new TraineeResult(TraineeOutcome.Done, next);
    }

    /// <summary>The provider's trainees after the cursor position, in change order, one extra row to tell whether more follow.</summary>
    public async Task<IReadOnlyList<TraineeRow>> ListAsync(string ukprn, long after, int limit, TraineeStatus? status, string? trainingCountry, DateTimeOffset? updatedSince, CancellationToken ct)
    {
        var where = "ukprn = @ukprn AND change_seq > @after";
        where += status is null ? "" : " AND status = @status";
        where += trainingCountry is null ? "" : " AND training_country = @trainingCountry";
        where += updatedSince is null ? "" : " AND updated_at >= @updatedSince";
        await using var connection = await db.OpenAsync(ct);
        var rows = await connection.QueryAsync<TraineeRow>(new CommandDefinition(
            $"SELECT {Columns} FROM trainees WHERE {where} ORDER BY change_seq LIMIT @take",
            new { ukprn, after, status = status is { } s ? TraineeRow.Name(s) : null, trainingCountry, updatedSince, take = limit + 1 },
            cancellationToken: ct));
        return rows.AsList();
    }

    /// <summary>The audit history of one of the provider's trainees, oldest first; null when the trainee is not the provider's.</summary>
    public async Task<IReadOnlyList<HistoryEntry>?> HistoryAsync(string ukprn, Guid id, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        var rows = (await connection.QueryAsync<HistoryRow>(new CommandDefinition(
            """
            SELECT h.occurred_at AS OccurredAt, h.token_name AS TokenName, h.action AS Action, h.changes AS Changes
            FROM trainee_history h
            JOIN trainees t ON t.id = h.trainee_id
            WHERE t.ukprn = @ukprn AND h.ukprn = @ukprn AND h.trainee_id = @id
            ORDER BY h.id
            """,
            new { ukprn, id },
            cancellationToken: ct))).AsList();
        if (rows.Count == 0)
        {
            return null;
        }

        return rows.Select(r => new HistoryEntry(r.OccurredAt, r.TokenName, r.Action,
            JsonSerializer.Deserialize<List<FieldChange>>(r.Changes, json.Value.SerializerOptions) ?? [])).ToList();
    }

    private sealed record HistoryRow
    {
        public DateTimeOffset OccurredAt { get; init; }

        public string TokenName { get; init; } = "";

        public string Action { get; init; } = "";

        public string Changes { get; init; } = "";
    }

    private sealed record ProviderFacts
    {
        public string Status { get; init; } = "";

        public bool MayExceedTraineeCap { get; init; }
    }

    private static Task<ProviderFacts?> ProviderAsync(DbConnection connection, DbTransaction tx, string ukprn, CancellationToken ct) =>
        connection.QuerySingleOrDefaultAsync<ProviderFacts>(new CommandDefinition(
            "SELECT approval_status AS Status, may_exceed_trainee_cap AS MayExceedTraineeCap FROM providers WHERE ukprn = @ukprn",
            new { ukprn }, tx, cancellationToken: ct));

    private static async Task<bool> CapAllowsAsync(DbConnection connection, DbTransaction tx, string ukprn, int academicYear, bool mayExceed, CancellationToken ct)
    {
        if (mayExceed)
        {
            return true;
        }

        var starting = await connection.ExecuteScalarAsync<int>(new CommandDefinition(
            "SELECT COUNT(*) FROM trainees WHERE ukprn = @ukprn AND academic_year = @academicYear",
            new { ukprn, academicYear }, tx, cancellationToken: ct));
        return TraineeRules.CapAllows(starting, mayExceed);
    }

    private static async Task<IReadOnlyList<DuplicateMatch>> LikelyDuplicatesAsync(DbConnection connection, DbTransaction tx, TraineeRow row, CancellationToken ct)
    {
        var candidates = await connection.QueryAsync<TraineeRow>(new CommandDefinition(
            $"SELECT {Columns} FROM trainees WHERE ukprn = @Ukprn AND date_of_birth = @DateOfBirth AND academic_year = @AcademicYear",
            new { row.Ukprn, row.DateOfBirth, row.AcademicYear }, tx, cancellationToken: ct));
        var key = (row.DateOfBirth, row.LastName, row.FirstNames, row.Email, row.AcademicYear);
        return candidates
            .Where(c => TraineeRules.IsLikelyDuplicate(key, (c.DateOfBirth, c.LastName, c.FirstNames, c.Email, c.AcademicYear)))
            .Select(c => new DuplicateMatch(c.Id.ToString(), c.ProviderTraineeId))
            .ToList();
    }

    private async Task RecordHistoryAsync(DbConnection connection, DbTransaction tx, TraineeRow? before, TraineeRow after, string action, Actor actor, CancellationToken ct)
    {
        var changes = Diff(before?.ToResponse(), after.ToResponse());
        await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO trainee_history (id, trainee_id, ukprn, occurred_at, token_id, token_name, action, changes)
            VALUES (@id, @traineeId, @ukprn, @at, @tokenId, @tokenName, @action, @changes)
            """,
            new
            {
                id = Guid.CreateVersion7(),
                traineeId = after.Id,
                ukprn = after.Ukprn,
                at = after.UpdatedAt,
                tokenId = actor.TokenId,
                tokenName = actor.TokenName,
                action,
                changes = JsonSerializer.Serialize(changes, json.Value.SerializerOptions),
            },
            tx,
            cancellationToken: ct));
    }

    private static readonly HashSet<string> NotAudited = ["updatedAt", "createdAt"];

    /// <summary>The fields whose API value differs, with both values as the API shows them.</summary>
    private List<FieldChange> Diff(TraineeResponse? before, TraineeResponse after)
    {
        var options = json.Value.SerializerOptions;
        var old = before is null ? [] : JsonSerializer.SerializeToNode(before, options)!.AsObject();
        var now = JsonSerializer.SerializeToNode(after, options)!.AsObject();
        return now.Select(p => p.Key).Union(old.Select(p => p.Key))
            .Where(field => !NotAudited.Contains(field) && !JsonNode.DeepEquals(old[field], now[field]))
            .Select(field => new FieldChange(field, old[field]?.ToJsonString(), now[field]?.ToJsonString()))
            .ToList();
    }
}

/// <summary>What a change decides: the new row, or the problem that refuses the change.</summary>
public readonly record struct ChangeDecision(TraineeRow? Next, ProblemHttpResult? Problem)
{
    public static implicit operator ChangeDecision(TraineeRow next) => new(next, null);

    public static implicit operator ChangeDecision(ProblemHttpResult problem) => new(null, problem);
}
